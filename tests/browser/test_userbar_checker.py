"""In Chromium: a signed-in editor opens Wagtail's userbar checks on the front page and finds no issue.

The front page carries the masthead with its teaser quotation; the checker (Wagtail's axe-core
rules) runs when the editor opens the userbar, at a desktop and a phone width.
"""

import pytest
from wagtail.models import Site

from gazette.core.models import MastheadSettings
from gazette.users.models import User
from tests.browser.conftest import screenshots, sign_in
from tests.comments.conftest import ensure_migrated_data
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_the_userbar_checks_find_no_issue_on_the_front_page(live_server, browser, width):
    ensure_migrated_data()
    article = make_article(title="Ice road closes early")
    masthead = MastheadSettings.for_site(Site.objects.get(is_default_site=True))
    masthead.teaser_quote = "We laid in flour, salt and tinned fish before the road closed"
    masthead.teaser_article = article
    masthead.save()
    User.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")

    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(page, live_server.url, "editor", "a-long-password-1")
    page.wait_for_url("**/admin/")
    page.goto(live_server.url + "/")
    assert page.locator(".masthead__teaser").is_visible()
    page.locator("#wagtail-userbar-trigger").click()
    count = page.locator("#checker-trigger [data-content-checker-count]")
    page.wait_for_function(
        "() => document.querySelector('wagtail-userbar').shadowRoot"
        ".querySelector('#checker-trigger [data-content-checker-count]').textContent.trim() !== ''"
    )
    page.locator("#checker-trigger").click()
    results = page.locator("#checker-results")
    screenshots(page, "front-page-userbar-checks")
    assert count.text_content().strip() == "0", results.inner_text()
    page.context.close()
