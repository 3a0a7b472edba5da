"""A reader searches with the form alone (no JavaScript needed); axe-core finds no violations."""

from datetime import UTC, datetime

import pytest

from tests.browser.conftest import axe_violations
from tests.factories import CityFactory, ContributorFactory, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.search_index]


def test_reader_searches_filters_and_pages_through_results(wagtail_roots, live_server, browser):
    omsk = CityFactory(name="Omsk", slug="omsk")
    anna = ContributorFactory(name="Anna Petrova", slug="anna-petrova")
    for n in range(12):
        make_article(
            title=f"Ice crossing report {n}",
            authors=[anna],
            cities=[omsk] if n % 2 else [],
            lead_image=None,
            published=datetime(2020, 1, 1 + n, tzinfo=UTC),
        )
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/search/")
        assert axe_violations_without_js(page) == []
        page.get_by_label("Search for").fill("ice")
        page.get_by_label("City", exact=True).select_option("omsk")
        page.get_by_role("button", name="Search").click()
        page.wait_for_load_state()
        assert page.locator("#results-heading").inner_text() == "6 stories found"
        assert page.locator(".search-hit__headline mark").first.inner_text() == "Ice"
        assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex"
        assert axe_violations_without_js(page) == []

        page.get_by_label("City", exact=True).select_option("")
        page.get_by_label("Order").select_option("newest")
        page.get_by_role("button", name="Search").click()
        page.wait_for_load_state()
        assert page.locator("#results-heading").inner_text() == "12 stories found"
        page.get_by_role("link", name="More results").click()
        page.wait_for_load_state()
        assert page.locator(".search-hit__headline").all_inner_texts() == [
            "Ice crossing report 1",
            "Ice crossing report 0",
        ]
        assert page.get_by_label("Search for").input_value() == "ice"
    finally:
        context.close()


def axe_violations_without_js(page):
    """axe-core needs script: load the same URL in a script-enabled context and check it there."""
    other = page.context.browser.new_context()
    try:
        checker = other.new_page()
        checker.goto(page.url)
        return axe_violations(checker)
    finally:
        other.close()
