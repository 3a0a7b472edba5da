"""The sitemap index's pages of articles stay right as articles change, without reading the archive.

Each test reads ``/sitemap.xml`` as a crawler does, after publishing, unpublishing, deleting,
hiding, renaming or importing articles across a page boundary (a few URLs a page), and checks
it lists exactly the pages that have articles, each with the time it last changed.
"""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from freezegun import freeze_time
from lxml import etree
from wagtail.models import PageViewRestriction

from gazette.articles.models import ArticlePage
from gazette.seo.article_pages import rebuild
from gazette.seo.models import ArticleSitemapPage
from tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rendition_warming")]

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "http://testserver"
SIZE = 3
T0 = datetime(2024, 3, 1, 9, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def page_of(article) -> int:
    return (article.pk - 1) // SIZE + 1


def indexed_pages(client) -> dict[int, datetime]:
    """The articles pages ``/sitemap.xml`` lists: {number: lastmod}."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    doc = etree.fromstring(response.content)
    out = {}
    for entry in doc.xpath("//sm:sitemap", namespaces=NS):
        loc = entry.findtext("sm:loc", namespaces=NS).removeprefix(BASE)
        if loc.startswith("/sitemap-articles-"):
            number = int(loc.removeprefix("/sitemap-articles-").removesuffix(".xml"))
            out[number] = datetime.fromisoformat(entry.findtext("sm:lastmod", namespaces=NS))
    return out


def listed_urls(client, number) -> list[str]:
    response = client.get(f"/sitemap-articles-{number}.xml")
    if response.status_code == 404:
        return []
    return etree.fromstring(response.content).xpath("//sm:url/sm:loc/text()", namespaces=NS)


def publish_articles(count: int, start: int = 0) -> list[ArticlePage]:
    """``count`` articles, the n-th published at ``at(start + n)``."""
    articles = []
    for n in range(count):
        with freeze_time(at(start + n)):
            articles.append(make_article(title=f"Story {start + n}"))
    return articles


@pytest.fixture
def small_pages(settings):
    settings.GAZETTE_SITEMAP_PAGE_SIZE = SIZE


def expected_pages(articles, changed=None) -> dict[int, datetime]:
    """The pages listing ``articles``, each dated by its newest article (or ``changed[number]``)."""
    out: dict[int, datetime] = {}
    for article in articles:
        number = page_of(article)
        out[number] = max(out.get(number, article.last_published_at), article.last_published_at)
    return {n: (changed or {}).get(n, when) for n, when in out.items()}


def test_publishing_past_a_page_boundary_opens_the_next_page(client, small_pages, site):
    articles = publish_articles(SIZE + 2)
    assert len({page_of(a) for a in articles}) >= 2
    for article in articles:
        article.refresh_from_db()
    assert indexed_pages(client) == expected_pages(articles)
    for number in expected_pages(articles):
        urls = listed_urls(client, number)
        assert urls == [f"{BASE}{a.url}" for a in articles if page_of(a) == number]


def test_unpublishing_recounts_the_page_and_dates_it_when_the_article_left(client, small_pages, site):
    articles = publish_articles(SIZE * 2)
    last_page = page_of(articles[-1])
    on_last_page = [a for a in articles if page_of(a) == last_page]
    newest = on_last_page[-1]
    with freeze_time(at(60)):
        newest.unpublish()
    pages = indexed_pages(client)
    if len(on_last_page) > 1:
        # The file lost a URL at 60: a crawler comparing dates fetches it again.
        assert pages[last_page] == at(60)
        assert f"{BASE}{newest.url}" not in listed_urls(client, last_page)
    for article in on_last_page[:-1]:
        with freeze_time(at(61)):
            article.unpublish()
    pages = indexed_pages(client)
    assert last_page not in pages
    assert client.get(f"/sitemap-articles-{last_page}.xml").status_code == 404
    with freeze_time(at(90)):
        newest.save_revision().publish()
    assert indexed_pages(client)[last_page] == at(90)


def test_deleting_articles_recounts_their_pages(client, small_pages, site):
    articles = publish_articles(SIZE * 2 + 1)
    first_page = page_of(articles[0])
    on_first_page = [a for a in articles if page_of(a) == first_page]
    rest = [a for a in articles if page_of(a) != first_page]
    with freeze_time(at(60)):
        ArticlePage.objects.get(pk=on_first_page[0].pk).delete()
    pages = indexed_pages(client)
    if len(on_first_page) > 1:
        assert pages[first_page] == at(60)
    # Several pages' articles deleted in one go (a section emptied): each page counted again.
    with freeze_time(at(70)):
        for article in on_first_page[1:] + rest[:-1]:
            ArticlePage.objects.get(pk=article.pk).delete()
    survivor = rest[-1]
    survivor.refresh_from_db()
    pages = indexed_pages(client)
    assert set(pages) == {page_of(survivor)}
    assert listed_urls(client, page_of(survivor)) == [f"{BASE}{survivor.url}"]


def test_a_private_article_leaves_its_page_and_comes_back(client, small_pages, site):
    articles = publish_articles(SIZE + 1)
    hidden = articles[-1]
    number = page_of(hidden)
    alone = [a for a in articles if page_of(a) == number] == [hidden]
    with freeze_time(at(60)):
        restriction = PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    pages = indexed_pages(client)
    assert (number not in pages) if alone else (pages[number] == at(60))
    assert f"{BASE}{hidden.url}" not in listed_urls(client, number)
    with freeze_time(at(70)):
        restriction.delete()
    assert indexed_pages(client)[number] == at(70)
    assert f"{BASE}{hidden.url}" in listed_urls(client, number)


def test_a_renamed_section_dates_every_page_of_its_articles(
    client, small_pages, site, django_capture_on_commit_callbacks
):
    articles = publish_articles(SIZE + 2)
    news = site["news"]
    news.refresh_from_db()
    news.slug = "stories"
    with freeze_time(at(60)), django_capture_on_commit_callbacks(execute=True):
        news.save_revision().publish()
    pages = indexed_pages(client)
    assert pages == {number: at(60) for number in {page_of(a) for a in articles}}
    for number in pages:
        assert all("/stories/" in url for url in listed_urls(client, number))


def test_imported_articles_are_counted_on_their_pages(client, small_pages, site, tmp_path):
    from tests.wordpress.test_import import export, post, run

    publish_articles(1)
    items = [post(n, title=f"Imported ferry {n}", date=f"2019-05-0{n} 06:30:00") for n in range(1, SIZE + 3)]
    with freeze_time(at(60)):
        run(export(tmp_path, items), batch_size=SIZE + 5)  # all in one bulk batch
    imported = list(ArticlePage.objects.filter(title__startswith="Imported ferry").order_by("pk"))
    assert len(imported) == SIZE + 2
    pages = indexed_pages(client)
    # New URLs at 60, though the stories were first published in 2019.
    for number in {page_of(a) for a in imported}:
        assert pages[number] == at(60)
        assert {f"{BASE}{a.url}" for a in imported if page_of(a) == number} <= set(listed_urls(client, number))


def counted() -> set[tuple[int, int, int]]:
    return set(ArticleSitemapPage.objects.filter(articles__gt=0).values_list("page_size", "number", "articles"))


def test_the_kept_counts_equal_a_count_from_scratch(client, small_pages, site):
    articles = publish_articles(SIZE * 3)
    with freeze_time(at(60)):
        articles[1].unpublish()
        ArticlePage.objects.get(pk=articles[4].pk).delete()
        PageViewRestriction.objects.create(page=articles[6], restriction_type=PageViewRestriction.LOGIN)
    kept = counted()
    assert rebuild(SIZE) == len(kept)
    assert counted() == kept


def test_a_new_page_size_is_counted_afresh(client, settings, site):
    articles = publish_articles(5)
    for article in articles:
        article.refresh_from_db()
    assert set(indexed_pages(client)) == {(articles[0].pk - 1) // 2000 + 1}
    settings.GAZETTE_SITEMAP_PAGE_SIZE = SIZE
    assert indexed_pages(client) == expected_pages(articles)
    # Kept up to date at the new size from then on.
    with freeze_time(at(60)):
        extra = make_article(title="One more")
    assert indexed_pages(client)[page_of(extra)] == at(60)


def test_the_rebuild_command_counts_writes_made_around_the_app(client, small_pages, site):
    articles = publish_articles(SIZE + 1)
    ArticlePage.objects.filter(pk=articles[0].pk).update(live=False)  # no signal
    out = StringIO()
    call_command("rebuild_sitemap_pages", stdout=out)
    assert "URLs a page" in out.getvalue()
    for article in articles:
        article.refresh_from_db()
    assert indexed_pages(client) == expected_pages(articles[1:])
