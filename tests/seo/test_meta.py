"""What search engines and link previews read in every page's <head>: JSON-LD, Open Graph, canonical."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import CityFactory, ContributorFactory, ImageFactory, make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rendition_warming")]

BASE = "http://testserver"


class HeadParser(HTMLParser):
    """Collects <meta>, <link rel=canonical> and JSON-LD scripts as a crawler would."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.json_ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta.setdefault(attrs.get("name") or attrs["property"], []).append(attrs.get("content"))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data


def parse(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def _one(parser, key):
    values = parser.meta.get(key, [])
    assert len(values) == 1, (key, values)
    return values[0]


@pytest.fixture
def story(site):
    novosibirsk = CityFactory(name="Novosibirsk", slug="novosibirsk", region="Novosibirsk Oblast")
    novosibirsk.latitude, novosibirsk.longitude = Decimal("55.030200"), Decimal("82.920400")
    novosibirsk.save()
    barnaul = CityFactory(name="Barnaul", slug="barnaul")
    authors = [
        ContributorFactory(name="Elena Kuznetsova", slug="elena"),
        ContributorFactory(name="Anna Petrova", slug="anna"),
        ContributorFactory(name="Maria Orlova", slug="maria"),
    ]
    lead = ImageFactory(caption="The train east of Omsk.", credit="State Archives of the Novosibirsk region")
    inline = ImageFactory(caption="Own caption.", credit="Omsk museum")
    page = make_article(
        title="The secret train of 1928",
        standfirst="Five cities, one sealed carriage.",
        authors=authors,
        cities=[novosibirsk, barnaul],
        topics=["Railways", "History"],
        lead_image=lead,
        body=[
            ("paragraph", "<p>In the autumn of 1928 a special train left.</p>"),
            ("image", {"image": inline, "caption": "", "credit": "Pictures: a private collection"}),
        ],
        published=datetime(2014, 10, 15, 20, 0, tzinfo=UTC),
    )
    return {"page": page, "authors": authors, "lead": lead, "inline": inline}


def test_article_news_article_json_ld(client, story):
    page = story["page"]
    head = parse(client, page.url)
    assert len(head.json_ld) == 1
    data = json.loads(head.json_ld[0])
    url = f"{BASE}{page.url}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "The secret train of 1928"
    assert data["url"] == url and data["mainEntityOfPage"]["@id"] == url
    assert data["description"] == "Five cities, one sealed carriage."
    assert data["datePublished"] == "2014-10-16T03:00:00+07:00"
    assert datetime.fromisoformat(data["dateModified"]) >= datetime.fromisoformat(data["datePublished"])
    assert data["author"] == [
        {
            "@type": "Person",
            "name": name,
            "url": f"{BASE}/contributors/{slug}/",
            "jobTitle": "Reporter",
        }
        for name, slug in [("Elena Kuznetsova", "elena"), ("Anna Petrova", "anna"), ("Maria Orlova", "maria")]
    ]
    lead, inline = data["image"]
    assert lead["@type"] == inline["@type"] == "ImageObject"
    assert lead["url"].startswith(f"{BASE}/") and lead["url"].endswith(".jpg") and lead["width"] > 0
    assert lead["caption"] == "The train east of Omsk."
    assert lead["creditText"] == lead["copyrightNotice"] == "State Archives of the Novosibirsk region"
    assert inline["caption"] == "Own caption."  # the block left it empty: the image's own
    # Who is credited, without the prefix the editor typed for the line under the picture.
    assert inline["creditText"] == inline["copyrightNotice"] == "a private collection"
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "The Siberian Gazette"
    assert data["publisher"]["logo"]["url"] == f"{BASE}/static/seo/publisher-logo.png"
    novosibirsk, barnaul = sorted(data["contentLocation"], key=lambda p: p["name"], reverse=True)
    assert novosibirsk["@type"] == "Place" and novosibirsk["name"] == "Novosibirsk"
    assert novosibirsk["geo"] == {"@type": "GeoCoordinates", "latitude": 55.0302, "longitude": 82.9204}
    assert barnaul == {"@type": "Place", "name": "Barnaul"}  # no coordinates recorded: no geo
    assert data["keywords"] == ["History", "Railways"]  # its topics


def test_article_preview_tags(client, story):
    page = story["page"]
    head = parse(client, page.url)
    url = f"{BASE}{page.url}"
    assert head.canonical == [url]
    assert _one(head, "description") == "Five cities, one sealed carriage."
    assert _one(head, "og:type") == "article"
    assert _one(head, "og:title") == "The secret train of 1928"
    assert _one(head, "og:url") == url
    assert _one(head, "og:site_name") == "The Siberian Gazette"
    assert _one(head, "og:image").startswith(f"{BASE}/") and int(_one(head, "og:image:width")) == 640
    assert _one(head, "og:image:alt") == story["lead"].description
    assert _one(head, "article:published_time") == "2014-10-16T03:00:00+07:00"
    assert head.meta["article:author"] == [f"{BASE}/contributors/{s}/" for s in ("elena", "anna", "maria")]
    assert _one(head, "twitter:card") == "summary_large_image"
    assert _one(head, "twitter:image") == _one(head, "og:image")


def test_json_ld_cannot_be_broken_out_of(client, site):
    evil = "</script><script>alert(1)</script><!-- & -->"
    page = make_article(title=evil, standfirst=evil, lead_image=None)
    html = client.get(page.url).content.decode()
    head_html = html.split("</head>")[0]
    assert "<script>alert(1)" not in head_html
    head = HeadParser()
    head.feed(html)
    data = json.loads(head.json_ld[0])
    assert data["headline"] == evil and data["description"] == evil
    assert _one(head, "og:title") == evil  # attribute-escaped, read back intact
    assert "image" not in data and _one(head, "twitter:card") == "summary"


@pytest.mark.parametrize(
    ("url_name", "expected_description"),
    [
        ("home", "Regional news from Siberia's cities."),
        ("news", "Every story, newest first."),
        ("privacy", "We keep little."),
        ("contributor", "Stories by Anna Petrova, reporter."),
        ("search", "Search the archive of stories by words, city and date."),
    ],
)
def test_every_public_page_has_one_description_canonical_and_preview(client, site, url_name, expected_description):
    news = site["news"]
    news.intro = "Every story, newest first."
    news.save_revision().publish()
    ContributorFactory(name="Anna Petrova", slug="anna-petrova")
    url = {
        "home": "/",
        "news": "/news/",
        "privacy": "/privacy-policy/",
        "contributor": reverse("articles:contributor", kwargs={"slug": "anna-petrova"}),
        "search": reverse("search:search"),
    }[url_name]
    head = parse(client, url)
    assert _one(head, "description") == expected_description
    assert head.canonical == [f"{BASE}{url}"]
    assert _one(head, "og:url") == f"{BASE}{url}"
    assert _one(head, "og:type") == "website"
    assert _one(head, "og:title") and _one(head, "twitter:title") == _one(head, "og:title")
    assert _one(head, "twitter:description") == expected_description
    assert head.json_ld == []
    assert ("robots" in head.meta) == (url_name == "search")


def test_canonical_keeps_only_the_listing_page_number(client, site):
    for n in range(11):
        make_article(title=f"Story {n}", lead_image=None)
    head = parse(client, "/?page=2&utm_source=mail")
    assert head.canonical == [f"{BASE}/?page=2"]
    article = make_article(title="Commented", lead_image=None)
    head = parse(client, f"{article.url}?comment=published")
    assert head.canonical == [f"{BASE}{article.url}"]


def test_search_description_wins_over_standfirst(client, site):
    page = make_article(title="T", standfirst="The standfirst.", search_description="For search engines.")
    head = parse(client, page.url)
    assert _one(head, "description") == "For search engines."
    assert json.loads(head.json_ld[0])["description"] == "For search engines."


def test_templates_describe_themselves_with_their_blocks(rf, site):
    """Other apps' pages set ``{% block title %}`` and ``{% block meta_description %}``."""
    from django.template import engines

    source = (
        '{% extends "base.html" %}{% block title %}Rates & <b>history</b>{% endblock %}'
        "{% block meta_description %}Official rates & {{ what }}.{% endblock %}"
    )
    request = rf.get("/rates/?utm_source=x")
    html = engines["django"].from_string(source).render({"what": "O'Brien's notes"}, request)
    head = HeadParser()
    head.feed(html)
    assert _one(head, "description") == "Official rates & O'Brien's notes."
    assert _one(head, "og:title") == "Rates & history"
    assert head.canonical == [f"{BASE}/rates/"]
    assert 'content="Official rates &amp; O&#x27;Brien&#x27;s notes."' in html  # escaped once, not twice
