"""The old WordPress site's addresses keep working after an import: permalinks, ``/?p=ID``,
category and author archives and their feeds, and the site feed, each answered with a
permanent redirect to where the same thing now is, through Django's test client."""

import pytest
from django.utils.html import strip_tags
from wagtail.contrib.redirects.models import Redirect

from gazette.articles.models import ArticlePage, Contributor
from tests.factories import CityFactory

from .test_import import AUTHORS, export, post, run

pytestmark = pytest.mark.django_db

CATEGORY = '<category domain="category" nicename="tomsk"><![CDATA[Tomsk]]></category>'
TOPICS = (
    '<category domain="category" nicename="river"><![CDATA[River]]></category>'
    '<category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>'
)
# The export's list of categories, which gives their ids for ``/?cat=<id>``.
CATEGORY_IDS = "".join(
    f"<wp:category><wp:term_id>{term_id}</wp:term_id><wp:category_nicename>{slug}</wp:category_nicename>"
    f"<wp:category_parent></wp:category_parent><wp:cat_name>{slug.title()}</wp:cat_name></wp:category>"
    for term_id, slug in ((1, "uncategorized"), (3, "tomsk"), (7, "river"))
)
# A Russian tag, as WordPress exports its slug: percent-encoded, lower case.
FERRY_TAG = '<category domain="post_tag" nicename="%d0%bf%d0%b0%d1%80%d0%be%d0%bc"><![CDATA[Паром]]></category>'


@pytest.fixture
def imported(tmp_path, site):
    city = CityFactory(name="Tomsk", slug="tomsk")
    permalink = post(5, extra=CATEGORY + TOPICS).replace(
        "<link>https://news.example.org/?p=5</link>", "<link>https://news.example.org/2024/03/01/ice/</link>"
    )
    ferry = post(6, title="Ferry timetable", content="<p>Паром ходит каждый час.</p>", extra=FERRY_TAG)
    run(export(tmp_path, [permalink, ferry], authors=AUTHORS + CATEGORY_IDS))
    return {
        "city": city,
        "article": ArticlePage.objects.get(slug="post-5"),
        "other": ArticlePage.objects.get(slug="post-6"),
        "olga": Contributor.objects.get(name="Olga Petrova"),
    }


def moved_to(client, address) -> str:
    response = client.get(address)
    assert response.status_code == 301, address
    target = response["Location"]
    assert client.get(target).status_code == 200, target
    return target


def test_permalinks_and_post_ids_lead_to_the_article(client, imported):
    article = imported["article"]
    assert moved_to(client, "/2024/03/01/ice/") == article.url
    assert moved_to(client, "/?p=5") == article.url
    assert moved_to(client, "/?p=6") == imported["other"].url


def test_an_unknown_post_id_is_the_front_page(client, imported):
    response = client.get("/?p=999")
    assert response.status_code == 200


def test_category_author_and_feed_archives_lead_to_their_gazette_pages(client, imported):
    city, olga = imported["city"], imported["olga"]
    assert moved_to(client, "/category/tomsk/") == f"/city/{city.slug}/"
    assert moved_to(client, "/category/tomsk/feed/") == f"/city/{city.slug}/feed/rss/"
    assert moved_to(client, "/author/olga/") == f"/contributors/{olga.slug}/"
    assert moved_to(client, "/author/olga/feed/") == f"/contributors/{olga.slug}/feed/rss/"
    assert moved_to(client, "/?author=1") == f"/contributors/{olga.slug}/"
    assert moved_to(client, "/?cat=3") == f"/city/{city.slug}/"
    assert moved_to(client, "/feed/") == "/feed/rss/"
    assert client.get("/feed/atom/").status_code == 200  # the same address on both sites


def test_archives_of_other_categories_and_tags_lead_to_their_topic(client, imported):
    found = moved_to(client, "/category/river/")
    assert found == "/search/?topic=river"
    page = strip_tags(client.get(found).content.decode())
    assert "Topic: River" in page
    assert imported["article"].title in page
    assert imported["other"].title not in page
    assert moved_to(client, "/category/river/feed/") == "/feed/rss/"
    assert moved_to(client, "/?cat=7") == found

    # A browser sends the Russian slug percent-encoded in capitals.
    found = moved_to(client, "/tag/%D0%BF%D0%B0%D1%80%D0%BE%D0%BC/")
    assert found == "/search/?topic=%D0%BF%D0%B0%D1%80%D0%BE%D0%BC"
    page = strip_tags(client.get(found).content.decode())
    assert imported["other"].title in page
    assert imported["article"].title not in page
    assert moved_to(client, "/tag/%D0%BF%D0%B0%D1%80%D0%BE%D0%BC/feed/") == "/feed/rss/"
    assert moved_to(client, "/?tag=%D0%BF%D0%B0%D1%80%D0%BE%D0%BC") == found

    # WordPress's default category holds every post that had no other: the front page.
    assert moved_to(client, "/category/uncategorized/") == "/"
    assert moved_to(client, "/?cat=1") == "/"


def test_a_rerun_adds_no_redirects(tmp_path, client, imported):
    before = Redirect.objects.count()
    report = run(tmp_path / "export.xml")
    assert report.count("redirects", "created") == 0
    assert Redirect.objects.count() == before
