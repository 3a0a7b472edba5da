"""Web processes wait briefly for database locks; the worker, the scheduler and commands longer.

Each case loads production settings in a child process, as granian (through gazette/wsgi.py)
or ``manage.py`` would, and reads the connection options the settings chose.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

WEB = "import gazette.wsgi"
COMMAND = "import django; django.setup()"


def options(entry: str, **env: str) -> dict:
    code = "\n".join(
        [
            entry,
            "import json",
            "from django.conf import settings",
            "print(json.dumps(settings.DATABASES['default']['OPTIONS']))",
        ]
    )
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(("GAZETTE_DB_", "DATABASE_"))}
    child_env.update(
        DJANGO_SETTINGS_MODULE="gazette.settings.production", DJANGO_SECRET_KEY="x" * 50, PYTHONPATH=str(ROOT), **env
    )
    child_env.pop("GAZETTE_TEST_CAPTCHA_ANSWER", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=child_env, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sqlite_busy_timeout_is_short_for_the_web_and_long_for_commands(tmp_path):
    db = str(tmp_path / "db.sqlite3")
    web = options(WEB, GAZETTE_SQLITE_PATH=db)
    assert web["timeout"] == 5
    assert "PRAGMA busy_timeout=5000;" in web["init_command"]
    command = options(COMMAND, GAZETTE_SQLITE_PATH=db)
    assert command["timeout"] == 60
    assert "PRAGMA busy_timeout=60000;" in command["init_command"]
    assert "journal_mode=WAL" in command["init_command"]


def test_postgresql_lock_and_statement_timeouts(tmp_path):
    url = "postgres://gazette@127.0.0.1:5432/gazette"
    assert options(WEB, DATABASE_URL=url)["options"] == "-c lock_timeout=5000 -c statement_timeout=15000"
    assert options(COMMAND, DATABASE_URL=url)["options"] == "-c lock_timeout=60000 -c statement_timeout=600000"
    tuned = options(WEB, DATABASE_URL=url, GAZETTE_DB_LOCK_WAIT="2")
    assert tuned["options"] == "-c lock_timeout=2000 -c statement_timeout=15000"


def test_an_unknown_role_fails_at_start():
    with pytest.raises(subprocess.CalledProcessError) as failed:
        options(COMMAND, GAZETTE_DB_ROLE="sometimes")
    assert "GAZETTE_DB_ROLE must be one of web, background" in failed.value.stderr
