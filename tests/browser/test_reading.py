"""A reader opens the front page, follows a story and reads it; axe-core finds no violations."""

from datetime import UTC, datetime

import pytest

from tests.browser.conftest import axe_violations
from tests.factories import ContributorFactory, ImageFactory, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_follows_a_story_from_the_front_page(live_server, page):
    authors = [
        ContributorFactory(name="Elena Kuznetsova", slug="elena-kuznetsova"),
        ContributorFactory(name="Anna Petrova", slug="anna-petrova"),
        ContributorFactory(name="Maria Orlova", slug="maria-orlova"),
    ]
    make_article(
        title="The secret train of 1928",
        authors=authors,
        lead_image=ImageFactory(caption="The train east of Omsk.", credit="State Archives of the Novosibirsk region"),
        published=datetime(2014, 10, 16, 3, tzinfo=UTC),
    )
    make_article(title="Barnaul bakers revive a rye loaf", published=datetime(2024, 2, 20, 3, tzinfo=UTC))

    page.goto(live_server.url + "/")
    assert page.locator("h2.card__headline").first.inner_text() == "Barnaul bakers revive a rye loaf"
    assert axe_violations(page) == []

    page.get_by_role("link", name="The secret train of 1928").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "The secret train of 1928"
    assert page.locator(".article__meta .byline").inner_text() == ("By Elena Kuznetsova, Anna Petrova and Maria Orlova")
    assert page.locator(".article__date").inner_text() == "16 October 2014"
    caption = page.locator("figure.figure--lead figcaption").inner_text()
    assert "The train east of Omsk." in caption and "Picture: State Archives of the Novosibirsk region" in caption
    image = page.locator("figure.figure--lead img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Anna Petrova").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Anna Petrova"
    assert page.dialogs == []
