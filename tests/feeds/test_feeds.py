"""RSS 2.0 and Atom feeds: every co-author, the lead picture, dates, ids, schema validity."""

from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from rnc2rng import parser as rnc_parser
from rnc2rng import serializer as rnc_serializer

from gazette.cities.models import City
from gazette.core import tags
from tests.factories import ContributorFactory, ImageFactory, make_article

pytestmark = pytest.mark.django_db

ATOM_RNC = Path(__file__).resolve().parents[1] / "fixtures" / "feeds" / "atom.rnc"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
    "media": "http://search.yahoo.com/mrss/",
}


@pytest.fixture(scope="module")
def atom_schema():
    with ATOM_RNC.open() as rnc:
        rng = rnc_serializer.XMLSerializer().toxml(rnc_parser.parse(f=rnc))
    rng = rng.replace(' xmlns:local=""', "")  # rnc2rng's stray attribute; lxml rejects it
    return etree.RelaxNG(etree.fromstring(rng.encode()))


@pytest.fixture
def newsroom(site):
    omsk = City.objects.create(name="Omsk", slug="omsk")
    tomsk = City.objects.create(name="Tomsk", slug="tomsk")
    elena = ContributorFactory(name="Elena Kuznetsova", slug="elena-kuznetsova")
    anna = ContributorFactory(name="Anna Petrova", slug="anna-petrova")
    maria = ContributorFactory(name="Maria Orlova", slug="maria-orlova")
    train = make_article(
        title="The secret train of 1928",
        standfirst="Archive papers show a train crossed the region at night, unannounced, in 1928.",
        authors=[elena, anna, maria],
        cities=[omsk],
        lead_image=ImageFactory(caption="The train east of Omsk.", credit="State Archives of the Novosibirsk region"),
        published=datetime(2014, 10, 16, 3, 30, tzinfo=UTC),
    )
    bread = make_article(
        title="Tomsk bakers revive a rye loaf",
        authors=[anna],
        standfirst="Flour & water <and> patience: a loaf from 1910 is back.",
        cities=[tomsk],
        lead_image=None,
        published=datetime(2024, 2, 20, 18, 0, tzinfo=UTC),
    )
    return {"omsk": omsk, "tomsk": tomsk, "elena": elena, "anna": anna, "maria": maria, "train": train, "bread": bread}


FEEDS = [
    "/feed/rss/",
    "/feed/atom/",
    "/city/omsk/feed/rss/",
    "/city/omsk/feed/atom/",
    "/contributors/anna-petrova/feed/rss/",
    "/contributors/anna-petrova/feed/atom/",
]


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_reads_cleanly_in_feedparser(client, newsroom, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml" if "atom" in url else "application/rss+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries
    train = next(e for e in parsed.entries if e.title == "The secret train of 1928")
    assert [a.name for a in train.authors] == ["Elena Kuznetsova", "Anna Petrova", "Maria Orlova"]
    assert train.summary == "Archive papers show a train crossed the region at night, unannounced, in 1928."
    assert train.link == "http://testserver" + newsroom["train"].url
    assert train.published_parsed[:5] == (2014, 10, 16, 3, 30)  # 10:30 in Novosibirsk is 03:30 UTC
    assert train.media_content[0]["url"].startswith("http://testserver/")
    assert train.media_credit[0]["content"] == "State Archives of the Novosibirsk region"


@pytest.mark.parametrize("url", [u for u in FEEDS if "atom" in u])
def test_atom_feeds_validate_against_rfc4287_schema(client, newsroom, atom_schema, url):
    document = etree.fromstring(client.get(url).content)
    assert atom_schema.validate(document), atom_schema.error_log


def test_rss_names_every_coauthor_and_carries_the_picture(client, newsroom):
    root = etree.fromstring(client.get("/feed/rss/").content)
    assert root.get("version") == "2.0"
    item = root.xpath("//item[title='The secret train of 1928']")[0]
    assert item.xpath("dc:creator/text()", namespaces=NS) == ["Elena Kuznetsova", "Anna Petrova", "Maria Orlova"]
    assert item.findtext("pubDate") == "Thu, 16 Oct 2014 10:30:00 +0700"
    enclosure = item.find("enclosure")
    assert enclosure.get("type") == "image/jpeg" and int(enclosure.get("length")) > 1000
    media = item.find("media:content", NS)
    assert media.get("url") == enclosure.get("url") and media.get("medium") == "image"
    assert media.findtext("media:description", namespaces=NS) == "The train east of Omsk."
    assert media.findtext("media:credit", namespaces=NS) == "State Archives of the Novosibirsk region"
    assert item.findtext("category") == "Omsk"
    guid = item.find("guid")
    assert guid.get("isPermaLink") == "false"
    assert guid.text == f"tag:localhost,2014-10-16:/article/{newsroom['train'].pk}"
    # An article without a picture has no enclosure and no media element.
    bread = root.xpath("//item[title='Tomsk bakers revive a rye loaf']")[0]
    assert bread.find("enclosure") is None and bread.find("media:content", NS) is None


def test_atom_has_an_author_per_coauthor_with_their_page(client, newsroom):
    root = etree.fromstring(client.get("/feed/atom/").content)
    entry = root.xpath("//atom:entry[atom:title='The secret train of 1928']", namespaces=NS)[0]
    authors = [
        (a.findtext("atom:name", namespaces=NS), a.findtext("atom:uri", namespaces=NS))
        for a in entry.findall("atom:author", NS)
    ]
    assert authors == [
        ("Elena Kuznetsova", "http://testserver/contributors/elena-kuznetsova/"),
        ("Anna Petrova", "http://testserver/contributors/anna-petrova/"),
        ("Maria Orlova", "http://testserver/contributors/maria-orlova/"),
    ]
    assert entry.findtext("atom:published", namespaces=NS) == "2014-10-16T10:30:00+07:00"
    assert entry.findtext("atom:updated", namespaces=NS)
    assert entry.findtext("atom:id", namespaces=NS) == f"tag:localhost,2014-10-16:/article/{newsroom['train'].pk}"
    assert entry.find("atom:link[@rel='enclosure']", NS).get("type") == "image/jpeg"


def test_ids_do_not_change_when_a_slug_does(client, newsroom):
    before = feedparser.parse(client.get("/feed/atom/").content).entries[-1].id
    train = newsroom["train"]
    train.slug = "secret-train-1928"
    train.save_revision().publish()
    after = feedparser.parse(client.get("/feed/atom/").content)
    entry = next(e for e in after.entries if e.title == "The secret train of 1928")
    assert entry.id == before and entry.link.endswith("/news/secret-train-1928/")


def test_city_and_contributor_feeds_hold_only_their_stories(client, newsroom):
    omsk = feedparser.parse(client.get("/city/omsk/feed/rss/").content)
    assert omsk.feed.title.startswith("Omsk") and [e.title for e in omsk.entries] == ["The secret train of 1928"]
    tomsk = feedparser.parse(client.get("/city/tomsk/feed/atom/").content)
    assert [e.title for e in tomsk.entries] == ["Tomsk bakers revive a rye loaf"]
    # The summary is HTML in both formats: a plain-text standfirst arrives escaped, shown as typed.
    assert tomsk.entries[0].summary == "Flour &amp; water &lt;and&gt; patience: a loaf from 1910 is back."
    elena = feedparser.parse(client.get("/contributors/elena-kuznetsova/feed/atom/").content)
    assert elena.feed.title.startswith("Stories by Elena Kuznetsova")
    assert [e.title for e in elena.entries] == ["The secret train of 1928"]
    anna = feedparser.parse(client.get("/contributors/anna-petrova/feed/rss/").content)
    assert [e.title for e in anna.entries] == ["Tomsk bakers revive a rye loaf", "The secret train of 1928"]
    assert client.get("/city/atlantis/feed/rss/").status_code == 404
    assert client.get("/contributors/nobody/feed/atom/").status_code == 404


def test_feeds_carry_cache_tags(client, newsroom):
    response = client.get("/city/omsk/feed/atom/")
    assert {"feeds", "city:omsk"} <= response.wsgi_request.cache_tags
    response = client.get("/contributors/anna-petrova/feed/rss/")
    assert {"feeds", f"contributor:{newsroom['anna'].pk}"} <= response.wsgi_request.cache_tags


def _alternates(html: str) -> list[tuple[str, str]]:
    head = etree.HTML(html).find("head")
    return [(link.get("type"), link.get("href")) for link in head.findall("link[@rel='alternate']")]


def test_pages_advertise_their_feeds(client, newsroom):
    site_feeds = [("application/rss+xml", "/feed/rss/"), ("application/atom+xml", "/feed/atom/")]
    assert _alternates(client.get("/").content.decode()) == site_feeds
    assert _alternates(client.get(newsroom["train"].url).content.decode()) == site_feeds
    assert _alternates(client.get("/city/omsk/").content.decode()) == [
        ("application/rss+xml", "/city/omsk/feed/rss/"),
        ("application/atom+xml", "/city/omsk/feed/atom/"),
    ]
    assert _alternates(client.get("/contributors/maria-orlova/").content.decode()) == [
        ("application/rss+xml", "/contributors/maria-orlova/feed/rss/"),
        ("application/atom+xml", "/contributors/maria-orlova/feed/atom/"),
        *site_feeds,
    ]
    client.cookies["gazette_edition"] = "tomsk"
    assert _alternates(client.get("/").content.decode())[0] == ("application/rss+xml", "/city/tomsk/feed/rss/")


@pytest.fixture
def russian_story(newsroom):
    return make_article(
        title="Ледоход на Томи",
        standfirst="Лёд тронулся у Коммунального моста.",
        authors=[newsroom["anna"]],
        cities=[newsroom["tomsk"]],
        lead_image=None,
        language="ru",
    )


def test_a_russian_story_on_an_english_site_is_marked_russian_in_atom(client, russian_story, atom_schema):
    root = etree.fromstring(client.get("/feed/atom/").content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-gb"
    languages = {
        e.findtext("atom:title", namespaces=NS): e.get("{http://www.w3.org/XML/1998/namespace}lang")
        for e in root.findall("atom:entry", NS)
    }
    assert languages == {
        "Ледоход на Томи": "ru",
        "The secret train of 1928": None,
        "Tomsk bakers revive a rye loaf": None,
    }
    assert atom_schema.validate(root), atom_schema.error_log
    assert feedparser.parse(client.get("/feed/atom/").content).entries[0].title_detail.language == "ru"


def test_a_russian_story_on_an_english_site_is_marked_russian_in_rss(client, russian_story):
    root = etree.fromstring(client.get("/city/tomsk/feed/rss/").content)
    assert root.findtext("channel/language") == "en-gb"
    languages = {i.findtext("title"): i.xpath("dc:language/text()", namespaces=NS) for i in root.iter("item")}
    assert languages == {"Ледоход на Томи": ["ru"], "Tomsk bakers revive a rye loaf": []}


def test_an_english_story_on_a_russian_site_is_marked_english(client, newsroom, settings):
    settings.LANGUAGE_CODE = "ru"
    root = etree.fromstring(client.get("/feed/atom/").content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    assert {e.get("{http://www.w3.org/XML/1998/namespace}lang") for e in root.findall("atom:entry", NS)} == {"en"}


@pytest.fixture
def discussed(newsroom):
    """Three published comments on the train story (one a reply) and one held: readers see three."""
    from gazette.comments.choices import CommentStatus
    from gazette.comments.models import ReaderComment

    train = newsroom["train"]
    first = ReaderComment.objects.create(
        article=train, author_name="Pavel", body="My grandfather saw it.", status=CommentStatus.PUBLISHED
    )
    ReaderComment.objects.create(
        article=train, author_name="Olga", body="So did mine.", status=CommentStatus.PUBLISHED, parent=first
    )
    ReaderComment.objects.create(
        article=train, author_name="Ivan", body="A fine story.", status=CommentStatus.PUBLISHED
    )
    ReaderComment.objects.create(article=train, author_name="Spammer", body="Buy now", status=CommentStatus.PENDING)
    return newsroom


def test_rss_items_count_published_comments_and_replies(client, discussed):
    root = etree.fromstring(client.get("/feed/rss/").content)
    counts = {
        item.findtext("title"): item.findtext("{http://purl.org/rss/1.0/modules/slash/}comments")
        for item in root.iter("item")
    }
    assert counts == {"The secret train of 1928": "3", "Tomsk bakers revive a rye loaf": "0"}
    train = next(i for i in root.iter("item") if i.findtext("title") == "The secret train of 1928")
    assert train.findtext("comments") == train.findtext("link") + "#comments"


def test_atom_entries_count_comments_and_stay_valid(client, discussed, atom_schema):
    response = client.get("/feed/atom/")
    root = etree.fromstring(response.content)
    counts = {
        e.findtext("atom:title", namespaces=NS): e.findtext("{http://purl.org/syndication/thread/1.0}total")
        for e in root.findall("atom:entry", NS)
    }
    assert counts == {"The secret train of 1928": "3", "Tomsk bakers revive a rye loaf": "0"}
    assert atom_schema.validate(root), atom_schema.error_log
    # A comment published later changes the count, so the feed is purged with the article.
    assert tags.article(discussed["train"].pk) in response.wsgi_request.cache_tags
