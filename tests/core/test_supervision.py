"""``make run`` (scripts/run.sh) outlives its processes being killed.

The script is started on a free loopback port with a private SQLite database; then a granian web
worker, the background worker and the scheduler are each killed with SIGKILL. granian starts a
new web worker, the script starts the worker and the scheduler again (and says so), and an
article scheduled after the kills is published by the new scheduler and worker (the publishing
job runs every 5 s here, every minute in make run: ``supervision_settings``).
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.stack import Site, free_port, http_get

pytestmark = [
    pytest.mark.slow,
    # make run's own stack (SQLite, file cache) whatever the suite's database: run it once.
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs in the SQLite pass"),
]

ROOT = Path(__file__).resolve().parents[2]
GO_LIVE_IN = 8  # seconds from the article's creation to its go-live time
PUBLISH_EVERY = 5  # the publishing job's period in supervision_settings
TICK = 5  # run_scheduler's default pause between checks

SCHEDULE_ARTICLE = """
import json, django
django.setup()
from datetime import timedelta
from django.utils import timezone
from tests.factories import make_article
article = make_article(title="Night ferry resumes", slug="night-ferry-resumes", publish=False, lead_image=False)
article.go_live_at = timezone.now() + timedelta(seconds={seconds})
article.live = False
article.save()
article.save_revision(approved_go_live_at=article.go_live_at)
print(json.dumps({{"pk": article.pk, "go_live_at": article.go_live_at.timestamp()}}))
"""


def _processes() -> dict[int, tuple[int, str]]:
    """Every process: pid -> (parent pid, command line)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found[int(entry)] = (int(stat.rsplit(")", 1)[1].split()[1]), cmdline)
    return found


def _descendants(root: int) -> dict[int, tuple[int, str]]:
    table = _processes()
    family, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, cmdline) in table.items():
            if ppid == parent and pid not in family:
                family[pid] = (ppid, cmdline)
                frontier.append(pid)
    return family


def _find(root: int, words: str) -> list[int]:
    return sorted(pid for pid, (_ppid, cmd) in _descendants(root).items() if words in cmd and "bash" not in cmd)


def _web_workers(root: int) -> list[int]:
    """granian's worker processes: the children of granian's main process."""
    family = _descendants(root)
    main = [
        pid for pid, (ppid, cmd) in family.items() if "granian" in cmd and "granian" not in family.get(ppid, (0, ""))[1]
    ]
    return sorted(pid for pid, (ppid, _cmd) in family.items() if main and ppid == main[0])


def _wait_for(what, check, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def _answers(base: str) -> bool:
    """The site answers a request (one in flight on the killed worker gets no answer)."""
    try:
        return http_get(base + "/favicon.ico", timeout=2)[0] == 200
    except OSError:
        return False


def _live(db: Path, pk: int) -> bool:
    with sqlite3.connect(db, timeout=30) as conn:
        return bool(conn.execute("SELECT live FROM wagtailcore_page WHERE id = ?", (pk,)).fetchone()[0])


def test_run_sh_outlives_killed_processes(tmp_path):
    site = Site(tmp_path)
    site.manage("migrate", "--no-input", "-v", "0")
    port = free_port()
    env = {**site.env("tests.core.supervision_settings", port), "HOST": "127.0.0.1", "PORT": str(port)}
    env["WEB_WORKERS"] = "2"
    env["VENV"] = str(Path(sys.executable).parent.parent)
    env["GAZETTE_RATES_SOURCE"] = "file"  # no bank to reach: the worker must not wait on it
    db = site.var / "db.sqlite3"

    log = tmp_path / "run.log"
    with open(log, "wb") as out:
        run = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "run.sh")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            process_group=0,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for("make run's site answers", lambda: "Gazette is running" in log.read_text(), timeout=120)
        workers = _wait_for("two web workers", lambda: (w := _web_workers(run.pid)) and len(w) == 2 and w, 30)
        db_worker = _wait_for("the background worker", lambda: _find(run.pid, "manage.py db_worker"), 30)
        scheduler = _wait_for("the scheduler", lambda: _find(run.pid, "manage.py run_scheduler"), 30)

        os.kill(workers[0], signal.SIGKILL)
        os.kill(db_worker[0], signal.SIGKILL)
        os.kill(scheduler[0], signal.SIGKILL)

        _wait_for("the site answers", lambda: _answers(base), timeout=5)
        _wait_for(
            "a new web worker",
            lambda: len(w := _web_workers(run.pid)) == 2 and workers[0] not in w,
            timeout=30,
        )
        _wait_for("a new background worker", lambda: set(_find(run.pid, "manage.py db_worker")) - set(db_worker), 30)
        _wait_for("a new scheduler", lambda: set(_find(run.pid, "manage.py run_scheduler")) - set(scheduler), 30)
        text = log.read_text()
        assert "background worker exited (status 137); restarting in 1 s" in text
        assert "scheduler exited (status 137); restarting in 1 s" in text

        made = subprocess.run(
            [sys.executable, "-c", SCHEDULE_ARTICLE.format(seconds=GO_LIVE_IN)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        article = json.loads(made.stdout.strip().splitlines()[-1])
        assert not _live(db, article["pk"])
        # Published by the restarted scheduler's first slot after its time, a tick later at most.
        wait = article["go_live_at"] + PUBLISH_EVERY + TICK + 10 - time.time()
        _wait_for("the scheduled article goes live", lambda: _live(db, article["pk"]), timeout=max(wait, 1))
        assert _answers(base)
    finally:
        try:
            os.killpg(run.pid, signal.SIGTERM)
            run.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait(timeout=10)
