"""Tests: fast hashing, in-process tasks, a private cache directory per run."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *

DEBUG = False
SECRET_KEY = "tests-only-not-secret"  # noqa: S105 - a fixed key, for tests only
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
if os.environ.get("GAZETTE_TEST_TMP"):
    _TMP = Path(os.environ["GAZETTE_TEST_TMP"])  # whoever named it removes it
else:
    # Every process that loads these settings (pytest, each xdist worker, manage.py check)
    # makes its own, and removes it when it ends.
    _TMP = Path(tempfile.mkdtemp(prefix="gazette-test-"))
    atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
MEDIA_ROOT = _TMP / "media"
if os.environ.get("REDIS_URL"):
    # The Redis cache of base.py. Each xdist worker gets a Redis database of its own: tests
    # clear the cache (FLUSHDB), and one worker's flush or cached site paths must never reach
    # another worker's test database. Processes a test starts (scale-out tests) are not xdist
    # workers and keep the REDIS_URL and GAZETTE_CACHE_PREFIX they are given.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        _worker = int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw") or 0)
        CACHES["default"]["LOCATION"] = os.environ["REDIS_URL"].rsplit("/", 1)[0] + f"/{1 + _worker}"
        CACHES["ratelimit"]["LOCATION"] = CACHES["default"]["LOCATION"]
else:
    CACHES = {
        "default": {
            "BACKEND": "gazette.core.file_cache.FileBasedCache",
            "LOCATION": str(_TMP / "cache"),
        },
        "ratelimit": {
            "BACKEND": "gazette.core.file_cache.FileBasedCache",
            "LOCATION": str(_TMP / "cache-ratelimit"),
        },
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
STATIC_ROOT = _TMP / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The live server of browser tests serves uploaded pictures itself.
GAZETTE_SERVE_MEDIA = True
# Tests run inside a transaction that never commits, so purges (sent on commit) never arrive:
# the page and fragment caches are off unless a test turns them on (tests/cache, tests/scaleout
# do, and run their changes through a commit).
GAZETTE_PAGE_CACHE = False
GAZETTE_FRAGMENT_CACHE = False
# Tests of the caches store on the first request; tests of the admission itself set 2.
GAZETTE_CACHE_STORE_AFTER = 1
# Reader comments: a fixed CAPTCHA answer and no speed bump (tests that check them set their own).
GAZETTE_TEST_CAPTCHA_ANSWER = "tests-pass"
GAZETTE_COMMENT_MIN_SECONDS = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, as in production: an in-memory database shares one cache between threads and
    # answers concurrent writers with "table is locked" instead of waiting (busy_timeout).
    DATABASES["default"]["TEST"] = {"NAME": str(_TMP / "test-db.sqlite3")}
# Tests stand for web requests: the database waits of gazette/wsgi.py's processes.
bound_database_waits(DATABASES["default"], "web")
