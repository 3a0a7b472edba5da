"""Listing pages cost a fixed number of queries however large the archive: 5 articles or 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gazette.articles.models import ArticlePage
from gazette.core.caching import forget_local
from gazette.seo.article_pages import page_of
from gazette.seo.sitemaps import page_size
from tests.factories import CityFactory, ContributorFactory, make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rendition_warming")]

PAGES = {
    "front page": "/",
    "news section": "/news/",
    "city front": "/city/kolyvan/",
    "contributor page": "/contributors/anna-petrova/",
    "site feed": "/feed/rss/",
    "city feed": "/city/kolyvan/feed/rss/",
    "contributor feed": "/contributors/anna-petrova/feed/atom/",
    "sitemap index": "/sitemap.xml",
    "sitemap of articles": None,  # the page holding this test's articles: see articles_sitemap()
    "news sitemap": "/sitemap-news-1.xml",
}


def add_articles(count, writer, city):
    for _ in range(count):
        # Each article has a picture and a co-author of its own: anything fetched per article shows.
        make_article(authors=[writer, ContributorFactory()], cities=[city])


def articles_sitemap() -> str:
    """The articles sitemap page listing the oldest article: ids run on from earlier tests on
    PostgreSQL (a rolled-back test does not rewind its sequences), so it need not be page 1."""
    oldest = ArticlePage.objects.order_by("pk").values_list("pk", flat=True).first()
    return f"/sitemap-articles-{page_of(oldest, page_size())}.xml"


def queries_per_page(client):
    out = {}
    for name, url in PAGES.items():
        url = url or articles_sitemap()
        client.get(url)  # the first answer may fill per-process memos (site root paths, locales)
        forget_local()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, f"{name} ({url}) answered {response.status_code}"
        out[name] = len(captured)
    return out


def test_listing_queries_do_not_grow_with_the_archive(client, site):
    writer = ContributorFactory(name="Anna Petrova", slug="anna-petrova")
    city = CityFactory(name="Kolyvan", slug="kolyvan")
    add_articles(5, writer, city)
    small = queries_per_page(client)
    add_articles(45, writer, city)
    large = queries_per_page(client)
    assert large == small


def test_an_article_is_routed_with_one_query(rf, site):
    from django.http import Http404
    from wagtail.models import Page

    home = Page.objects.get(pk=site["home"].pk).specific
    article = make_article(title="Ferry season ends", slug="ferry-season-ends")
    draft = make_article(title="Unfinished", slug="unfinished", publish=False, live=False)
    with CaptureQueriesContext(connection) as captured:
        found, args, kwargs = home.route(rf.get("/news/ferry-season-ends/"), ["news", "ferry-season-ends"])
    assert len(captured) == 1
    assert found == article and found.standfirst == article.standfirst and (args, kwargs) == ([], {})
    for path in (["news", draft.slug], ["news", "no-such-story"], ["elsewhere", "ferry-season-ends"]):
        with pytest.raises(Http404):
            home.route(rf.get("/"), path)
    # Other pages are routed by Wagtail as before.
    assert home.route(rf.get("/news/"), ["news"])[0] == site["news"]
