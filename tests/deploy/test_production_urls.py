"""Production settings have no /django-admin/: Django's own admin is for development, and
editors and administrators use Wagtail's admin at /admin/.

The request runs in a child process loading gazette.settings.production (as granian does,
through gazette/wsgi.py) against this run's test database, as migrations made it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json
import django
from django.test import Client
from django.urls import NoReverseMatch, resolve, reverse

django.setup()
# Pages name static files; production's manifest exists only after collectstatic.
from django.conf import settings
from django.test.utils import override_settings

override_settings(
    STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
).enable()
try:
    reverse("admin:index")
    named = True
except NoReverseMatch:
    named = False
client = Client()
print(json.dumps({
    "admin_url_named": named,
    "django_admin_view": resolve("/django-admin/").url_name,
    "django_admin": client.get("/django-admin/").status_code,
    "django_admin_login": client.get("/django-admin/login/").status_code,
    "wagtail_admin_login": client.get("/admin/login/").status_code,
}))
"""


def production_env(tmp_path) -> dict[str, str]:
    from django.db import connection

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GAZETTE_", "PYTEST_"))}
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="gazette.settings.production",
        DJANGO_SECRET_KEY="production-urls-test-key",
        DJANGO_ALLOWED_HOSTS="testserver",
        GAZETTE_HTTPS="0",
        GAZETTE_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
    )
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        env["GAZETTE_SQLITE_PATH"] = str(db["NAME"])
    else:
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return env


# Committed data: the child process reads the test database while this test runs.
@pytest.mark.django_db(transaction=True)
def test_production_answers_django_admin_with_404_and_keeps_wagtails_admin(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["django_admin"] == 404 and seen["django_admin_login"] == 404
    assert seen["django_admin_view"] == "wagtail_serve" and not seen["admin_url_named"]
    # The request itself went through: Wagtail's admin still answers with its sign-in page.
    assert seen["wagtail_admin_login"] == 200


def test_development_settings_keep_django_admin(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.urls import reverse; print(reverse('admin:index'))",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "gazette.settings.dev",
            "DJANGO_SECRET_KEY": "development-urls-test-key",
            "GAZETTE_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.strip() == "/django-admin/", done.stderr[-3000:]
