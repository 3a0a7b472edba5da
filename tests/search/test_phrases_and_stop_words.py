"""Phrases and stop words as readers meet them, the same on SQLite and on PostgreSQL: a phrase finds
its words side by side among many stories holding them apart, and the words both databases leave
out of the index ("the", "of", "в") neither find nor hide a story."""

import re

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = "/search/"


def headlines(response) -> list[str]:
    assert response.status_code == 200
    found = re.findall(r'<h3 class="search-hit__headline"><a href="[^"]*">(.*?)</a></h3>', response.content.decode())
    return sorted(re.sub(r"</?mark>", "", h) for h in found)


def found(client, query) -> list[str]:
    return headlines(client.get(URL, {"q": query, "order": "newest"}))


def story(title, body, standfirst="A short report."):
    return make_article(title=title, standfirst=standfirst, lead_image=None, body=[("paragraph", body)])


@pytest.fixture
def councils(site):
    story("Side by side", "<p>The city council met on Monday.</p>")
    story("Stop word between", "<p>A city of council houses.</p>")
    story("Other word between", "<p>The city hall council stayed shut.</p>")
    story("Reversed", "<p>The council of the region praised the city.</p>")
    for n in range(12):
        story(f"Apart {n}", f"<p>The council voted. Later the city slept, night {n}.</p>")


def test_a_phrase_finds_its_words_side_by_side_only(client, councils):
    assert found(client, '"city council"') == ["Side by side"]
    assert found(client, '"council city"') == []
    assert "16 stories found" in client.get(URL, {"q": "city council"}).content.decode()


def test_a_stop_word_inside_a_phrase_stands_for_a_stop_word_only(client, councils):
    assert found(client, '"city of council"') == ["Stop word between"]
    assert found(client, '"city hall council"') == ["Other word between"]


def test_stop_words_at_the_ends_of_a_phrase_are_left_out(client, councils):
    assert found(client, '"the city council"') == ["Side by side"]
    assert found(client, '"city council of"') == ["Side by side"]


def test_a_phrase_beside_words_and_as_an_alternative(client, councils):
    assert found(client, '"city council" Monday') == ["Side by side"]
    assert found(client, '"city council" shut') == []
    assert found(client, '"city council" OR praised') == ["Reversed", "Side by side"]


def test_a_phrase_in_russian(client, site):
    story("Мост", "<p>Городской совет обсудил новый мост через реку.</p>")
    story("Совет", "<p>Совет решил: мост городской, новый.</p>")
    assert found(client, '"городского совета"') == ["Мост"]
    assert found(client, '"совет городской"') == []


@pytest.mark.parametrize("query", ["the", "The of and", '"the of"', "в", "и в на", '"и в"'])
def test_a_query_of_stop_words_alone_finds_nothing(client, site, query):
    story("The river of the city", "<p>The ice on the river is thin. Лёд на реке в городе тонкий.</p>")
    html = client.get(URL, {"q": query}).content.decode()
    assert "No stories found" in html
    assert "We could not understand that search" not in html


@pytest.mark.parametrize(("query", "expected"), [("the ferries", ["Ferry sails"]), ("паром в", ["Паром"])])
def test_stop_words_beside_other_words_neither_find_nor_hide_a_story(client, site, query, expected):
    story("Ferry sails", "<p>Ferry sails at dawn.</p>")
    story("Паром", "<p>Паром отходит утром.</p>")
    assert found(client, query) == expected
