"""Matches spread over many years, as readers see them: the newest ones listed, in order, counted,
whatever the years between them hold (PostgreSQL reads them a window of periods at a time,
newest first; SQLite walks its index; both must list the same stories)."""

from datetime import UTC, datetime

import pytest

from tests.factories import CityFactory, site_tree
from tests.migrated_data import shared_content

from .pages import page_of, story

pytestmark = pytest.mark.django_db

GLACIER = "<p>The glacier moved again.</p>"
# From before 1970 (keys below zero) to this decade, years and decades apart.
YEARS = (1955, 1962, 1971, 1984, 1990, 1999, 2003, 2011, 2015, 2019)


@pytest.fixture(scope="module")
def decades(django_db_setup, django_db_blocker):
    """A glacier story in each of YEARS, three in one month of 2024, and newer stories about other things.

    Published once for the module's tests (sixteen stories): each test runs in a savepoint of the
    fixture's transaction, rolled back after the module's last test.
    """
    with shared_content(django_db_blocker):
        site_tree()
        for year in YEARS:
            story(f"Report of {year}", body=GLACIER, published=datetime(year, 6, 1, tzinfo=UTC))
        for day in (3, 9, 20):
            story(f"Report of 2024-03-{day}", body=GLACIER, published=datetime(2024, 3, day, tzinfo=UTC))
        for month in (4, 5, 6):
            story(f"Market {month}", published=datetime(2024, month, 1, tzinfo=UTC))
        yield


def newest_first():
    return [f"Report of 2024-03-{day}" for day in (20, 9, 3)] + [f"Report of {year}" for year in reversed(YEARS)]


def test_the_newest_matches_over_decades_are_listed_in_order(client, decades, settings):
    for limit in (1, 2, 3, 4, 6, 9, 12):
        settings.GAZETTE_SEARCH_MAX_RESULTS = limit
        found, html = page_of(client, "glacier", order="newest")
        assert found == newest_first()[: min(limit, 10)], limit
        noun = "story" if limit == 1 else "stories"
        assert f"More than {limit} {noun} found" in html, limit


def test_every_match_over_decades_is_counted_when_all_fit(client, decades, settings):
    settings.GAZETTE_SEARCH_MAX_RESULTS = 13
    found, html = page_of(client, "glacier", order="newest")
    assert found == newest_first()[:10]
    assert "13 stories found" in html and "More than" not in html
    second, _html = page_of(client, "glacier", order="newest", page=2)
    assert second == newest_first()[10:]


def test_a_headline_match_decades_back_ranks_first_among_the_newest(client, decades, settings):
    settings.GAZETTE_SEARCH_MAX_RESULTS = 9
    story("Glacier museum opens", published=datetime(1995, 1, 1, tzinfo=UTC))
    found, html = page_of(client, "glacier")
    # The newest nine matches reach back to 1995; its headline ranks above every body mention.
    assert found[0] == "Glacier museum opens"
    assert set(found[1:]) == set(newest_first()[:8])
    assert "More than 9 stories found" in html


def test_a_date_range_and_a_city_narrow_the_matches_over_decades(client, decades, settings):
    settings.GAZETTE_SEARCH_MAX_RESULTS = 2
    tomsk = CityFactory(name="Tomsk", slug="tomsk")
    for year in (1958, 1977, 2001, 2021):
        story(f"Tomsk {year}", body=GLACIER, cities=[tomsk], published=datetime(year, 2, 1, tzinfo=UTC))
    found, html = page_of(client, "glacier", order="newest", date_from="1960-01-01", date_to="2005-12-31")
    assert found == ["Report of 2003", "Tomsk 2001"]
    assert "More than 2 stories found" in html
    found, html = page_of(client, "glacier", city="tomsk", order="newest")
    assert found == ["Tomsk 2021", "Tomsk 2001"]
    assert "More than 2 stories found" in html
    found, html = page_of(client, "glacier", city="tomsk", order="newest", date_to="1990-12-31")
    assert found == ["Tomsk 1977", "Tomsk 1958"]
    assert "2 stories found" in html and "More than" not in html
    found, html = page_of(client, "", city="tomsk", date_from="1950-01-01", date_to="1980-12-31")
    assert found == ["Tomsk 1977", "Tomsk 1958"]


def test_a_phrase_over_decades_lists_its_newest_matches(client, decades, settings):
    settings.GAZETTE_SEARCH_MAX_RESULTS = 3
    for year in (1966, 1988, 2009):
        story(f"Moved {year}", body="<p>It moved; the glacier again.</p>", published=datetime(year, 9, 1, tzinfo=UTC))
    found, html = page_of(client, '"glacier moved"', order="newest")
    assert found == ["Report of 2024-03-20", "Report of 2024-03-9", "Report of 2024-03-3"]
    found, html = page_of(client, '"glacier moved"', order="newest", date_to="2010-12-31")
    assert found == ["Report of 2003", "Report of 1999", "Report of 1990"]
    assert "More than 3 stories found" in html
