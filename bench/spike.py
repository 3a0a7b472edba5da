"""A spike of readers and commenters, on SQLite and on PostgreSQL, with faults injected mid-way.

    .venv/bin/python -m bench.spike [--seconds 20] [--quick] [--sqlite-only] [--keep]

(``make bench`` runs it after its other figures.) For each database a private site is prepared as
``bench/stack.py`` does (migrate, demo content, the seeded article), served by
``scripts/serve.sh`` with ``bench/settings_spike.py`` (production settings; the known CAPTCHA
answer and no rate limits) beside a background worker. PostgreSQL is a private server started by
``scripts/services.sh`` in the run's temporary directory.

Each scenario runs readers (threads looping over the article, the front page, a city front and
search) and 20 commenters going through the real form: load ``/comments/<pk>/form/``, "type"
for 3.5 s (the form refuses anything faster), send it; a busy page or a connection error is
answered as a person would, by sending again (the form shown again, or the same post). The
faults, a quarter of the way in:

* none (the baseline);
* a granian web worker killed with SIGKILL (granian starts another, ``--respawn-failed-workers``);
* a write lock held for 5 s and for 25 s by another connection (``BEGIN IMMEDIATE`` on SQLite,
  ``LOCK TABLE comments_readercomment IN EXCLUSIVE MODE`` on PostgreSQL);
* the background worker stopped (SIGSTOP) until the end of the scenario.

Printed for each: requests by status ("busy" is the comment form answering that the site is
busy), p50/p99 of page views and of comment posts, and the comments: accepted (the reader was
told so), stored once, missing (accepted, not stored), duplicated, and stored without the reader
being told. Figures, never pass/fail; loopback only, bounded in time, every process stopped on
exit.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.stack import PY, REPO, Processes, Site, run_directory

SETTINGS = "bench.settings_spike"
READERS = 8
COMMENTERS = 20
TYPING_SECONDS = 3.5
FAULT_AT = 0.25  # of the scenario's length
SEARCH_WORDS = ["ferry", "ice", "river", "bridge", "train", "school", "winter", "market", "snow", "road"]
BUSY = "The site is busy"
ALREADY_SENT = "This form was already sent"


@dataclass
class Record:
    kind: str  # "read" or "post"
    status: str
    seconds: float


@dataclass
class Texts:
    """What each commenter sent and was told, by comment text."""

    accepted: set[str] = field(default_factory=set)
    sent: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    """One keep-alive HTTP connection to the server, reopened after an error; cookies kept."""

    def __init__(self, base: str, timeout: float = 30) -> None:
        parts = urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """(status, headers, text); status 0 when no answer came (refused, reset, timed out)."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.headers, data.decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.close()
            return 0, {}, ""

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def form_fields(html: str) -> dict[str, str]:
    """The comment form's inputs and textarea, with their values."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        name = re.search(r'\bname="([^"]*)"', tag)
        if not name:
            continue
        kind = (re.search(r'\btype="([^"]*)"', tag) or [None, "text"])[1]
        if kind in ("checkbox", "radio", "submit") and "checked" not in tag:
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        fields[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, text in re.findall(r'<textarea\b[^>]*\bname="([^"]*)"[^>]*>(.*?)</textarea>', html, flags=re.S):
        fields[name] = unescape(text).removeprefix("\n")
    return fields


def status_of(status: int, text: str) -> str:
    if status == 0:
        return "no answer"
    if status == 200 and BUSY in text:
        return "busy"
    return str(status)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


class Spike:
    """The readers and commenters of one scenario, until ``stop_at`` (monotonic)."""

    def __init__(self, base: str, paths: list[str], article_pk: int, tag: str, stop_at: float) -> None:
        self.base, self.paths, self.article_pk, self.tag, self.stop_at = base, paths, article_pk, tag, stop_at
        self.records: list[Record] = []
        self.records_lock = threading.Lock()
        self.texts = Texts()

    def note(self, kind: str, status: str, seconds: float) -> None:
        with self.records_lock:
            self.records.append(Record(kind, status, seconds))

    def reader(self, index: int) -> None:
        client = Client(self.base)
        rng = random.Random(index)
        while time.monotonic() < self.stop_at:
            path = rng.choice(self.paths)
            if path.startswith("/search/"):
                path = f"/search/?q={rng.choice(SEARCH_WORDS)}"
            start = time.monotonic()
            status, _headers, _text = client.request("GET", path, headers={"Accept-Encoding": "gzip"})
            self.note("read", status_of(status, ""), time.monotonic() - start)
            if status == 0:
                time.sleep(0.2)
        client.close()

    def commenter(self, index: int) -> None:
        client = Client(self.base)
        form_path = f"/comments/{self.article_pk}/form/"
        seq = 0
        while time.monotonic() + TYPING_SECONDS < self.stop_at:
            start = time.monotonic()
            status, _headers, html = client.request("GET", form_path)
            self.note("read", status_of(status, html), time.monotonic() - start)
            if status != 200:
                time.sleep(1)
                continue
            seq += 1
            text = (
                f"Spike {self.tag} reader {index} comment {seq} ({secrets.token_hex(4)}): the ferry timetable is right."
            )
            fields = form_fields(html)
            fields.update(name=f"Spike Reader {index}", location="Kolyvan", email="", body=text, captcha_1="PASSED")
            fields.pop("new_code", None)
            with self.texts.lock:
                self.texts.sent.add(text)
            time.sleep(TYPING_SECONDS)
            self.send(client, form_path, fields, text)
        client.close()

    def send(self, client: Client, form_path: str, fields: dict[str, str], text: str) -> None:
        """Post until told the comment is taken, or the scenario ends; retries as a person would."""
        body = urlencode(fields).encode()
        while True:
            start = time.monotonic()
            status, headers, html = client.request(
                "POST",
                form_path,
                body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + form_path},
            )
            outcome = status_of(status, html)
            self.note("post", outcome, time.monotonic() - start)
            if status == 302 or (status == 200 and ALREADY_SENT in html):
                with self.texts.lock:
                    self.texts.accepted.add(text)
                return
            if time.monotonic() + 2 > self.stop_at:
                return
            if outcome == "busy" or status == 200:
                # The form came back with the text and a new stamp: send it again, as shown.
                again = form_fields(html)
                again.update(captcha_1="PASSED")
                again.pop("new_code", None)
                body = urlencode(again).encode()
            time.sleep(2)  # a person reads the message, then sends again (the same post after no answer)

    def run(self) -> None:
        threads = [threading.Thread(target=self.reader, args=(i,), daemon=True) for i in range(READERS)]
        threads += [threading.Thread(target=self.commenter, args=(i,), daemon=True) for i in range(COMMENTERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1, self.stop_at - time.monotonic()) + 60)


class Database:
    """The site's database, for holding a write lock and counting what was stored."""

    def __init__(self, sqlite_path: Path | None = None, url: str = "") -> None:
        self.sqlite_path, self.url = sqlite_path, url

    def _connect(self):
        if self.sqlite_path:
            return sqlite3.connect(self.sqlite_path, timeout=60, isolation_level=None)
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def hold_write_lock(self, seconds: float) -> None:
        conn = self._connect()
        try:
            if self.sqlite_path:
                conn.execute("BEGIN IMMEDIATE")
            else:
                conn.execute("BEGIN")
                conn.execute("LOCK TABLE comments_readercomment IN EXCLUSIVE MODE")
            time.sleep(seconds)
            conn.execute("ROLLBACK")
        finally:
            conn.close()

    def rows(self, query: str, params: tuple = ()) -> list[tuple]:
        conn = self._connect()
        try:
            if self.sqlite_path:
                return conn.execute(query.replace("%s", "?"), params).fetchall()
            return conn.execute(query, params).fetchall()
        finally:
            conn.close()

    def stored(self, tag: str) -> Counter:
        rows = self.rows(
            "SELECT body, COUNT(*) FROM comments_readercomment WHERE body LIKE %s GROUP BY body", (f"Spike {tag} %",)
        )
        return Counter(dict(rows))

    def tasks_waiting(self) -> int:
        return self.rows("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'")[0][0]


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
            except OSError:
                continue
    return found


class PgSite(Site):
    """A private site on a PostgreSQL database."""

    def __init__(self, workdir: Path, database_url: str) -> None:
        super().__init__(workdir)
        self.database_url = database_url

    def env(self, settings: str = "bench.settings", port: int | None = None) -> dict[str, str]:
        return {**super().env(settings, port), "DATABASE_URL": self.database_url}


def start_postgres(work: Path) -> tuple[str, Path]:
    """A private PostgreSQL (and Redis, unused) via scripts/services.sh; (database URL, its directory)."""
    services = work / "services"
    services.mkdir()
    # The servers run as the postgres user, who must reach their directory.
    for folder in (work, services):
        folder.chmod(0o755)
    env = {**os.environ, "GAZETTE_SERVICES_DIR": str(services), "GAZETTE_PG_PORT": "0", "GAZETTE_REDIS_PORT": "0"}
    out = subprocess.run(
        ["bash", str(REPO / "scripts" / "services.sh"), "start"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    url = re.search(r"DATABASE_URL=(\S+)", out).group(1)
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("CREATE DATABASE gazette")
    return url, services


def stop_postgres(services: Path) -> None:
    env = {**os.environ, "GAZETTE_SERVICES_DIR": str(services)}
    subprocess.run(["bash", str(REPO / "scripts" / "services.sh"), "stop"], env=env, timeout=60, check=False)


FAULTS = ["none", "web worker killed", "write lock 5 s", "write lock 25 s", "background worker stopped"]


def run_database(name: str, site: Site, db: Database, seconds: int) -> None:
    """Every scenario on one site; its server and worker are stopped before this returns."""
    with Processes() as procs:
        _run_database(name, site, db, procs, seconds)


def _run_database(name: str, site: Site, db: Database, procs: Processes, seconds: int) -> None:
    print(f"  {name}: preparing (migrate, collectstatic, demo content, seeded article)...", flush=True)
    t0 = time.monotonic()
    seeded = site.prepare()
    print(f"    prepared in {time.monotonic() - t0:.0f}s", flush=True)
    base = site.start_server(procs, f"spike-{name}", settings=SETTINGS, workers=2)
    web = procs.group_of(f"spike-{name}")
    worker = procs.start(
        f"spike-{name}-worker",
        [str(PY), "manage.py", "db_worker", "--queue-name", "*", "--interval", "1"],
        site.logs,
        cwd=REPO,
        env=site.env(SETTINGS),
    )
    paths = ["/", seeded.article_path, "/search/?q=ferry"]
    if seeded.city_slug:
        paths.append(f"/city/{seeded.city_slug}/")
    print(
        f"    {READERS} readers over {', '.join(paths)}; {COMMENTERS} commenters through the form; "
        f"faults at {FAULT_AT:.0%} of each scenario",
        flush=True,
    )
    # Warm up (not a figure): each process loads its code, the spam model, the page cache fills.
    warm = Spike(base, paths, seeded.article_pk, f"{name}-warm", time.monotonic() + 15)
    warm.run()
    for number, fault in enumerate(FAULTS):
        lock_seconds = {"write lock 5 s": 5, "write lock 25 s": 25}.get(fault, 0)
        length = max(seconds, lock_seconds + 10) if lock_seconds else seconds
        tag = f"{name}{number}"
        started = time.monotonic()
        spike = Spike(base, paths, seeded.article_pk, tag, started + length)
        runner = threading.Thread(target=spike.run)
        runner.start()
        time.sleep(length * FAULT_AT)
        note = ""
        if fault == "web worker killed":
            victims = _children(web)
            if victims:
                os.kill(victims[0], signal.SIGKILL)
                note = f"killed worker {victims[0]} of {len(victims)}"
        elif lock_seconds:
            db.hold_write_lock(lock_seconds)
        elif fault == "background worker stopped":
            os.kill(worker.pid, signal.SIGSTOP)
        runner.join()
        if fault == "background worker stopped":
            waiting = db.tasks_waiting()
            os.kill(worker.pid, signal.SIGCONT)
            deadline = time.monotonic() + 30
            while db.tasks_waiting() and time.monotonic() < deadline:
                time.sleep(0.5)
            note = f"{waiting} tasks waiting when it was woken, {db.tasks_waiting()} 30 s later at most"
        elif fault == "web worker killed":
            note += f"; {len(_children(web))} workers at the end"
        report(name, fault, length, spike, db.stored(tag), note)


def report(name: str, fault: str, length: float, spike: Spike, stored: Counter, note: str) -> None:
    statuses = Counter(r.status for r in spike.records)
    reads = [r.seconds for r in spike.records if r.kind == "read"]
    posts = [r.seconds for r in spike.records if r.kind == "post"]
    accepted = spike.texts.accepted
    once = sum(1 for text in accepted if stored[text] == 1)
    missing = sum(1 for text in accepted if stored[text] == 0)
    duplicated = sum(1 for count in stored.values() if count > 1)
    untold = sum(1 for text in stored if text not in accepted)
    by_status = ", ".join(f"{status} x{count}" for status, count in sorted(statuses.items()))
    print(f"  {name:<10} {fault:<26} {length:.0f}s  requests: {by_status}")
    print(
        f"  {'':<10} {'':<26}      pages p50 {percentile(reads, 0.5):.0f} ms p99 {percentile(reads, 0.99):.0f} ms;"
        f" posts p50 {percentile(posts, 0.5):.0f} ms p99 {percentile(posts, 0.99):.0f} ms"
    )
    print(
        f"  {'':<10} {'':<26}      comments sent {len(spike.texts.sent)}, accepted {len(accepted)},"
        f" stored once {once}, missing {missing}, duplicated {duplicated}, stored untold {untold}"
        + (f"; {note}" if note else ""),
        flush=True,
    )


def run_spike(work: Path, seconds: int = 20, sqlite_only: bool = False) -> None:
    """Both databases' scenarios; ``work`` is a temporary directory the caller removes."""
    print()
    print(f"Spike with faults ({seconds}s per scenario, write-lock scenarios last the lock + 10 s):", flush=True)
    sqlite_site = Site(work / "spike-sqlite")
    run_database("sqlite", sqlite_site, Database(sqlite_path=sqlite_site.var / "db.sqlite3"), seconds)
    if sqlite_only:
        return
    if not shutil.which("pg_ctl") and not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        print("  postgresql: skipped (no PostgreSQL server installed: scripts/install-test-deps.sh)")
        return
    url, services = start_postgres(work)
    try:
        pg_site = PgSite(work / "spike-pg", url)
        run_database("postgresql", pg_site, Database(url=url), seconds)
    finally:
        stop_postgres(services)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="length of a scenario (write-lock ones: lock + 10 s)")
    parser.add_argument("--quick", action="store_true", help="8 s scenarios")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gazette-spike-"))

    def _stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    with run_directory(work, args.keep):
        try:
            run_spike(work, 8 if args.quick else args.seconds, args.sqlite_only)
            return 0
        except KeyboardInterrupt:
            print("\nInterrupted; stopping everything this run started.")
            return 130


if __name__ == "__main__":
    sys.exit(main())
