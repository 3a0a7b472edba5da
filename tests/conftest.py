import shutil

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (page cache, rate limits, fragments)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db):
    from tests.factories import site_tree

    home, news, privacy = site_tree()
    return {"home": home, "news": news, "privacy": privacy}


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded pictures go to a private folder removed after the run."""
    from django.conf import settings

    path = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = str(path)
    yield
    shutil.rmtree(path, ignore_errors=True)


def pytest_collection_modifyitems(items):
    """Transactional tests (browser tests, concurrency tests) restore the migrated data.

    Their flush would otherwise delete what migrations created (Wagtail's root page, locale
    and collection, the Editors and Moderators groups), and every later transactional test
    would start without them.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False)
