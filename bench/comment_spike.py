"""A 60 s spike of readers and commenters who reply and report, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.comment_spike [--seconds 60] [--readers 200] [--sqlite-only | --postgresql-only] [--keep]

(``make bench`` runs it after the spike with faults.) Each database gets a private site prepared
as ``bench/stack.py`` does, served by ``scripts/serve.sh`` with ``bench/settings_comment_spike.py``
(production settings; the known CAPTCHA answer; the comment and report limits lifted). The
site's rules are set so that each comment's decision is known in advance: no first-time hold,
no old-article hold, links held, a comment reported by 3 different readers goes back to the queue.

200 readers loop over the article (half of the time loading the comment form's frame too, as
a browser does when the reader scrolls to the comments) and the front page. 20 commenters, each from its own
loopback address (127.0.0.20 to .39, so the server sees 20 different readers), go through the
real pages: they read the article, then write a comment (plain, or with a link), a reply to a
comment they saw (the Reply link: ``?reply_to=``), or report a comment (the Report page). They
type for 3.5 s (the form refuses anything faster) and send again when the site is busy.

Printed per database: requests by status, p50/p99 of page views, of comment posts and of
reports, then what was stored: accepted comments stored once / missing / duplicated / stored
untold; replies stored with the parent they answered; decisions as the rules give (plain:
published unless 3 readers reported it; a link: held for its link, or binned if the spam filter
is sure too); comments reported by 3
readers that are back in the queue. Figures, never pass/fail; loopback only; every process it
started is stopped on exit.
"""

from __future__ import annotations

import argparse
import http.client
import random
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.spike import (
    ALREADY_SENT,
    Client,
    Database,
    PgSite,
    Record,
    form_fields,
    percentile,
    start_postgres,
    status_of,
    stop_postgres,
)
from bench.stack import Processes, Site, run_directory

SETTINGS = "bench.settings_comment_spike"
READERS = 200
COMMENTERS = 20
TYPING_SECONDS = 3.5
REPORTS_TO_HOLD = 3
COMMENT_ID = re.compile(r'<li class="comment(?: comment--reply)?" id="comment-(\d+)">')
RULES = f"""
from wagtail.models import Site
from gazette.comments.models import CommentSettings
rules = CommentSettings.for_site(Site.objects.get(is_default_site=True))
rules.first_time_threshold = 0
rules.hold_after_days = 0
rules.hold_links = True
rules.hold_all = False
rules.close_after_days = 0
rules.reports_to_hold = {REPORTS_TO_HOLD}
rules.save()
"""


class AddressedClient(Client):
    """A :class:`Client` whose connections leave from one loopback address, as one reader's would."""

    def __init__(self, base: str, source: str, timeout: float = 30) -> None:
        super().__init__(base, timeout)
        self.source = source

    def request(self, method, path, body=None, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(
                self.host, self.port, timeout=self.timeout, source_address=(self.source, 0)
            )
        return super().request(method, path, body, headers)


@dataclass
class Sent:
    """One comment a commenter sent: its kind and the comment it answered (None: the article)."""

    kind: str
    parent: int | None
    accepted: bool = False


@dataclass
class Ledger:
    sent: dict[str, Sent] = field(default_factory=dict)
    reports: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


class CommentSpike:
    def __init__(self, base: str, article_path: str, article_pk: int, tag: str, stop_at: float, readers: int):
        self.base, self.article_path, self.article_pk = base, article_path, article_pk
        self.tag, self.stop_at, self.readers = tag, stop_at, readers
        self.records: list[Record] = []
        self.records_lock = threading.Lock()
        self.ledger = Ledger()

    def note(self, kind: str, status: str, seconds: float) -> None:
        with self.records_lock:
            self.records.append(Record(kind, status, seconds))

    def timed(self, client: Client, kind: str, method: str, path: str, body: bytes | None = None, gzip=False):
        """One request, its time and status noted; ``gzip``: as a browser asks (the body is not read)."""
        if method == "GET":
            headers = {"Accept-Encoding": "gzip"} if gzip else {}
        else:
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + path}
        start = time.monotonic()
        status, response_headers, text = client.request(method, path, body=body, headers=headers)
        self.note(kind, status_of(status, text), time.monotonic() - start)
        return status, response_headers, text

    def reader(self, index: int) -> None:
        client = Client(self.base)
        rng = random.Random(index)
        form = f"/comments/{self.article_pk}/form/"
        while time.monotonic() < self.stop_at:
            path = self.article_path if rng.random() < 0.7 else "/"
            status, _h, _t = self.timed(client, "read", "GET", path, gzip=True)
            if path == self.article_path and rng.random() < 0.5:
                # The reader scrolls down to the comments: the browser loads the form's frame.
                status, _h, _t = self.timed(client, "read", "GET", form, gzip=True)
            if status == 0:
                time.sleep(0.2)
        client.close()

    def commenter(self, index: int) -> None:
        client = AddressedClient(self.base, f"127.0.0.{20 + index}")
        rng = random.Random(1000 + index)
        seq = 0
        while time.monotonic() + TYPING_SECONDS + 2 < self.stop_at:
            status, _h, page = self.timed(client, "read", "GET", self.article_path)
            shown = [int(pk) for pk in COMMENT_ID.findall(page)] if status == 200 else []
            roll = rng.random()
            if roll < 0.2 and shown:
                # Most reports go to the first comments, so several reach the threshold.
                self.report(client, rng, rng.choice(shown[:8]))
                continue
            seq += 1
            parent = rng.choice(shown) if roll < 0.55 and shown else None
            kind = "link" if rng.random() < 0.25 else "plain"
            self.comment(client, index, seq, kind, parent)
        client.close()

    def report(self, client: Client, rng: random.Random, pk: int) -> None:
        path = f"/comments/report/{pk}/"
        status, _h, html = self.timed(client, "read", "GET", path)
        if status != 200:
            with self.ledger.lock:
                self.ledger.reports[f"page {status}"] += 1
            return
        fields = form_fields(html)
        fields.update(reason=rng.choice(["spam", "abuse", "off_topic"]), text="Seen in the comment spike.")
        time.sleep(1)
        status, _h, html = self.timed(client, "report", "POST", path, urlencode(fields).encode())
        if status == 200 and "your report was sent" in html:
            outcome = "taken"
        elif status == 200 and "already reported" in html:
            outcome = "already reported"
        else:
            outcome = f"refused {status}"
        with self.ledger.lock:
            self.ledger.reports[outcome] += 1

    def comment(self, client: Client, index: int, seq: int, kind: str, parent: int | None) -> None:
        form_path = f"/comments/{self.article_pk}/form/"
        status, _h, html = self.timed(client, "read", "GET", form_path + (f"?reply_to={parent}" if parent else ""))
        if status not in (200, 400):
            time.sleep(1)
            return
        fields = form_fields(html)
        parent = int(fields["reply_to"]) if fields.get("reply_to") else None
        link = " The timetable: https://example.org/ferry" if kind == "link" else ""
        text = f"Spike {self.tag} c{index} n{seq} ({secrets.token_hex(4)}): the ferry timetable is right.{link}"
        fields.update(name=f"Spike Reader {index}", location="Kolyvan", email="", body=text, captcha_1="PASSED")
        fields.pop("new_code", None)
        entry = Sent(kind, parent)
        with self.ledger.lock:
            self.ledger.sent[text] = entry
        time.sleep(TYPING_SECONDS)
        body = urlencode(fields).encode()
        action = f"/comments/{self.article_pk}/form/"
        while True:
            status, _h, html = self.timed(client, "post", "POST", action, body)
            if status == 302 or (status == 200 and ALREADY_SENT in html):
                entry.accepted = True
                return
            if time.monotonic() + 2 > self.stop_at:
                return
            if status == 200:
                # The form came back (busy, or the comment answered is gone): send it as shown.
                again = form_fields(html)
                again.update(captcha_1="PASSED")
                again.pop("new_code", None)
                entry.parent = int(again["reply_to"]) if again.get("reply_to") else None
                body = urlencode(again).encode()
            time.sleep(2)

    def run(self) -> None:
        threads = [threading.Thread(target=self.reader, args=(i,), daemon=True) for i in range(self.readers)]
        threads += [threading.Thread(target=self.commenter, args=(i,), daemon=True) for i in range(COMMENTERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1, self.stop_at - time.monotonic()) + 60)


def check(db: Database, spike: CommentSpike) -> dict[str, int]:
    """What was stored against what the commenters were told and what the rules give."""
    rows = db.rows(
        "SELECT id, body, status, parent_id, reason_codes FROM comments_readercomment WHERE body LIKE %s",
        (f"Spike {spike.tag} %",),
    )
    reporters = dict(
        db.rows(
            "SELECT comment_id, COUNT(DISTINCT reporter) FROM comments_commentreport WHERE reporter <> '' "
            "GROUP BY comment_id"
        )
    )
    by_body: dict[str, list[tuple]] = {}
    for row in rows:
        by_body.setdefault(row[1], []).append(row)
    sent = spike.ledger.sent
    accepted = {text: entry for text, entry in sent.items() if entry.accepted}
    figures = Counter(sent=len(sent), accepted=len(accepted))
    for text, entry in accepted.items():
        stored = by_body.get(text, [])
        figures["stored once" if len(stored) == 1 else "missing" if not stored else "duplicated"] += 1
        if len(stored) != 1:
            continue
        pk, _body, status, parent_id, codes = stored[0]
        if entry.parent is not None:
            figures["replies"] += 1
            figures["replies to the right parent"] += parent_id == entry.parent
        reported = reporters.get(pk, 0) >= REPORTS_TO_HOLD
        if entry.kind == "link":
            # Held for its link, or binned when the spam filter is sure as well: never shown.
            expected = status in ("pending", "spam") and " links " in (codes or "")
        elif reported:
            expected = status == "pending" and " reported " in (codes or "")
        else:
            expected = status == "published"
        figures["decided as the rules give"] += expected
        if not expected:
            figures[f"otherwise: {entry.kind} -> {status} [{(codes or '').strip()}]"] += 1
    figures["stored untold"] = sum(1 for text in by_body if text not in accepted)
    held = db.rows(
        "SELECT COUNT(*) FROM comments_readercomment WHERE status = 'pending' AND reason_codes LIKE %s",
        ("% reported %",),
    )[0][0]
    figures["comments reported by 3 readers"] = sum(1 for n in reporters.values() if n >= REPORTS_TO_HOLD)
    figures["of them back in the queue"] = held
    return figures


def run_database(name: str, site: Site, db: Database, seconds: int, readers: int) -> None:
    with Processes() as procs:
        print(f"  {name}: preparing (migrate, collectstatic, demo content, seeded article)...", flush=True)
        seeded = site.prepare()
        site.manage("shell", "-c", RULES)
        base = site.start_server(procs, f"comment-spike-{name}", settings=SETTINGS, workers=2)
        print(
            f"    {readers} readers, {COMMENTERS} commenters (comments, replies, reports) for {seconds}s",
            flush=True,
        )
        warm = CommentSpike(base, seeded.article_path, seeded.article_pk, f"{name}-warm", time.monotonic() + 10, 8)
        warm.run()
        spike = CommentSpike(base, seeded.article_path, seeded.article_pk, name, time.monotonic() + seconds, readers)
        spike.run()
        print_figures(name, seconds, spike, check(db, spike))


def print_figures(name: str, seconds: int, spike: CommentSpike, figures: Counter) -> None:
    statuses = Counter(r.status for r in spike.records)
    times = {kind: [r.seconds for r in spike.records if r.kind == kind] for kind in ("read", "post", "report")}
    by_status = ", ".join(f"{status} x{count}" for status, count in sorted(statuses.items()))
    print(f"  {name:<10} {seconds}s  requests: {by_status}")
    print(
        "             "
        + "; ".join(
            f"{label} p50 {percentile(times[kind], 0.5):.0f} ms p99 {percentile(times[kind], 0.99):.0f} ms"
            for kind, label in (("read", "pages"), ("post", "comment posts"), ("report", "reports"))
        )
    )
    print("             reports: " + ", ".join(f"{k} {v}" for k, v in sorted(spike.ledger.reports.items())))
    main = [
        "sent",
        "accepted",
        "stored once",
        "missing",
        "duplicated",
        "stored untold",
        "replies",
        "replies to the right parent",
        "decided as the rules give",
        "comments reported by 3 readers",
        "of them back in the queue",
    ]
    print("             comments: " + ", ".join(f"{key} {figures.get(key, 0)}" for key in main))
    others = {k: v for k, v in figures.items() if k.startswith("otherwise")}
    for key, value in sorted(others.items()):
        print(f"             {key}: {value}")
    server_errors = sum(count for status, count in statuses.items() if status.startswith("5"))
    print(f"             server errors: {server_errors}", flush=True)


def run_comment_spike(
    work: Path, seconds: int = 60, readers: int = READERS, sqlite_only: bool = False, sqlite: bool = True
) -> None:
    """Both databases (or one); ``work`` is a temporary directory the caller removes."""
    print()
    print(f"Comment spike: replies and reports ({seconds}s, {readers} readers, {COMMENTERS} commenters):", flush=True)
    if sqlite:
        sqlite_site = Site(work / "comment-spike-sqlite")
        run_database("sqlite", sqlite_site, Database(sqlite_path=sqlite_site.var / "db.sqlite3"), seconds, readers)
    if sqlite_only:
        return
    if not shutil.which("pg_ctl") and not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        print("  postgresql: skipped (no PostgreSQL server installed: scripts/install-test-deps.sh)")
        return
    # The PostgreSQL server runs as the postgres user, who must reach its directory through ``work``.
    work.chmod(0o755)
    pg_work = work / "comment-spike-pg-services"
    pg_work.mkdir()
    url, services = start_postgres(pg_work)
    try:
        run_database("postgresql", PgSite(work / "comment-spike-pg", url), Database(url=url), seconds, readers)
    finally:
        stop_postgres(services)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the spike")
    parser.add_argument("--readers", type=int, default=READERS, help="reader threads")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--postgresql-only", action="store_true", help="skip SQLite")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gazette-comment-spike-"))

    def _stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    with run_directory(work, args.keep):
        try:
            run_comment_spike(work, args.seconds, args.readers, args.sqlite_only, sqlite=not args.postgresql_only)
            return 0
        except KeyboardInterrupt:
            print("\nInterrupted; stopping everything this run started.")
            return 130


if __name__ == "__main__":
    sys.exit(main())
