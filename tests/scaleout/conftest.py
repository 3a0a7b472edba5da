"""Real processes against the PostgreSQL and Redis servers ``make test`` starts.

Skipped in the first (SQLite, file cache) pass: these tests need ``DATABASE_URL`` pointing at
PostgreSQL and ``REDIS_URL``, as in production.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cache.varnish import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def scaleout_env(settings, tmp_path_factory):
    """Environment for child processes: the test database, a Redis database of their own, and
    a private directory pytest removes (they are stopped with a signal, so they cannot)."""
    from django.db import connection

    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and DATABASE_URL=postgres://... (make test's second pass)")
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    # A Redis database of their own: the test process's autouse cache.clear() (and that of
    # other xdist workers) flushes database 0.
    base, _, _ = redis_url.rpartition("/")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
    own_redis = f"{base}/{15 - int(worker)}"
    import redis

    redis.Redis.from_url(own_redis).flushdb()
    # This process purges where the child processes look.
    settings.CACHES = {
        **settings.CACHES,
        "scaleout": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": own_redis,
            "KEY_PREFIX": "scaleout",
        },
    }
    settings.GAZETTE_PAGE_CACHE_ALIAS = "scaleout"
    # Not a test process: without this, gazette.settings.test would pick its per-worker database.
    parent = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"}
    return {
        **parent,
        "DJANGO_SETTINGS_MODULE": "tests.scaleout.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": own_redis,
        "GAZETTE_CACHE_PREFIX": "scaleout",
        "GAZETTE_TEST_TMP": str(tmp_path_factory.mktemp("scaleout")),
        "PYTHONPATH": str(ROOT),
    }


@pytest.fixture
def start_server(scaleout_env):
    """Start Gazette's web server (scripts/serve.sh, one worker) on a free loopback port; returns
    its base URL."""
    processes = []

    def start() -> str:
        port = free_port()
        env = {**scaleout_env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": "1"}
        env["VENV"] = str(Path(sys.executable).parent.parent)
        process = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "serve.sh")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)
        wait_for_port(port, timeout=30)
        return f"http://127.0.0.1:{port}"

    yield start
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
