"""A reader uses the rates pages in a real browser: no JavaScript needed, axe finds nothing."""

import pytest

from gazette.rates.parsers import parse_daily
from gazette.rates.services import store_table
from tests.browser.conftest import axe_violations
from tests.factories import site_tree

from .conftest import daily, retimed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_picks_a_date_and_opens_a_currency_history(live_server, browser):
    site_tree()
    for day in ("2021-08-21", "2022-07-23", "2024-03-28"):
        store_table(parse_daily(daily(day)), origin="test")
    store_table(parse_daily(retimed(daily("2024-03-28"), "27.03.2024", {"USD": "92,2600"})), origin="test")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/rates/")
        assert page.locator("h1").inner_text() == "The Bank of Russia official exchange rates on 28 March 2024"
        assert "on 28 March 2024" in page.locator(".rates-widget").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert axe_violations_without_js(page) == []
        page.fill("#rates-date", "2021-08-22")
        page.get_by_role("button", name="Show").click()
        page.wait_for_load_state()
        assert "the rates of 21 August 2021 apply" in page.locator(".rates-note").inner_text()
        page.get_by_role("link", name="CNY", exact=True).click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "China Yuan (CNY): official rate history"
        assert page.locator("svg.rates-chart title").count() == 1
        # Nothing wider than the phone screen except inside the scrolling table box.
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert axe_violations_without_js(page) == []
    finally:
        context.close()


def axe_violations_without_js(page):
    """axe needs script; run it in a JS-enabled copy of the same URL."""
    other = page.context.browser.new_context(viewport={"width": 320, "height": 800})
    try:
        copy = other.new_page()
        copy.goto(page.url)
        return axe_violations(copy)
    finally:
        other.close()
