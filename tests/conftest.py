import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import TransactionTestCase

from tests.migrated_data import restore_migrated_data


def _clear_caches():
    from gazette.core.caching import forget_local

    # Every alias the settings name: pages, fragments, rate limits, and Wagtail's renditions,
    # whose in-process entries would otherwise outlive the test and name, for an image id the
    # next test's database reuses, renditions that database never had.
    for alias in settings.CACHES:
        caches[alias].clear()
    forget_local()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with empty caches (page cache, fragments, rate limits, renditions) and memo."""
    _clear_caches()
    yield
    _clear_caches()


@pytest.fixture(autouse=True)
def _steady_rate_windows(monkeypatch):
    """Every rate-limit window opens when the test starts.

    django-ratelimit counts in fixed windows aligned to the clock, so a test that makes N
    requests and expects the N+1st refused would otherwise pass or fail by when in the minute
    it ran.
    """
    import time

    import django_ratelimit.core

    start = int(time.time())
    monkeypatch.setattr(django_ratelimit.core, "_get_window", lambda value, period: start + period)


@pytest.fixture
def site(db):
    from tests.factories import site_tree

    home, news, privacy = site_tree()
    return {"home": home, "news": news, "privacy": privacy}


@pytest.fixture
def no_rendition_warming(monkeypatch):
    """Publishing warms ~16 renditions per picture in-process (the tests' tasks run at once); for
    tests that render few of them: ``pytestmark = pytest.mark.usefixtures("no_rendition_warming")``."""
    from types import SimpleNamespace

    monkeypatch.setattr(
        "gazette.articles.signal_handlers.warm_article_renditions", SimpleNamespace(enqueue=lambda *a, **k: None)
    )


@pytest.fixture
def no_search_indexing(settings):
    """Publishing writes the site's search entry and Wagtail's admin index for every article, and
    saving a contributor or city re-indexes their articles: all off while the fixture lasts (every
    test but those marked ``search_index`` has it, through ``_indexing``)."""
    from django.db.models.signals import post_save
    from wagtail.signals import page_published, page_unpublished

    from gazette.articles.models import ArticlePage, Contributor
    from gazette.cities.models import City
    from gazette.search import signal_handlers

    settings.WAGTAILSEARCH_BACKENDS = {
        alias: {**conf, "AUTO_UPDATE": False} for alias, conf in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    page_published.disconnect(sender=ArticlePage, dispatch_uid="search_reindex_article")
    page_unpublished.disconnect(sender=ArticlePage, dispatch_uid="search_unindex_article")
    post_save.disconnect(sender=Contributor, dispatch_uid="search_reindex_contributor")
    post_save.disconnect(sender=City, dispatch_uid="search_reindex_city")
    yield
    signal_handlers.connect()


@pytest.fixture
def no_reference_indexing():
    """Saving a page, picture or snippet records what it links to in Wagtail's reference index
    (the admin's "Usage" counts, and the pages a changed picture's purge reaches)."""
    from wagtail.signal_handlers import (
        connect_reference_index_signal_handlers,
        disconnect_reference_index_signal_handlers,
    )

    disconnect_reference_index_signal_handlers()
    yield
    connect_reference_index_signal_handlers()


@pytest.fixture(autouse=True)
def _indexing(request):
    """The site's search entries, Wagtail's admin search index and its reference index are kept
    only for the tests marked ``search_index`` / ``reference_index``: keeping them is about half
    of what publishing an article costs, and most tests never read them."""
    if request.node.get_closest_marker("search_index") is None:
        request.getfixturevalue("no_search_indexing")
    if request.node.get_closest_marker("reference_index") is None:
        request.getfixturevalue("no_reference_indexing")


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded pictures go to a private folder removed after the run."""
    from django.conf import settings

    path = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = str(path)
    yield
    shutil.rmtree(path, ignore_errors=True)


DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Transactional tests (browser tests, concurrency tests) restore the migrated data, and
    every test that uses the test database is marked ``database``.

    Their flush would otherwise delete what migrations created (Wagtail's root page, locale
    and collection, the Editors and Moderators groups), and every later transactional test
    would start without them. The ``database`` mark selects the tests the PostgreSQL + Redis
    pass of ``make test`` runs again (runs before ``-m`` selects, hence ``tryfirst``).
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        fixtures = getattr(item, "fixturenames", ())
        cls = getattr(item, "cls", None)
        django_case = cls is not None and issubclass(cls, TransactionTestCase)
        if marker or django_case or DATABASE_FIXTURES.intersection(fixtures):
            item.add_marker(pytest.mark.database)
        transactional = kwargs.get("transaction") or "transactional_db" in fixtures or "live_server" in fixtures
        if transactional and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


# Browser tests: Debian's Chromium driven by Playwright, never a downloaded browser. The
# fixtures live here, once, because two Playwright instances cannot share a test process.
CHROMIUM = os.environ.get("GAZETTE_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    # Playwright's sync API runs an event loop; the live server's database work is ours.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # With that loop running, Django's connections are per context: the tests that follow get
    # connections of their own, which must still know the test database's initial contents
    # (serialized_rollback) when the database was set up before this fixture (a plain pytest).
    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    # Playwright gives every launch a fresh, temporary profile (--user-data-dir) of its own.
    with sync_playwright() as p:
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _migrated_data(request):
    """Give a database test the data migrations made, if a transactional test flushed it
    (``tests.migrated_data``; a TestCase class calls it in ``setUpTestData``)."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    restore_migrated_data()


@pytest.fixture
def wagtail_roots(transactional_db):
    """Wagtail's locale, root page and root collection, which an earlier transactional test's
    flush removes (the migrations created them once)."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
