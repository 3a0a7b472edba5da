import os
import shutil

import pytest


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    """The caches are off in the test settings (see gazette/settings/test.py); on here."""
    settings.GAZETTE_PAGE_CACHE = True
    settings.GAZETTE_FRAGMENT_CACHE = True


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change's on-commit work (the purge) as a real commit would, inside the test's transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def purged(committed):
    """Collect the tags sent by ``tags_purged`` during the test."""
    from gazette.core.invalidation import tags_purged

    seen: set[str] = set()

    def receiver(sender, tags, **kwargs):
        seen.update(tags)

    tags_purged.connect(receiver, dispatch_uid="tests_cache_purged")
    yield seen
    tags_purged.disconnect(dispatch_uid="tests_cache_purged")


@pytest.fixture
def varnish(live_server, settings):
    """Varnish with Gazette's VCL in front of ``live_server``; yields its URL.

    Gazette's purges (``purge_tags`` -> ``tags_purged``) reach it through the real
    frontend-cache backend, as ``GAZETTE_VARNISH_URL`` configures it in production.
    """
    from urllib.parse import urlsplit

    from .varnish import VARNISHD, running_varnish

    if not shutil.which("varnishd") and not os.path.exists(VARNISHD):
        pytest.skip("varnishd is not installed (Debian package varnish)")
    backend = urlsplit(live_server.url)
    with running_varnish(backend.hostname, backend.port) as (url, purge_url, _state):
        settings.WAGTAILFRONTENDCACHE = {
            "varnish": {"BACKEND": "gazette.core.frontend_cache.VarnishBackend", "LOCATION": purge_url}
        }
        yield url
