"""Which matches a search lists when more stories match than it shows: the newest ones, however
far apart in time they were published and however many newer stories do not match, ranked
best first among themselves (on SQLite and on PostgreSQL)."""

from datetime import UTC, datetime

import pytest

from tests.factories import CityFactory

from .pages import page_of, story

pytestmark = pytest.mark.django_db


@pytest.fixture
def sparse_archive(site):
    """Four stories about the glacier, years apart, under newer stories about other things."""
    for year in (1990, 2002, 2010, 2018):
        story(f"Report of {year}", body="<p>The glacier moved again.</p>", published=datetime(year, 6, 1, tzinfo=UTC))
    for day in (1, 2, 3):
        story(f"Market day {day}", published=datetime(2024, 1, day, tzinfo=UTC))


def test_the_newest_matches_are_found_however_old_they_are(client, sparse_archive, settings):
    settings.GAZETTE_SEARCH_MAX_RESULTS = 2
    found, html = page_of(client, "glacier", order="newest")
    assert found == ["Report of 2018", "Report of 2010"]
    assert "More than 2 stories found" in html


def test_matches_up_to_the_limit_are_all_found_and_counted(client, sparse_archive, settings):
    settings.GAZETTE_SEARCH_MAX_RESULTS = 4
    found, html = page_of(client, "glacier", order="newest")
    assert found == ["Report of 2018", "Report of 2010", "Report of 2002", "Report of 1990"]
    assert "4 stories found" in html and "More than" not in html


def test_a_date_range_reaches_older_matches_than_the_limit_shows(client, sparse_archive, settings):
    settings.GAZETTE_SEARCH_MAX_RESULTS = 1
    found, html = page_of(client, "glacier", order="newest", date_from="1995-01-01", date_to="2015-12-31")
    assert found == ["Report of 2010"]
    assert "More than 1 story found" in html
    found, html = page_of(client, "glacier", order="newest", date_from="1995-01-01", date_to="2005-12-31")
    assert found == ["Report of 2002"]
    assert "1 story found" in html and "More than" not in html


def test_among_the_newest_matches_a_headline_match_ranks_first(client, sparse_archive, settings):
    settings.GAZETTE_SEARCH_MAX_RESULTS = 3
    story("Glacier retreats", published=datetime(2012, 6, 1, tzinfo=UTC))
    # The newest three matches are 2018, the headline of 2012 and 2010; the headline ranks
    # first, then the body mentions, newest first.
    found, _html = page_of(client, "glacier")
    assert found == ["Glacier retreats", "Report of 2018", "Report of 2010"]


def test_filters_and_phrases_find_the_newest_matches_under_newer_stories(client, site, settings):
    settings.GAZETTE_SEARCH_MAX_RESULTS = 2
    omsk = CityFactory(name="Omsk", slug="omsk")
    for year in (2001, 2009):
        when = datetime(year, 1, 5, tzinfo=UTC)
        story(f"Ice {year}", body="<p>The ice road opened.</p>", cities=[omsk], published=when)
        story(f"Road {year}", body="<p>The road was icy.</p>", cities=[omsk], published=when.replace(month=2))
    story("Concert", cities=[omsk], published=datetime(2024, 3, 1, tzinfo=UTC))
    assert page_of(client, '"ice road"', order="newest")[0] == ["Ice 2009", "Ice 2001"]
    assert page_of(client, "road", city="omsk", order="newest")[0] == ["Road 2009", "Ice 2009"]


def test_pages_of_ranked_results_follow_each_other_without_gaps(client, site, settings):
    settings.GAZETTE_SEARCH_MAX_RESULTS = 11
    for n in range(12):
        body = "<p>The ferry sailed.</p>" if n % 3 else "<p>The ferry sailed. The ferry returned.</p>"
        story(f"Crossing {n}", body=body, published=datetime(2000 + n, 1, 1, tzinfo=UTC))
    first, html = page_of(client, "ferry")
    second, _ = page_of(client, "ferry", page=2)
    assert "More than 11 stories found" in html
    assert len(first) == 10 and len(second) == 1
    assert set(first + second) == {f"Crossing {n}" for n in range(1, 12)}
