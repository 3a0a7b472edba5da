"""The search index as readers meet it: stemmed words in two languages, ranking, filters, and an
index that follows every publish, unpublish, edit and delete (on SQLite and on PostgreSQL)."""

import re
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from gazette.articles.models import ArticlePage
from gazette.search.models import SearchEntry
from tests.factories import CityFactory, ContributorFactory

from .pages import story

pytestmark = pytest.mark.django_db

URL = "/search/"


def headlines(response) -> list[str]:
    assert response.status_code == 200
    found = re.findall(r'<h3 class="search-hit__headline"><a href="[^"]*">(.*?)</a></h3>', response.content.decode())
    return [re.sub(r"</?mark>", "", h) for h in found]


def found(client, query, **params) -> list[str]:
    return headlines(client.get(URL, {"q": query, "order": "newest", **params}))


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("ferries", "The ferry will not sail."),
        ("ferry", "Both ferries are docked."),
        ("running", "The trams run again."),
        ("Новосибирск", "Концерт прошёл в Новосибирске."),
        ("новосибирские", "Новосибирский театр открылся."),
        ("ёлка", "Ёлку поставили на площади."),
        ("елки", "Ёлку поставили на площади."),
    ],
)
def test_words_are_found_in_any_of_their_forms(client, site, query, text):
    story("A day in the city", body=f"<p>{text}</p>")
    story("Unrelated", body="<p>Nothing to see here.</p>")
    assert found(client, query) == ["A day in the city"]


def test_a_page_in_both_languages_is_found_by_words_of_either(client, site):
    story("Гастроли", body="<p>The orchestra toured Siberia. Оркестр выступил в Новосибирске и Томске.</p>")
    for query in ("orchestras", "toured Siberia", "Новосибирск", "оркестра", "Siberia Томск"):
        assert found(client, query) == ["Гастроли"], query
    assert found(client, '"выступил в Новосибирске"') == ["Гастроли"]
    assert found(client, '"Новосибирске выступил"') == []


def test_stemmed_matches_are_highlighted(client, site):
    story("Ferries return", body="<p>Концерт прошёл в Новосибирске.</p>")
    html = client.get(URL, {"q": "ferry Новосибирск"}).content.decode()
    assert "<mark>Ferries</mark> return" in html
    assert "в <mark>Новосибирске</mark>." in html


def test_a_headline_match_ranks_above_body_and_standfirst_mentions(client, site):
    story(
        "Council meets on Monday",
        body="<p>The councillors discussed the glacier, the glacier museum and glacier tours.</p>",
        published=datetime(2024, 5, 2, tzinfo=UTC),
    )
    story("Markets open", standfirst="The glacier fair starts.", published=datetime(2024, 5, 3, tzinfo=UTC))
    story("Glacier retreats", published=datetime(2010, 1, 1, tzinfo=UTC))
    ranked = headlines(client.get(URL, {"q": "glacier"}))
    assert ranked[0] == "Glacier retreats"
    assert ranked == ["Glacier retreats", "Markets open", "Council meets on Monday"]
    assert headlines(client.get(URL, {"q": "glacier", "order": "newest"}))[0] == "Markets open"


def test_filters_narrow_inside_the_index(client, site):
    anna = ContributorFactory(name="Anna Petrova", slug="anna")
    igor = ContributorFactory(name="Igor Vasiliev", slug="igor")
    omsk = CityFactory(name="Omsk", slug="omsk")
    story("Bridge opens", authors=[anna], cities=[omsk], published=datetime(2020, 3, 1, tzinfo=UTC))
    story("Bridge closes", authors=[igor], published=datetime(2021, 3, 1, tzinfo=UTC))
    story("Bridge repaired", authors=[anna, igor], published=datetime(2022, 3, 1, tzinfo=UTC))
    assert found(client, "bridge", contributor="anna") == ["Bridge repaired", "Bridge opens"]
    assert found(client, "bridge", contributor="igor", date_to="2021-12-31") == ["Bridge closes"]
    assert found(client, "bridge", contributor="anna", city="omsk") == ["Bridge opens"]
    assert found(client, "", contributor="igor") == ["Bridge repaired", "Bridge closes"]
    response = client.get(URL, {"q": "bridge", "contributor": "nobody"})
    assert "Select a valid choice" in response.content.decode() and headlines(response) == []


def test_a_topic_narrows_to_its_stories_and_its_name_finds_them(client, site):
    story("Bridge opens", topics=["Roads", "Ob river"], published=datetime(2020, 3, 1, tzinfo=UTC))
    story("Bridge closes", topics=["Ob river"], published=datetime(2021, 3, 1, tzinfo=UTC))
    story("Bridge repaired", published=datetime(2022, 3, 1, tzinfo=UTC))
    story("Ferry sails", topics=["ob River"], published=datetime(2023, 3, 1, tzinfo=UTC))  # the same topic
    assert found(client, "", topic="ob-river") == ["Ferry sails", "Bridge closes", "Bridge opens"]
    assert found(client, "bridge", topic="roads") == ["Bridge opens"]
    assert found(client, "roads") == ["Bridge opens"]  # a topic is searchable by its name too

    html = client.get(URL, {"topic": "ob-river"}).content.decode()
    assert "<title>Topic: Ob river |" in html and "<h1>Topic: Ob river</h1>" in html
    assert '<input type="hidden" name="topic" value="ob-river">' in html  # kept by a new search

    response = client.get(URL, {"topic": "nothing-like-it"})
    assert "There is no such topic in the archive." in response.content.decode() and headlines(response) == []


def test_a_story_lists_its_topics_as_links_to_their_stories(client, site):
    article = story("Bridge opens", topics=["Roads", "Ob river"])
    html = client.get(article.url).content.decode()
    assert re.search(
        r'<p class="article__topics">Topics: <a class="tag" href="/search/\?topic=ob-river">Ob river</a> '
        r'<a class="tag" href="/search/\?topic=roads">Roads</a></p>',
        html,
    )
    assert 'class="article__topics"' not in client.get(story("Bridge closes").url).content.decode()


def test_changing_a_storys_topics_reindexes_it(client, site):
    article = story("Bridge opens", topics=["Roads"])
    revision = article.get_latest_revision_as_object()
    revision.topics.set(["Ob river"])
    revision.save_revision().publish()
    assert found(client, "", topic="ob-river") == ["Bridge opens"]
    assert found(client, "", topic="roads") == []


def test_publishing_unpublishing_editing_and_deleting_keep_the_index_in_step(client, site):
    page = story("Floods in the south", body="<p>The river rose overnight.</p>")
    assert found(client, "flood") == ["Floods in the south"]
    assert SearchEntry.objects.filter(page=page).exists()

    page.unpublish()
    assert found(client, "flood") == []
    assert not SearchEntry.objects.filter(page=page).exists()

    page.save_revision().publish()
    assert found(client, "flood") == ["Floods in the south"]

    # A draft does not change what readers find; publishing it does.
    draft = ArticlePage.objects.get(pk=page.pk)
    draft.title = "Drought in the south"
    draft.save_revision()
    assert found(client, "flood") == ["Floods in the south"] and found(client, "drought") == []
    draft.get_latest_revision().publish()
    assert found(client, "drought") == ["Drought in the south"] and found(client, "flood") == []

    ArticlePage.objects.get(pk=page.pk).delete()
    assert found(client, "drought") == []
    assert not SearchEntry.objects.filter(page_id=page.pk).exists()


def test_a_changed_publication_time_moves_the_entry_however_it_is_changed(client, site):
    page = story("Archive photographs found", published=datetime(2024, 1, 10, 12, tzinfo=UTC))
    assert found(client, "photographs", date_from="2024-01-10", date_to="2024-01-10") == ["Archive photographs found"]
    ArticlePage.objects.filter(pk=page.pk).update(first_published_at=datetime(1928, 6, 1, 12, tzinfo=UTC))
    assert found(client, "photographs", date_to="2000-01-01") == ["Archive photographs found"]
    assert found(client, "photographs", date_from="2024-01-01") == []
    assert found(client, "", date_from="1928-06-01", date_to="1928-06-01") == ["Archive photographs found"]


def test_stories_behind_a_view_restriction_are_not_found(client, site):
    page = story("Members only briefing")
    story("Public briefing")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    assert found(client, "briefing") == ["Public briefing"]
    response = client.get(URL, {"q": "briefing"})
    assert "1 story found" in response.content.decode()
    restriction.delete()
    assert sorted(found(client, "briefing")) == ["Members only briefing", "Public briefing"]


def test_rebuild_command_restores_a_lost_index(client, site):
    story("Ice road closes")
    gone = story("Ice road opens")
    SearchEntry.objects.all().delete()
    ArticlePage.objects.filter(pk=gone.pk).update(live=False)
    assert found(client, "ice") == []

    call_command("rebuild_search_index", "--dry-run", stdout=(dry := StringIO()))
    assert "1 live article would be indexed." in dry.getvalue() and found(client, "ice") == []

    call_command("rebuild_search_index", stdout=(out := StringIO()))
    assert "Indexed 1 article." in out.getvalue()
    assert found(client, "ice") == ["Ice road closes"]
    assert list(SearchEntry.objects.values_list("page_id", flat=True)) != [gone.pk]


def test_a_word_in_more_articles_than_the_limit_lists_the_newest_best_first(client, site, settings):
    settings.GAZETTE_SEARCH_MAX_RESULTS = 3
    story("Harbour news", body="<p>The harbour was quiet.</p>", published=datetime(2020, 1, 1, tzinfo=UTC))
    story("Harbour reopens", published=datetime(2001, 1, 1, tzinfo=UTC))
    for day in (1, 2, 3):
        story(f"Weather {day}", body="<p>Wind at the harbour.</p>", published=datetime(2024, 1, day, tzinfo=UTC))
    story("Harbour crane", published=datetime(2024, 1, 2, 12, tzinfo=UTC))
    response = client.get(URL, {"q": "harbour"})
    html = response.content.decode()
    assert headlines(response) == ["Harbour crane", "Weather 3", "Weather 2"]
    assert "More than 3 stories found" in html
    assert "These are the newest matches." in html
    assert found(client, "harbour") == ["Weather 3", "Harbour crane", "Weather 2"]
    assert found(client, "harbour", date_to="2020-12-31") == ["Harbour news", "Harbour reopens"]
    assert "2 stories found" in client.get(URL, {"q": "harbour", "date_to": "2020-12-31"}).content.decode()
