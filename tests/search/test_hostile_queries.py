"""Whatever a client puts in the search URL, the answer is a page with the search form, never a 5xx."""

import json
import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from wagtail.search.query import And, Phrase, PlainText

from gazette.search.services import parse_query
from tests.factories import CityFactory, make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rendition_warming")]

URL = "/search/"
BLNS = Path(__file__).resolve().parents[1] / "fixtures" / "blns"
FORM = '<form class="search-form"'
NOT_UNDERSTOOD = "We could not understand that search"


def naughty_strings() -> list[str]:
    """Every string of both lists: each line of blns.txt (comments and blanks left out) and blns.json."""
    lines = (BLNS / "blns.txt").read_text(encoding="utf-8").split("\n")
    strings = [line for line in lines if line.strip() and not line.startswith("#")]
    strings += [s for s in json.loads((BLNS / "blns.json").read_text(encoding="utf-8")) if s not in strings]
    return strings


# Search syntax of SQLite FTS5 and PostgreSQL tsquery, unbalanced, empty or misplaced.
SYNTAX = [
    '"ferry',
    'ferry"',
    '"',
    '""',
    '"""',
    "'ferry",
    "ferry'",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "ferry AND",
    "OR ferry",
    "NOT ferry",
    "ferry NOT river",
    "ferry OR OR tram",
    "NEAR(ferry river)",
    "NEAR(ferry river, 2)",
    "NEAR(",
    "ferry*",
    "*",
    "*ferry",
    "^ferry",
    "ferry^",
    "title:ferry",
    "{title body}: ferry",
    "body:",
    ":",
    "-ferry",
    "ferry -river",
    "+ferry",
    "(",
    ")",
    "(ferry",
    "ferry)",
    "((ferry))",
    "ferry & river",
    "ferry | river",
    "!ferry",
    "ferry <-> river",
    "ferry:*",
    "ferry:A",
    "\\",
    "ferry\\",
    "%",
    "%s",
    "%(q)s",
    "_",
    "'; DROP TABLE wagtailcore_page; --",
    "ferry\x00",
    "\x00",
    "fer\x00ry",
    "\x01\x02\x1b[31m",
    "ferry" + "\u200b",
    "\ufeffferry",
    "Омск",
    "🚢 ferry",
]
LONG = ["ferry " * 1707, "a" * 10240, '"' * 10240, "(" * 10240, "ferry " + "x" * 10234]
# Raw query strings the test client would refuse to build: lone surrogates in UTF-8 form,
# bytes that are not UTF-8 at all, a query given twice.
RAW = [
    "q=%ED%A0%80ferry",
    "q=ferry%ED%B2%A9",
    "q=%FF%FEferry",
    "q=%C0%AF",
    "q=%00",
    "q=ferry&q=%22",
    "q",
    "q=&q=&order=",
    "q=ferry&page=%00",
]


@pytest.fixture
def ferry(site, settings):
    settings.GAZETTE_SEARCH_RATE = None  # one reader sends every query of a test
    omsk = CityFactory(name="Omsk", slug="omsk")
    make_article(
        title="Ferry season ends early",
        standfirst="Ice has closed the river crossing.",
        cities=[omsk],
        lead_image=None,
        body=[("paragraph", "<p>The last boat crossed the Irtysh with forty passengers.</p>")],
    )
    make_article(
        title="New trams for the centre",
        standfirst="Ten cars.",
        lead_image=None,
        body=[("paragraph", "<p>Delivery is expected in spring.</p>")],
    )
    return omsk


def headlines(response) -> list[str]:
    found = re.findall(r'<h3 class="search-hit__headline"><a href="[^"]*">(.*?)</a></h3>', response.content.decode())
    return [re.sub(r"</?mark>", "", h) for h in found]


def assert_a_search_page(response, label):
    assert response.status_code in (200, 400), f"{label!r} answered {response.status_code}"
    assert FORM in response.content.decode(), f"{label!r} has no search form"


def test_every_naughty_string_gets_a_search_page(client, settings, ferry):
    settings.GAZETTE_SEARCH_RATE = None
    # The masthead and footer, which no query reaches, built once for all the strings, not per page.
    settings.GAZETTE_FRAGMENT_CACHE = True
    strings = naughty_strings()
    assert len(strings) > 700
    for string in strings:
        assert_a_search_page(client.get(URL, {"q": string}), string)
    # And the same strings in the filters.
    for string in strings[::7]:
        assert_a_search_page(client.get(URL, {"q": "ferry", "city": string, "date_from": string}), string)


# The queries of each test below share one site: setting it up (two published stories) costs
# more than the searches, a second on PostgreSQL.


def test_search_syntax_and_long_queries_get_a_search_page(client, ferry):
    for query in SYNTAX + LONG:
        assert_a_search_page(client.get(URL, {"q": query}), query)


def test_undecodable_and_repeated_parameters_get_a_search_page(client, ferry):
    for raw in RAW:
        assert_a_search_page(client.get(f"{URL}?{raw}"), raw)


STRAY_SYNTAX = [
    '"ferry',
    'ferry"',
    "'ferry",
    "ferry*",
    "^ferry",
    "(ferry",
    "NEAR(ferry",
    "ferry AND",
    "NOT ferry",
    "ferry\\",
    "fer\x00ry",
    "\ufeffferry",
    "%ED%A0%80ferry",
    '"ferry season"',
    "ferry OR submarine",
    "submarine OR ferry",
]


def test_stray_syntax_still_finds_the_words(client, ferry):
    for query in STRAY_SYNTAX:
        raw = f"{URL}?q={query}" if "%" in query else f"{URL}?{urlencode({'q': query})}"
        response = client.get(raw)
        assert response.status_code == 200, query
        assert headlines(response) == ["Ferry season ends early"], query


def test_a_quoted_phrase_must_match_side_by_side(client, ferry):
    assert headlines(client.get(URL, {"q": '"season ferry"'})) == []
    assert headlines(client.get(URL, {"q": '"river crossing"'})) == ["Ferry season ends early"]
    assert headlines(client.get(URL, {"q": "ferry tram"})) == []
    either = sorted(headlines(client.get(URL, {"q": "ferry OR trams"})))
    assert either == ["Ferry season ends early", "New trams for the centre"]


def test_a_query_without_words_says_it_was_not_understood(client, ferry):
    for query in ['"', "***", "()", "AND OR NOT", ":^*", "%ED%A0%80"]:
        response = client.get(f"{URL}?q={quote(query, safe='%')}")
        html = response.content.decode()
        assert response.status_code == 200, query
        assert NOT_UNDERSTOOD in html and FORM in html, query
        assert "stories found" not in html and "No stories found" not in html, query


def test_a_query_over_200_characters_is_refused_with_a_clear_error(client, ferry):
    response = client.get(URL, {"q": "ferry " * 1707})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters (it has 10241)." in html
    assert headlines(response) == []


@pytest.mark.parametrize(
    "params",
    [
        {"city": "atlantis"},
        {"city": "omsk'; --"},
        {"city": "\x00"},
        {"city": "x" * 10240},
        {"city": ["omsk", "atlantis"]},
        {"date_from": "0000-00-00"},
        {"date_from": "0001-01-01"},
        {"date_to": "0001-01-01"},
        {"date_from": "9999-12-31"},
        {"date_to": "9999-12-31"},
        {"date_from": "2024-13-45"},
        {"date_from": "99999-01-01"},
        {"date_to": "-1"},
        {"date_from": "\x00"},
        {"date_from": "2024-02-20", "date_to": "1900-01-01"},
        {"order": "random()"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "1" + "0" * 40},
        {"page": "1e5"},
        {"page": "\x00"},
    ],
)
def test_junk_filters_get_a_search_page(client, ferry, params):
    for query in ("ferry", ""):
        assert_a_search_page(client.get(URL, {"q": query, **params}), params)


def test_out_of_range_dates_are_reported(client, ferry):
    response = client.get(URL, {"q": "ferry", "date_to": "9999-12-31"})
    assert "Enter a date between 1000-01-01 and 9998-12-31." in response.content.decode()
    assert headlines(client.get(URL, {"q": "ferry", "date_to": "9998-12-31"})) == ["Ferry season ends early"]


def test_the_parsed_query_keeps_only_words_and_phrases():
    assert parse_query('"ferry').terms == ["ferry"]
    assert parse_query("NOT title:ferry* OR").terms == ["ferry", "title"]
    assert parse_query("(*^:)").query is None
    query = parse_query('ferry "river crossing"').query
    assert isinstance(query, And)
    assert [type(q) for q in query.subqueries] == [PlainText, Phrase]
    assert [query.subqueries[0].query_string, query.subqueries[1].query_string] == ["ferry", "river crossing"]
