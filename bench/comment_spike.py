"""A 60 s spike of readers and commenters who reply and report, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.comment_spike [--duration 60] [--readers 200] [--sqlite-only | --postgresql-only] [--keep]

(``make bench`` runs it for 60 s on both databases after the spike with faults.) Each database
gets a private site prepared as ``bench/stack.py`` does (the scorer's base model trained
beforehand, as ``make migrate`` does), served by ``scripts/serve.sh`` with
``bench/settings_comment_spike.py`` (production settings; a known CAPTCHA answer; the comment
and report limits lifted). The site's rules: no first-time hold, no old-article hold, links held,
a comment reported by 3 different readers goes back to the queue.

200 readers loop over the article (half of the time loading the comment form's frame too, as a
browser does when the reader scrolls to the comments) and the front page. 20 commenters, each
from its own loopback address (127.0.0.20 to .39, so the server sees 20 different readers), go
through the real pages as a browser would: they read the article, then write a comment (plain,
or with a link), a reply to a comment they saw (its Reply link: ``?reply_to=``), or report a
comment (its Report page). Writing, they load the form and its control-code picture, type for
3.5 s (the form refuses anything faster), answer the code and send; a busy site or a form shown
again is answered by sending again, as shown; a redirect is followed to the article, as a
browser does. The commenters leave no e-mail address, so no comment's decision depends on its
author's record.

Afterwards the site's own code checks its database against what the commenters were told
(:func:`verify`, in a process with the site's settings): every accepted comment (the server
said published or held, or "already sent" to a post sent again) is stored exactly once; each
stored comment's decision on arrival is the one the pipeline's decision function
(``services.decide``) gives for its text under the site's rules, with the same reasons and
model; a reply keeps the parent its writer answered; a comment reported by 3 readers is back in
the queue, one reported by fewer is still shown; each report a reader was thanked for is stored
once. Printed per database with the requests by status and p50/p99 of page views, comment posts
and reports; the exit status is 1 when any server error or any of those checks failed.
Loopback only; every process it started is stopped on exit.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.spike import (
    ALREADY_SENT,
    Client,
    PgSite,
    Record,
    form_fields,
    percentile,
    start_postgres,
    status_of,
    stop_postgres,
)
from bench.stack import PY, REPO, Processes, Site, run_directory

SETTINGS = "bench.settings_comment_spike"
CAPTCHA_ANSWER = "PASSED"  # bench/settings_spike.py's GAZETTE_TEST_CAPTCHA_ANSWER
READERS = 200
COMMENTERS = 20
TYPING_SECONDS = 3.5
REPORTS_TO_HOLD = 3
FIRST_ADDRESS = 20  # commenter i posts from 127.0.0.(20 + i)
COMMENT_ID = re.compile(r'<li class="comment(?: comment--reply)?" id="comment-(\d+)">')
CONTROL_CODE_IMAGE = re.compile(r'<img class="control-code__image" src="([^"]+)"')
REPORT_TAKEN = "your report was sent"
REPORT_REPEATED = "already reported"
REPORT_GONE = "no longer shown"
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
    """One comment a commenter sent: its kind, the comment it answered (None: the article), and
    what the server told its writer ('' until told: "published", "held" or "already sent")."""

    text: str
    kind: str
    parent: int | None
    told: str = ""


@dataclass
class Ledger:
    """What the commenters sent and were told, shared by their threads."""

    sent: dict[str, Sent] = field(default_factory=dict)
    reports: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


class CommentSpike:
    """The readers and commenters of one run against ``base``, until ``stop_at`` (monotonic)."""

    def __init__(
        self,
        base: str,
        article_path: str,
        article_pk: int,
        tag: str,
        stop_at: float,
        readers: int = READERS,
        commenters: int = COMMENTERS,
        answer: str = CAPTCHA_ANSWER,
        typing_seconds: float = TYPING_SECONDS,
    ) -> None:
        self.base, self.article_path, self.article_pk = base, article_path, article_pk
        self.tag, self.stop_at, self.readers, self.commenters = tag, stop_at, readers, commenters
        self.answer, self.typing_seconds = answer, typing_seconds
        self.records: list[Record] = []
        self.records_lock = threading.Lock()
        self.ledger = Ledger()

    @property
    def report_text(self) -> str:
        """The words every report of this run carries, so the check finds this run's reports."""
        return f"Seen in the comment spike {self.tag}."

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
        client = AddressedClient(self.base, f"127.0.0.{FIRST_ADDRESS + index}")
        rng = random.Random(1000 + index)
        seq = 0
        first = True
        while time.monotonic() + self.typing_seconds + 2 < self.stop_at:
            status, _h, page = self.timed(client, "read", "GET", self.article_path)
            shown = [int(pk) for pk in COMMENT_ID.findall(page)] if status == 200 else []
            roll = rng.random()
            if first:
                # Each commenter's first act is set by its number, so even a short run has each kind.
                roll, first = (0.1, 0.4, 0.9)[index % 3], False
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
        fields.update(reason=rng.choice(["spam", "abuse", "off_topic"]), text=self.report_text)
        time.sleep(min(1.0, self.typing_seconds))
        status, _h, html = self.timed(client, "report", "POST", path, urlencode(fields).encode())
        if status == 200 and REPORT_TAKEN in html:
            outcome = "taken"
        elif status == 200 and REPORT_REPEATED in html:
            outcome = "already reported"
        elif status == 200 and REPORT_GONE in html:
            outcome = "no longer shown"
        else:
            outcome = f"refused {status}"
        with self.ledger.lock:
            self.ledger.reports[outcome] += 1

    def _fill(self, client: Client, html: str, text: str | None = None) -> dict[str, str]:
        """The form's fields as a browser sends them: the control-code picture loaded, its answer typed."""
        fields = form_fields(html)
        image = CONTROL_CODE_IMAGE.search(html)
        if image:
            self.timed(client, "read", "GET", image.group(1))
        fields.pop("new_code", None)
        fields["captcha_1"] = self.answer
        if text is not None:
            fields["body"] = text
        return fields

    def comment(self, client: Client, index: int, seq: int, kind: str, parent: int | None) -> None:
        form_path = f"/comments/{self.article_pk}/form/"
        status, _h, html = self.timed(client, "read", "GET", form_path + (f"?reply_to={parent}" if parent else ""))
        if status not in (200, 400):  # 400: the comment answered is gone; the form says so
            time.sleep(1)
            return
        link = " The timetable: https://example.org/ferry" if kind == "link" else ""
        text = f"Spike {self.tag} c{index} n{seq} ({secrets.token_hex(4)}): the ferry timetable is right.{link}"
        fields = self._fill(client, html, text)
        fields.update(name=f"Spike Reader {index}", location="Kolyvan", email="")
        entry = Sent(text, kind, int(fields["reply_to"]) if fields.get("reply_to") else None)
        with self.ledger.lock:
            self.ledger.sent[text] = entry
        time.sleep(self.typing_seconds)
        body = urlencode(fields).encode()
        while True:
            status, headers, html = self.timed(client, "post", "POST", form_path, body)
            if status == 302:
                location = headers.get("Location", "")
                told = "published" if "comment=published" in location else "held"
                with self.ledger.lock:
                    entry.told = told
                target = urlsplit(location)
                self.timed(client, "read", "GET", target.path + (f"?{target.query}" if target.query else ""))
                return
            if status == 200 and ALREADY_SENT in html:
                with self.ledger.lock:
                    entry.told = "already sent"
                return
            if time.monotonic() + 2 > self.stop_at:
                return
            if status == 200:
                # The form came back (busy, or the comment answered is gone): send it as shown.
                again = self._fill(client, html)
                entry.parent = int(again["reply_to"]) if again.get("reply_to") else None
                body = urlencode(again).encode()
            time.sleep(2)  # a person reads the message, then sends again (the same post after no answer)

    def run(self) -> None:
        threads = [threading.Thread(target=self.reader, args=(i,), daemon=True) for i in range(self.readers)]
        threads += [threading.Thread(target=self.commenter, args=(i,), daemon=True) for i in range(self.commenters)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1, self.stop_at - time.monotonic()) + 60)

    def evidence(self) -> dict:
        """What the check needs to know of this run (JSON-ready)."""
        return {
            "article_pk": self.article_pk,
            "tag": self.tag,
            "report_text": self.report_text,
            "sent": [asdict(entry) for entry in self.ledger.sent.values()],
            "reports_taken": self.ledger.reports["taken"],
        }


# The check, run with the site's settings ---------------------------------------------------------


def verify(evidence: dict) -> dict:
    """Check the site's database against a run's ``evidence``; returns ``{"figures": {...}, "violations": [...]}``.

    Needs Django set up with the site's settings. A comment's decision on arrival is the first
    entry of its status history; the decision function is run again on its stored text with the
    site's rules (the commenters left no address, so no record of theirs counts).
    """
    from django.db.models import Count
    from wagtail.models import Site as WagtailSite

    from gazette.comments import services
    from gazette.comments.choices import CommentStatus
    from gazette.comments.models import CommentReport, CommentStatusChange, ReaderComment

    figures: Counter = Counter()
    violations: list[str] = []
    article_pk = evidence["article_pk"]
    prefix = f"Spike {evidence['tag']} "
    comments = list(ReaderComment.objects.filter(article_id=article_pk, body__startswith=prefix))
    by_text: dict[str, list] = {}
    for comment in comments:
        by_text.setdefault(comment.body, []).append(comment)
    arrival = {}
    history = CommentStatusChange.objects.filter(comment__article_id=article_pk, comment__body__startswith=prefix)
    for change in history.filter(old_status="").order_by("at", "pk"):
        arrival.setdefault(change.comment_id, change.new_status)
    # Nobody moderates during the run, so every report counts (services counts those since the last decision).
    open_reporters = dict(
        CommentReport.objects.filter(comment__article_id=article_pk)
        .exclude(reporter="")
        .values("comment_id")
        .annotate(n=Count("reporter", distinct=True))
        .values_list("comment_id", "n")
    )
    needed = REPORTS_TO_HOLD

    sent = evidence["sent"]
    accepted = [entry for entry in sent if entry["told"]]
    figures.update(sent=len(sent), accepted=len(accepted))
    for entry in accepted:
        stored = by_text.get(entry["text"], [])
        if len(stored) != 1:
            figures["missing" if not stored else "duplicated"] += 1
            violations.append(f"{'missing' if not stored else 'stored twice'}: {entry['text']}")
            continue
        figures["stored once"] += 1
        comment = stored[0]
        if entry["told"] in ("published", "held"):
            said = CommentStatus.PUBLISHED if entry["told"] == "published" else "not published"
            first = arrival.get(comment.pk)
            if (first == CommentStatus.PUBLISHED) != (said == CommentStatus.PUBLISHED):
                violations.append(f"told {entry['told']}, stored {first}: comment {comment.pk}")
        if entry["parent"] is not None:
            figures["replies"] += 1
            if comment.parent_id == entry["parent"]:
                figures["replies to the right parent"] += 1
            else:
                violations.append(
                    f"reply {comment.pk} answers {comment.parent_id}, its writer answered {entry['parent']}"
                )
    told = {entry["text"] for entry in accepted}
    figures["stored untold"] = sum(1 for text in by_text if text not in told)

    article = ReaderComment.objects.filter(article_id=article_pk).first().article.specific
    rules = services.rules_for(article, WagtailSite.objects.get(is_default_site=True))
    for comment in comments:
        age = (comment.created_at - (article.first_published_at or comment.created_at)).total_seconds() / 86400
        expected = services.decide(comment.body, approved=0, rules=rules, article_age_days=age)
        first = arrival.get(comment.pk)
        reported = open_reporters.get(comment.pk, 0) >= needed
        same = (
            first == expected.status
            and comment.model_version == expected.model_version
            and comment.email_hash == ""
            and (reported or comment.reason_codes == services.reason_codes(expected.reasons))
        )
        if same:
            figures["decided as the rules give"] += 1
            figures[f"  {expected.status}"] += 1
        else:
            violations.append(
                f"comment {comment.pk} arrived {first} [{comment.reason_codes.strip()}] by {comment.model_version}; "
                f"the rules give {expected.status} [{services.reason_codes(expected.reasons).strip()}] "
                f"by {expected.model_version}"
            )

    for pk, reporters in open_reporters.items():
        if not reporters:
            continue
        comment = ReaderComment.objects.get(pk=pk)
        held = comment.status == CommentStatus.PENDING and f" {services.REPORTED} " in comment.reason_codes
        if reporters >= needed:
            figures[f"comments reported by {needed} readers"] += 1
            figures["of them back in the queue"] += held
            if not held:
                violations.append(f"comment {pk} reported by {reporters} readers is {comment.status}")
        elif held:
            violations.append(f"comment {pk} reported by {reporters} readers only is back in the queue")
    reports = CommentReport.objects.filter(comment__article_id=article_pk, text=evidence["report_text"])
    figures["reports stored"] = reports.count()
    if figures["reports stored"] < evidence["reports_taken"]:
        violations.append(f"{evidence['reports_taken']} reports thanked for, {figures['reports stored']} stored")
    twice = Counter(reports.exclude(reporter="").values_list("comment_id", "reporter"))
    if any(n > 1 for n in twice.values()):
        violations.append("a reader's report of one comment stored twice")
    return {"figures": dict(figures), "violations": violations}


def _verify_stdin() -> None:
    """``verify`` in a child process: the evidence as JSON on stdin, the result as one JSON line."""
    import django

    django.setup()
    print(json.dumps(verify(json.loads(sys.stdin.read()))))


def verify_on_site(site: Site, evidence: dict) -> dict:
    result = subprocess.run(
        [str(PY), "-c", "from bench.comment_spike import _verify_stdin; _verify_stdin()"],
        cwd=REPO,
        env=site.env(SETTINGS),
        input=json.dumps(evidence),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"the check failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# Running it ----------------------------------------------------------------------------------


def run_database(name: str, site: Site, seconds: int, readers: int) -> list[str]:
    """One database's run; returns the violations (empty when every check passed)."""
    with Processes() as procs:
        print(f"  {name}: preparing (migrate, collectstatic, demo content, seeded article, scorer)...", flush=True)
        seeded = site.prepare()
        site.manage("shell", "-c", RULES)
        base = site.start_server(procs, f"comment-spike-{name}", settings=SETTINGS, workers=2)
        print(
            f"    {readers} readers, {COMMENTERS} commenters (comments, replies, reports) for {seconds}s",
            flush=True,
        )
        # Warm up (not a figure): each process loads its code and the scorer, the page cache fills.
        warm = CommentSpike(base, seeded.article_path, seeded.article_pk, f"{name}-warm", time.monotonic() + 10, 8)
        warm.run()
        spike = CommentSpike(base, seeded.article_path, seeded.article_pk, name, time.monotonic() + seconds, readers)
        spike.run()
        result = verify_on_site(site, spike.evidence())
        return print_figures(name, seconds, spike, result)


def server_errors(spike: CommentSpike) -> int:
    return sum(1 for r in spike.records if r.status.startswith("5"))


def print_figures(name: str, seconds: int, spike: CommentSpike, result: dict) -> list[str]:
    """Print a run's figures and what failed; returns the violations, server errors among them."""
    figures = Counter(result["figures"])
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
    told = Counter(entry.told or "not told" for entry in spike.ledger.sent.values())
    print("             commenters told: " + ", ".join(f"{k} {v}" for k, v in sorted(told.items())))
    print("             reports: " + ", ".join(f"{k} {v}" for k, v in sorted(spike.ledger.reports.items())))
    print(f"             reports stored: {figures['reports stored']}")
    main = [
        "sent",
        "accepted",
        "stored once",
        "missing",
        "duplicated",
        "stored untold",
        "replies",
        "replies to the right parent",
    ]
    print("             comments: " + ", ".join(f"{key} {figures.get(key, 0)}" for key in main))
    stored = figures["stored once"] + figures["stored untold"]
    decided = ", ".join(f"{k.strip()} {v}" for k, v in sorted(figures.items()) if k.startswith("  "))
    print(f"             decided as the rules give: {figures['decided as the rules give']} of {stored} ({decided})")
    print(
        f"             comments reported by {REPORTS_TO_HOLD} readers: "
        f"{figures[f'comments reported by {REPORTS_TO_HOLD} readers']}, "
        f"of them back in the queue {figures['of them back in the queue']}"
    )
    errors = server_errors(spike)
    print(f"             server errors: {errors}", flush=True)
    violations = ([f"{errors} server errors"] if errors else []) + list(result["violations"])
    for violation in violations[:20]:
        print(f"             FAILED: {violation}")
    if len(violations) > 20:
        print(f"             ... and {len(violations) - 20} more")
    print(f"             {name}: {'FAILED' if violations else 'every check passed'}", flush=True)
    return violations


def run_comment_spike(
    work: Path, seconds: int = 60, readers: int = READERS, sqlite: bool = True, pg: bool = True
) -> bool:
    """Both databases (or one); True when every check passed. ``work`` is a temporary directory the caller removes."""
    print()
    print(f"Comment spike: replies and reports ({seconds}s, {readers} readers, {COMMENTERS} commenters):", flush=True)
    violations = []
    if sqlite:
        violations += run_database("sqlite", Site(work / "comment-spike-sqlite"), seconds, readers)
    if not pg:
        return not violations
    if not shutil.which("pg_ctl") and not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        print("  postgresql: skipped (no PostgreSQL server installed: scripts/install-test-deps.sh)")
        return not violations
    # The PostgreSQL server runs as the postgres user, who must reach its directory through ``work``.
    work.chmod(0o755)
    pg_work = work / "comment-spike-pg-services"
    pg_work.mkdir()
    url, services = start_postgres(pg_work)
    try:
        violations += run_database("postgresql", PgSite(work / "comment-spike-pg", url), seconds, readers)
    finally:
        stop_postgres(services)
    return not violations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of the spike on each database")
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
            passed = run_comment_spike(
                work, args.duration, args.readers, sqlite=not args.postgresql_only, pg=not args.sqlite_only
            )
            return 0 if passed else 1
        except KeyboardInterrupt:
            print("\nInterrupted; stopping everything this run started.")
            return 130


if __name__ == "__main__":
    sys.exit(main())
