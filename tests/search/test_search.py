"""Site search as a reader uses it: words, filters, highlighted matches, pages, noindex."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from gazette.articles.models import ArticlePage
from gazette.search.services import excerpt, highlight, query_terms
from tests.factories import CityFactory, ContributorFactory, make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rendition_warming")]

URL = "/search/"


def headlines(response) -> list[str]:
    html = response.content.decode()
    found = re.findall(r'<h3 class="search-hit__headline"><a href="[^"]*">(.*?)</a></h3>', html)
    return [re.sub(r"</?mark>", "", h) for h in found]


@pytest.fixture
def archive(site):
    omsk = CityFactory(name="Omsk", slug="omsk")
    barnaul = CityFactory(name="Barnaul", slug="barnaul")
    anna = ContributorFactory(name="Anna Petrova", slug="anna")
    igor = ContributorFactory(name="Igor Vasiliev", slug="igor")
    stories = {
        "ferry": make_article(
            title="Ferry season ends early",
            standfirst="Ice has closed the river crossing.",
            authors=[anna],
            cities=[omsk],
            lead_image=None,
            body=[("paragraph", "<p>The last boat crossed the Irtysh on Saturday with forty passengers.</p>")],
            published=datetime(2024, 2, 20, 8, tzinfo=UTC),
        ),
        "tram": make_article(
            title="New trams for the centre",
            standfirst="The city council bought ten cars.",
            authors=[igor],
            cities=[barnaul],
            lead_image=None,
            body=[("paragraph", "<p>Delivery is expected in spring; the old depot will be rebuilt.</p>")],
            published=datetime(2023, 6, 1, 8, tzinfo=UTC),
        ),
        "archive": make_article(
            title="The secret train of 1928",
            standfirst="A journey through five cities.",
            authors=[anna, igor],
            cities=[omsk, barnaul],
            lead_image=None,
            body=[("quote", {"quote": "The stations were emptied before the train arrived.", "attribution": ""})],
            published=datetime(2014, 10, 15, 20, tzinfo=UTC),
        ),
    }
    return {"omsk": omsk, "barnaul": barnaul, "anna": anna, "igor": igor, **stories}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ferry", ["Ferry season ends early"]),  # headline
        ("council", ["New trams for the centre"]),  # standfirst
        ("Irtysh", ["Ferry season ends early"]),  # body paragraph
        ("emptied", ["The secret train of 1928"]),  # body quote
        ("Vasiliev", ["New trams for the centre", "The secret train of 1928"]),  # co-author
        ("Barnaul", ["New trams for the centre", "The secret train of 1928"]),  # city
        ("Petrova Barnaul", ["The secret train of 1928"]),  # all words must match
        ("submarine", []),
    ],
)
def test_search_finds_headlines_standfirsts_bodies_contributors_and_cities(client, archive, query, expected):
    response = client.get(URL, {"q": query, "order": "newest"})
    assert response.status_code == 200
    assert headlines(response) == expected
    if not expected:
        assert "No stories found" in response.content.decode()


def test_filters_by_city_and_dates(client, archive):
    assert headlines(client.get(URL, {"q": "Vasiliev", "city": "omsk"})) == ["The secret train of 1928"]
    response = client.get(URL, {"q": "Petrova", "date_from": "2023-01-01"})
    assert headlines(response) == ["Ferry season ends early"]
    # Dates are days in the site's zone: 15 October 20:00 UTC is 16 October in Novosibirsk.
    response = client.get(URL, {"q": "Petrova", "date_from": "2014-10-16", "date_to": "2014-10-16"})
    assert headlines(response) == ["The secret train of 1928"]
    assert headlines(client.get(URL, {"q": "Petrova", "date_to": "2014-10-15"})) == []
    # Filters alone list the matching stories, newest first.
    assert headlines(client.get(URL, {"city": "barnaul"})) == ["New trams for the centre", "The secret train of 1928"]
    response = client.get(URL, {"date_from": "2014-10-16", "date_to": "2023-06-01"})
    assert headlines(response) == ["New trams for the centre", "The secret train of 1928"]


def test_invalid_filters_are_reported_not_crashed(client, archive):
    response = client.get(URL, {"q": "ferry", "date_from": "2024-03-01", "date_to": "2024-01-01"})
    html = response.content.decode()
    assert response.status_code == 200 and "The end date is before the start date." in html
    assert headlines(response) == []
    response = client.get(URL, {"q": "ferry", "city": "atlantis", "date_from": "yesterday"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_matches_are_highlighted_and_escaped(client, site):
    make_article(
        title="<b>Bold</b> claims about the river",
        standfirst="Rivers & <script>alert(1)</script> bridges.",
        lead_image=None,
        body=[("paragraph", "<p>" + "Filler words here. " * 20 + "The river froze at dawn. " + "More. " * 40 + "</p>")],
    )
    response = client.get(URL, {"q": "river <script>"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; claims about the <mark>river</mark>" in html
    assert "<mark>Rivers</mark> &amp; &lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; bridges." in html
    hit_excerpt = re.search(r'<p class="search-hit__excerpt">(.*?)</p>', html).group(1)
    assert hit_excerpt.startswith("… ") and hit_excerpt.endswith(" …")
    assert "The <mark>river</mark> froze at dawn." in hit_excerpt
    # The query is echoed back escaped in the form.
    assert 'value="river &lt;script&gt;"' in html


def test_results_are_paginated_and_keep_the_query(client, site):
    for n in range(23):
        make_article(
            title=f"Flood report {n}",
            lead_image=None,
            published=datetime(2020, 1, 1 + n, tzinfo=UTC),
        )
    make_article(title="Unrelated", lead_image=None)
    first = client.get(URL, {"q": "flood", "order": "newest"})
    html = first.content.decode()
    assert "23 stories found" in html and "Page 1 of 3" in html
    assert headlines(first)[:2] == ["Flood report 22", "Flood report 21"] and len(headlines(first)) == 10
    assert 'href="?q=flood&amp;order=newest&amp;page=2"' in html
    third = client.get(URL, {"q": "flood", "order": "newest", "page": 3})
    assert headlines(third) == ["Flood report 2", "Flood report 1", "Flood report 0"]
    assert '<ol class="search-results__list" start="21">' in third.content.decode()


def test_results_pages_are_noindex_and_never_cached(client, archive):
    response = client.get(URL, {"q": "ferry"})
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_drafts_and_unpublished_stories_are_not_found(client, archive):
    archive["ferry"].unpublish()
    assert headlines(client.get(URL, {"q": "ferry"})) == []


def test_byline_and_cities_added_in_the_editor_are_searchable_once_published(client, site, django_user_model):
    """Wagtail indexes a page on save, before the admin stores its bylines and cities: a co-author
    or city added in an edit must still be in the index once the edit is published."""
    editor = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(editor)
    olga = ContributorFactory(name="Olga Zamyatina", slug="olga")
    pavel = ContributorFactory(name="Pavel Kirillov", slug="pavel")
    narym = CityFactory(name="Narym", slug="narym")

    def post(url, bylines, cities, initial=0):
        data = nested_form_data(
            {
                "title": "Exiles remembered",
                "slug": "exiles-remembered",
                "standfirst": "A museum opens.",
                "lead_caption": "",
                "lead_credit": "",
                "body": streamfield([("paragraph", rich_text("<p>Text.</p>"))]),
                "bylines": inline_formset(bylines, initial=initial, min=1),
                "comment_settings": inline_formset([]),
                "comment_notifications": "",
                "action-publish": "1",
            }
        )
        data["cities"] = [c.pk for c in cities]
        assert client.post(url, data).status_code == 302

    add = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", site["news"].pk))
    post(add, [{"contributor": olga.pk}], [])
    page = ArticlePage.objects.get(slug="exiles-remembered")
    existing = {"id": page.bylines.get().pk, "contributor": olga.pk}
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    post(edit, [existing, {"contributor": pavel.pk}], [narym], initial=1)
    assert list(page.cities.all()) == [narym], "the form saved the cities"
    client.logout()
    assert headlines(client.get(URL, {"q": "Zamyatina"})) == ["Exiles remembered"]
    assert headlines(client.get(URL, {"q": "Kirillov"})) == ["Exiles remembered"]
    assert headlines(client.get(URL, {"q": "Narym"})) == ["Exiles remembered"]


def test_renaming_a_contributor_reindexes_their_stories(client, archive, django_capture_on_commit_callbacks):
    anna = archive["anna"]
    anna.name = "Anna Sokolova"
    with django_capture_on_commit_callbacks(execute=True):
        anna.save()
    assert headlines(client.get(URL, {"q": "Sokolova", "order": "newest"})) == [
        "Ferry season ends early",
        "The secret train of 1928",
    ]


def test_relevance_puts_headline_matches_first(client, site):
    make_article(title="Budget approved", standfirst="The bridge gets money.", lead_image=None)
    make_article(title="Bridge reopens", standfirst="Traffic returns.", lead_image=None)
    assert headlines(client.get(URL, {"q": "bridge"}))[0] == "Bridge reopens"


def test_empty_search_shows_only_the_form(client, site):
    html = client.get(URL).content.decode()
    assert '<form class="search-form"' in html and "stories found" not in html and "No stories" not in html


def test_highlight_helpers():
    terms = query_terms("Omsk  omsk rivers")
    assert terms == ["rivers", "omsk"]
    assert highlight("<i>Omsk</i>", ["omsk"]) == "&lt;i&gt;<mark>Omsk</mark>&lt;/i&gt;"
    assert highlight("Омск и Томск", query_terms("омск")) == "<mark>Омск</mark> и Томск"
    assert excerpt("nothing to see", ["omsk"]) == ""
