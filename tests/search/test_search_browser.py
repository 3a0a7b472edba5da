"""What a reader sees in a browser when a query is half syntax, all syntax, or one too many."""

import pytest

from tests.browser.conftest import axe_violations, screenshots
from tests.factories import make_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_rendition_warming"),
]


def test_a_stray_quote_still_finds_and_a_query_of_syntax_is_explained(wagtail_roots, live_server, page):
    make_article(title="Ferry season ends early", lead_image=None)
    page.goto(live_server.url + "/search/")
    page.get_by_label("Search for").fill('"ferry')
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.locator("#results-heading").inner_text() == "1 story found"
    assert page.locator(".search-hit__headline").inner_text() == "Ferry season ends early"

    page.get_by_label("Search for").fill("(*)")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.locator("#results-heading").inner_text() == "We could not understand that search"
    assert page.get_by_label("Search for").input_value() == "(*)"
    assert axe_violations(page) == []
    screenshots(page, "search-not-understood")


def test_too_many_searches_say_when_to_try_again(wagtail_roots, live_server, page, settings):
    settings.GAZETTE_SEARCH_RATE = "1/m"
    make_article(title="Ferry season ends early", lead_image=None)
    assert page.goto(live_server.url + "/search/?q=ferry").status == 200
    response = page.goto(live_server.url + "/search/?q=ferry")
    assert response.status == 429
    assert page.get_by_role("heading", level=1).inner_text() == "Too many searches"
    wait = response.headers["retry-after"]
    assert f"Please try again in {wait} second" in page.locator("main").inner_text()
    page.get_by_role("link", name="Go to the front page").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/"
    page.go_back()
    assert axe_violations(page) == []
    screenshots(page, "search-too-many")
