"""In Chromium: every reader page and the main admin screens run under their Content-Security-Policy
without a single violation, and the reader policy really stops an injected inline script.

Violations are collected two ways: the ``securitypolicyviolation`` events of every frame (reported
to the test through a binding the page cannot block) and the console's errors about a policy.
Each admin screen is saved at 1280 and 375 px (var/screenshots/csp-*.png) for review.
"""

import re

import pytest
from django.urls import reverse
from PIL import Image as PILImage

from gazette.cities.models import City
from gazette.comments.choices import CommentStatus
from gazette.comments.models import ReaderComment
from gazette.rates.services import load_table_files
from gazette.users.models import User
from tests.browser.conftest import screenshots, sign_in
from tests.comments.conftest import ensure_migrated_data
from tests.factories import ContributorFactory, make_article, site_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-password-1"

# The console's words for a broken policy or header (CSP, Permissions-Policy, COEP/CORP blocks).
POLICY_ERROR = re.compile(
    r"Content.Security.Policy|Refused to|Permissions.Policy|Cross-Origin|ERR_BLOCKED_BY_RESPONSE", re.I
)
WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation({
    page: location.pathname,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    disposition: event.disposition,
  });
});
"""


@pytest.fixture
def watched(browser):
    """A page whose policy violations (every frame) and policy console errors are collected."""
    context = browser.new_context()
    found = {"violations": [], "console": [], "other_errors": []}
    context.expose_binding("reportViolation", lambda source, violation: found["violations"].append(violation))
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()

    def on_console(message):
        if message.type == "error":
            kind = "console" if POLICY_ERROR.search(message.text) else "other_errors"
            found[kind].append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.found = found
    yield page
    context.close()


def assert_clean(page, where: str):
    page.wait_for_load_state("networkidle")
    found = page.found
    assert found["violations"] == [], (where, found)
    assert found["console"] == [], (where, found)


def reader_content():
    ensure_migrated_data()
    home, _news, privacy = site_tree()
    omsk = City.objects.create(name="Omsk", slug="omsk")
    reporter = ContributorFactory(name="Anna Petrova", slug="anna-petrova")
    article = make_article(title="Ferry season ends early", authors=[reporter], cities=[omsk])
    ReaderComment.objects.create(
        article=article, author_name="Oleg", body="The timetable changed in May.", status=CommentStatus.PUBLISHED
    )
    load_table_files()
    return {"article": article, "city": omsk, "reporter": reporter, "privacy": privacy, "home": home}


@pytest.mark.search_index
def test_reader_pages_run_under_their_policy(live_server, watched):
    content = reader_content()
    article = content["article"]
    paths = [
        "/",
        "/city/omsk/",
        article.url,
        "/search/?q=ferry",
        "/rates/",
        "/contributors/anna-petrova/",
        content["privacy"].url,
        "/no-such-page/",
    ]
    for path in paths:
        response = watched.goto(live_server.url + path)
        assert response.status == (404 if path == "/no-such-page/" else 200), path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert_clean(watched, path)

    # The comment form, framed by the article page, loads and fits its frame by script.
    watched.goto(live_server.url + article.url)
    watched.locator(".comments__frame").scroll_into_view_if_needed()
    form = watched.frame_locator(".comments__frame").locator("form")
    form.locator("textarea").first.wait_for()
    assert "Oleg" in watched.locator("#comments").inner_text()
    frame_height = watched.evaluate("document.querySelector('.comments__frame').getBoundingClientRect().height")
    form_height = form.evaluate("(form) => form.getBoundingClientRect().bottom")
    assert frame_height >= form_height
    assert_clean(watched, "article with the comment frame")

    # The policy is enforced: a script injected into the page does not run, and is reported.
    ran = watched.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injectedRan = true";
            document.body.append(script);
            return window.injectedRan === true;
        }"""
    )
    assert ran is False
    watched.wait_for_function("() => true")
    assert [v["directive"] for v in watched.found["violations"]] == ["script-src-elem"]


def upload_picture(page, tmp_path):
    picture = tmp_path / "ferry.jpg"
    PILImage.new("RGB", (800, 500), (30, 90, 140)).save(picture, format="JPEG")
    page.set_input_files("input[type=file]", str(picture))
    page.locator(".upload-list .status-msg.success, .upload-list li.upload-success").first.wait_for()


def test_admin_screens_run_under_the_admin_policy(live_server, watched, tmp_path):
    content = reader_content()
    article = content["article"]
    ReaderComment.objects.create(
        article=article, author_name="Pavel", body="Who pays for the new pier?", status=CommentStatus.PENDING
    )
    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    watched.emulate_media(reduced_motion="reduce")
    sign_in(watched, live_server.url, "editor", PASSWORD)
    watched.wait_for_url("**/admin/")

    screens = {
        "dashboard": "/admin/",
        "explorer": f"/admin/pages/{article.get_parent().pk}/",
        "article-edit": f"/admin/pages/{article.pk}/edit/",
        "image-upload": "/admin/images/multiple/add/",
        "moderation-queue": "/admin/comments/",
        "snippets": "/admin/snippets/",
        "contributor-edit": reverse("wagtailsnippets_articles_contributor:edit", args=[content["reporter"].pk]),
        "cities": reverse("wagtailsnippets_cities_city:list"),
    }
    for name, path in screens.items():
        response = watched.goto(live_server.url + path)
        assert response.status == 200, path
        assert "object-src 'none'" in response.headers["content-security-policy"]
        if name == "image-upload":
            upload_picture(watched, tmp_path)
        assert_clean(watched, path)
        screenshots(watched, f"csp-{name}")

    # The image chooser, a modal whose content is fetched and inserted by script.
    watched.goto(live_server.url + screens["contributor-edit"])
    watched.get_by_role("button", name="Choose an image").click()
    watched.locator(".modal-dialog").get_by_text("Picture").first.wait_for()
    assert_clean(watched, "image chooser")
    screenshots(watched, "csp-image-chooser")

    # The editor's preview of the article, framed by the edit screen.
    watched.goto(live_server.url + f"/admin/pages/{article.pk}/edit/")
    watched.get_by_role("button", name=re.compile("Toggle preview", re.I)).click()
    watched.frame_locator("iframe.w-preview__iframe").last.locator("h1").wait_for()
    assert_clean(watched, "preview panel")
    screenshots(watched, "csp-preview")

    # A signed-in editor reads the site with Wagtail's userbar on every page.
    watched.goto(live_server.url + article.url)
    watched.locator("wagtail-userbar").wait_for(state="attached")
    assert_clean(watched, "article with the userbar")
