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
