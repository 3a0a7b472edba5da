"""Sitemaps and robots.txt as a crawler reads them, validated against the published schemas."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time
from lxml import etree
from wagtail.models import PageViewRestriction

from gazette.articles.models import ArticlePage
from gazette.core.invalidation import tags_purged
from tests.factories import ContributorFactory, ImageFactory, make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rendition_warming")]

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "sitemaps"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
BASE = "http://testserver"


def _schema(name):
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


INDEX_SCHEMA = _schema("siteindex.xsd")
URLSET_SCHEMA = _schema("urlset-with-extensions.xsd")


def _get_xml(client, url, schema):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    doc = etree.fromstring(response.content)
    schema.assertValid(doc)
    return response, doc


def _article_with_pictures(**kwargs):
    lead = ImageFactory(caption="The ferry at the pier.", credit="River Fleet archive")
    inline = ImageFactory(caption="Default caption.", credit="Omsk museum")
    pair = [ImageFactory(), ImageFactory()]
    return make_article(
        lead_image=lead,
        body=[
            ("paragraph", "<p>Text.</p>"),
            ("image", {"image": inline, "caption": "The captain's cabin.", "credit": ""}),
            ("image_group", {"images": pair, "caption": "Bow (top). Stern (bottom).", "credit": ""}),
        ],
        **kwargs,
    ), (lead, inline, *pair)


def test_index_lists_every_section_and_validates(client, site):
    make_article(title="Old story", published=datetime(2014, 10, 15, tzinfo=UTC))
    response, doc = _get_xml(client, "/sitemap.xml", INDEX_SCHEMA)
    locs = doc.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS)
    assert f"{BASE}/sitemap-articles-1.xml" in locs
    assert f"{BASE}/sitemap-news-1.xml" not in locs  # nothing from the last two days: not listed
    assert f"{BASE}/sitemap-pages-1.xml" in locs
    assert f"{BASE}/sitemap-contributors-1.xml" in locs
    assert "sitemaps" in response.wsgi_request.cache_tags
    for loc in locs:
        _get_xml(client, loc.removeprefix(BASE), URLSET_SCHEMA)


def test_article_sitemaps_are_split_with_lastmod_per_page(client, site, settings):
    settings.GAZETTE_SITEMAP_PAGE_SIZE = 2
    for day in range(1, 6):
        with freeze_time(datetime(2020, 1, day, 12, tzinfo=UTC)):
            make_article(title=f"Story {day}")
    _response, doc = _get_xml(client, "/sitemap.xml", INDEX_SCHEMA)
    pages = [
        (s.findtext("sm:loc", namespaces=NS).removeprefix(BASE), s.findtext("sm:lastmod", namespaces=NS))
        for s in doc.xpath("//sm:sitemap", namespaces=NS)
        if "articles" in s.findtext("sm:loc", namespaces=NS)
    ]
    # Page n holds the articles whose id lies in (2n - 2, 2n]: at most two, oldest first.
    articles = list(ArticlePage.objects.order_by("pk"))
    by_page: dict[int, list] = {}
    for article in articles:
        by_page.setdefault((article.pk + 1) // 2, []).append(article)
    assert [loc for loc, _ in pages] == [f"/sitemap-articles-{n}.xml" for n in sorted(by_page)]
    # Each page's lastmod is the newest change among its own articles.
    for (_loc, lastmod), number in zip(pages, sorted(by_page), strict=True):
        newest = max(a.last_published_at for a in by_page[number])
        assert datetime.fromisoformat(lastmod) == newest.replace(microsecond=0)
    seen = []
    for loc, _ in pages:
        _r, urlset = _get_xml(client, loc, URLSET_SCHEMA)
        urls = urlset.xpath("//sm:url/sm:loc/text()", namespaces=NS)
        assert 1 <= len(urls) <= 2
        seen += urls
    assert seen == [f"{BASE}{p.url}" for p in articles]
    past = max(by_page) + 1
    assert client.get(f"/sitemap-articles-{past}.xml").status_code == 404
    assert client.get("/sitemap-articles-0.xml").status_code == 404
    assert client.get("/sitemap-nonsense-1.xml").status_code == 404


def test_sitemap_pages_never_exceed_the_protocols_fifty_thousand_urls(client, site, settings):
    from gazette.seo.sitemaps import page_size

    settings.GAZETTE_SITEMAP_PAGE_SIZE = 120_000
    assert page_size() == 50_000
    article = make_article(title="Only story")
    _response, doc = _get_xml(client, "/sitemap.xml", INDEX_SCHEMA)
    number = (article.pk - 1) // 50_000 + 1
    assert f"{BASE}/sitemap-articles-{number}.xml" in doc.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS)


def test_sitemap_index_queries_do_not_grow_with_articles_or_pages(client, site, settings):
    settings.GAZETTE_SITEMAP_PAGE_SIZE = 2
    make_article(title="First")
    client.get("/sitemap.xml")
    with CaptureQueriesContext(connection) as few:
        client.get("/sitemap.xml")
    for n in range(6):
        make_article(title=f"More {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/sitemap.xml")
    assert response.content.count(b"sitemap-articles-") >= 4
    assert len(many) == len(few)


def test_article_entries_carry_every_picture_with_its_caption(client, site):
    article, (lead, inline, top, bottom) = _article_with_pictures(title="Ferry season ends")
    article.refresh_from_db()
    _r, doc = _get_xml(client, "/sitemap-articles-1.xml", URLSET_SCHEMA)
    (url,) = doc.xpath(f"//sm:url[sm:loc='{BASE}{article.url}']", namespaces=NS)
    lastmod = url.findtext("sm:lastmod", namespaces=NS)
    assert datetime.fromisoformat(lastmod) == article.last_published_at.replace(microsecond=0)
    images = [
        (i.findtext("image:loc", namespaces=NS), i.findtext("image:caption", namespaces=NS))
        for i in url.findall("image:image", namespaces=NS)
    ]
    assert images == [
        (f"{BASE}{lead.file.url}", "The ferry at the pier."),
        (f"{BASE}{inline.file.url}", "The captain's cabin."),
        (f"{BASE}{top.file.url}", "Bow (top). Stern (bottom)."),
        (f"{BASE}{bottom.file.url}", "Bow (top). Stern (bottom)."),
    ]


def test_article_sitemap_queries_do_not_grow_with_articles(client, site):
    _article_with_pictures(title="First")
    with CaptureQueriesContext(connection) as few:
        client.get("/sitemap-articles-1.xml")
    for n in range(4):
        _article_with_pictures(title=f"More {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/sitemap-articles-1.xml")
    assert response.content.count(b"<url>") == 5
    assert len(many) == len(few)


def test_drafts_and_private_pages_are_not_listed(client, site):
    live = make_article(title="Live story")
    make_article(title="Draft story", slug="unfinished-draft", publish=False, live=False)
    private = make_article(title="Private story", slug="staff-only")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    _r, doc = _get_xml(client, "/sitemap-articles-1.xml", URLSET_SCHEMA)
    locs = doc.xpath("//sm:loc/text()", namespaces=NS)
    assert f"{BASE}{live.url}" in locs
    assert not any("unfinished-draft" in loc or "staff-only" in loc for loc in locs)


def test_news_sitemap_lists_only_the_last_two_days(client, site):
    authors = [ContributorFactory(name="Anna Petrova", slug="anna")]
    fresh, _images = _article_with_pictures(title="Bridge <reopens> & traffic returns", authors=authors)
    fresh.refresh_from_db()
    yesterday = make_article(title="Yesterday's story", published=timezone.now() - timedelta(hours=30))
    old = make_article(title="Three days old", published=timezone.now() - timedelta(days=3))
    _r, doc = _get_xml(client, "/sitemap-news-1.xml", URLSET_SCHEMA)
    urls = doc.xpath("//sm:url", namespaces=NS)
    locs = [u.findtext("sm:loc", namespaces=NS) for u in urls]
    assert locs == [f"{BASE}{fresh.url}", f"{BASE}{yesterday.url}"]
    assert f"{BASE}{old.url}" not in locs
    news = urls[0].find("news:news", namespaces=NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "The Siberian Gazette"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == "Bridge <reopens> & traffic returns"
    published = datetime.fromisoformat(news.findtext("news:publication_date", namespaces=NS))
    assert published == fresh.first_published_at.replace(microsecond=0)
    assert len(urls[0].findall("image:image", namespaces=NS)) == 4


def test_pages_and_contributors_sections(client, site):
    anna = ContributorFactory(name="Anna Petrova", slug="anna-petrova")
    make_article(authors=[anna])
    _r, doc = _get_xml(client, "/sitemap-pages-1.xml", URLSET_SCHEMA)
    locs = doc.xpath("//sm:loc/text()", namespaces=NS)
    assert f"{BASE}/" in locs and f"{BASE}/news/" in locs and f"{BASE}/privacy-policy/" in locs
    assert not any("/news/article-" in loc for loc in locs)
    _r, doc = _get_xml(client, "/sitemap-contributors-1.xml", URLSET_SCHEMA)
    assert f"{BASE}/contributors/anna-petrova/" in doc.xpath("//sm:loc/text()", namespaces=NS)


def test_robots_points_at_the_sitemaps(client, site):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert f"Sitemap: {BASE}/sitemap-news-1.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" not in lines  # search pages say noindex themselves


def test_publishing_a_page_purges_the_sitemaps(site, django_capture_on_commit_callbacks):
    purged = []

    def receiver(sender, tags, **kwargs):
        purged.append(tags)

    tags_purged.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            site["privacy"].save_revision().publish()
    finally:
        tags_purged.disconnect(receiver)
    assert any("sitemaps" in tags for tags in purged)
