"""Ranking as readers see it: a word in the headline first, then in the standfirst or a name, then
in the body; kept right when the entry's text changes, when its publication time moves, and (on
PostgreSQL) for entries indexed before their rank vector existed."""

import importlib
import re
from datetime import UTC, datetime

import pytest
from django.db import connection

from gazette.articles.models import ArticlePage
from gazette.search.models import SearchEntry
from tests.factories import ContributorFactory

from .pages import story

pytestmark = pytest.mark.django_db

URL = "/search/"


def ranked(client, query: str) -> list[str]:
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    found = re.findall(r'<h3 class="search-hit__headline"><a href="[^"]*">(.*?)</a></h3>', response.content.decode())
    return [re.sub(r"</?mark>", "", h) for h in found]


def test_headline_then_standfirst_and_names_then_body_whatever_the_dates(client, site):
    # The body mentions are the newest and the most numerous, the headline match the oldest.
    story(
        "Tundra notes",
        body="<p>Permafrost, permafrost and more permafrost.</p>",
        published=datetime(2025, 3, 1, tzinfo=UTC),
    )
    story(
        "Ice roads",
        authors=[ContributorFactory(name="Vera Permafrost")],
        published=datetime(2024, 3, 1, tzinfo=UTC),
    )
    story("Road repairs", standfirst="Permafrost cracks the asphalt.", published=datetime(2023, 3, 1, tzinfo=UTC))
    story("Permafrost thaws", published=datetime(2001, 3, 1, tzinfo=UTC))
    result = ranked(client, "permafrost")
    assert result[0] == "Permafrost thaws"
    assert set(result[1:3]) == {"Ice roads", "Road repairs"}
    assert result[3] == "Tundra notes"


def test_an_edited_headline_changes_the_rank_and_a_moved_date_keeps_it(client, site):
    mention = story(
        "Council budget", body="<p>The glacier museum gets a grant.</p>", published=datetime(2024, 1, 1, tzinfo=UTC)
    )
    story("Glacier tours resume", published=datetime(2010, 1, 1, tzinfo=UTC))
    assert ranked(client, "glacier") == ["Glacier tours resume", "Council budget"]

    edited = ArticlePage.objects.get(pk=mention.pk)
    edited.title = "Glacier museum funded"
    edited.body = [("paragraph", "<p>Nothing else happened.</p>")]
    edited.save_revision().publish()
    # Both headlines hold the word now, alike: the newer first.
    assert ranked(client, "glacier") == ["Glacier museum funded", "Glacier tours resume"]

    # Moving the publication time moves the entry's key; its rank stays the headline's.
    ArticlePage.objects.filter(pk=mention.pk).update(first_published_at=datetime(1990, 1, 1, tzinfo=UTC))
    story("Weather", body="<p>Cold wind from the glacier.</p>", published=datetime(2025, 1, 1, tzinfo=UTC))
    assert ranked(client, "glacier") == ["Glacier tours resume", "Glacier museum funded", "Weather"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the rank vector is PostgreSQL's")
def test_entries_indexed_before_the_rank_vector_are_ranked_after_the_migration(client, site):
    story("Harbour notes", body="<p>The lighthouse keeper retires.</p>", published=datetime(2024, 1, 1, tzinfo=UTC))
    story("Lighthouse restored", published=datetime(2000, 1, 1, tzinfo=UTC))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {SearchEntry._meta.db_table} SET rank_vector = NULL")  # noqa: S608
        # The test's transaction holds deferred foreign key checks, which ALTER TABLE refuses
        # to run beside; a migration runs in a transaction of its own.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # Without it every match ranks alike, newest first.
    assert ranked(client, "lighthouse") == ["Harbour notes", "Lighthouse restored"]

    migration = importlib.import_module("gazette.search.migrations.0003_add_rank_vector")
    with connection.schema_editor() as editor:
        migration.add_rank_vector(None, editor)
    assert ranked(client, "lighthouse") == ["Lighthouse restored", "Harbour notes"]
