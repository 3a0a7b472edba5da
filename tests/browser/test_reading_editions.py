"""A reader picks a city edition in the masthead, leaves, returns and gets that city first."""

from datetime import UTC, datetime

import pytest

from gazette.cities.models import City
from tests.browser.conftest import axe_violations
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_chooses_a_city_and_finds_it_first_on_return(wagtail_roots, live_server, page):
    omsk = City.objects.create(name="Omsk", slug="omsk", region="Omsk Oblast", sort_order=10)
    City.objects.create(name="Tomsk", slug="tomsk", region="Tomsk Oblast", sort_order=20)
    make_article(title="Omsk opens its river park", cities=[omsk], published=datetime(2024, 2, 1, 3, tzinfo=UTC))
    make_article(title="Regional budget passes", lead_image=None, published=datetime(2024, 2, 10, 3, tzinfo=UTC))

    page.goto(live_server.url + "/")
    assert page.locator("h2.card__headline").first.inner_text() == "Regional budget passes"
    assert page.locator(".editions__current").inner_text() == "All Cities"
    assert axe_violations(page) == []

    page.locator(".editions__menu summary").click()  # <details>: no script needed to open it
    page.get_by_role("link", name="Omsk", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".editions__current").inner_text() == "Omsk edition"
    assert page.locator("h2.card__headline").first.inner_text() == "Omsk opens its river park"
    assert axe_violations(page) == []

    # The reader goes away and comes back later: the cookie remembers the city.
    page.goto("about:blank")
    page.goto(live_server.url + "/")
    assert page.locator(".editions__current").inner_text() == "Omsk edition"
    assert page.locator("h2.card__headline").first.inner_text() == "Omsk opens its river park"

    page.locator(".editions__menu summary").click()
    page.get_by_role("link", name="All Cities").click()
    page.wait_for_load_state()
    assert page.locator(".editions__current").inner_text() == "All Cities"
    assert page.locator("h2.card__headline").first.inner_text() == "Regional budget passes"
    assert page.context.cookies() == [] or all(c["name"] != "gazette_edition" for c in page.context.cookies())

    # The editions overview and a city front pass axe, and the overview fits a 320 px screen.
    for path in ("/cities/", "/city/omsk/"):
        page.goto(live_server.url + path)
        assert page.locator("h1").first.is_visible()
        assert axe_violations(page) == [], path
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/cities/")
    assert page.evaluate("document.documentElement.scrollWidth <= 320")
