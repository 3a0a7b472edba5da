"""How long a whole-archive WordPress import takes, and how much memory it needs.

Writes a synthetic export (bench/wxr_generator.py: N posts, about 3N comments, N/20 pictures,
200 authors), migrates a fresh database, then runs ``manage.py import_wordpress`` on it in a
child process and prints its wall time, posts per second, peak resident memory (the child's
own, from ``wait4``) and whether the report reconciled (the command exits non-zero when its
counts do not add up to the export's). The baseline, measured in the same run, is the time to
read the export alone (the parser's two streamed passes): the import's time is also given as a
multiple of it. Targets (SQLite): under 10 minutes for 100,000 posts, under 1 GB peak.
Figures only, never pass/fail.

Run: .venv/bin/python bench/import_bench.py [--posts N] [--postgres | --both] [--export FILE]
  N defaults to $GAZETTE_BENCH_IMPORT_POSTS or 100,000; --postgres imports into the database
  named by $DATABASE_URL (start one with scripts/services.sh start) instead of a new SQLite file,
  --both into a new SQLite file and then that database, their figures printed side by side;
  --export keeps the generated export in FILE and reuses it when it is there (the generator is
  seeded, so the same N gives the same file), sparing the minutes of writing it again.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.wxr_generator import write
from gazette.wordpress.parser import iter_items, read_channel

TARGET_SECONDS_PER_100K = 600
TARGET_PEAK_MB = 1024


def export_counts(path: Path) -> dict[str, int]:
    """The posts and comments of an existing export, as the generator counts them."""
    channel = read_channel(path)
    return {
        "posts": channel.item_counts.get("post", 0),
        "comments": channel.comment_counts.get("post", 0),
        "attachments": channel.item_counts.get("attachment", 0),
    }


def parse_only(path: Path) -> float:
    started = time.perf_counter()
    read_channel(path)
    for _ in iter_items(path):
        pass
    return time.perf_counter() - started


class LoadSampler(threading.Thread):
    """The machine's one-minute load average, read every few seconds until stopped."""

    def __init__(self, every: float = 5.0):
        super().__init__(daemon=True)
        self.every = every
        self.samples: list[float] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.samples.append(os.getloadavg()[0])
            self.stopped.wait(self.every)

    def summary(self) -> str:
        if not self.samples:
            return "not sampled"
        mean = sum(self.samples) / len(self.samples)
        return f"{min(self.samples):.1f} to {max(self.samples):.1f}, mean {mean:.1f} on {os.cpu_count()} cores"


def run_child(
    command: list[str], env: dict[str, str], log: Path, load: LoadSampler | None = None
) -> tuple[int, float, float, float]:
    """Run ``command``; returns its exit status, wall seconds, peak RSS in MB and CPU seconds.
    With ``load``, the machine's load is sampled while it runs."""
    started = time.perf_counter()
    if load is not None:
        load.start()
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    if load is not None:
        load.stopped.set()
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def import_into(
    database: str, url: str, export: Path, work: Path, counts: dict[str, int], parse_seconds: float
) -> dict[str, Any] | None:
    """Migrate a fresh database at ``url`` and import ``export`` into it, printing the report's
    summary and the figures; returns them, or None when the migration failed."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings_import",
        "GAZETTE_TEST_TMP": str(work),
        "DATABASE_URL": url,
    }
    status, _, _, _ = run_child(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], env, work / "migrate.log"
    )
    if status:
        print((work / "migrate.log").read_text()[-3000:])
        return None
    log = work / f"import-{database.lower()}.log"
    load = LoadSampler()
    status, seconds, peak_mb, cpu = run_child(
        [sys.executable, "manage.py", "import_wordpress", str(export), "--no-download", "-v", "1"], env, log, load
    )
    posts = counts["posts"]
    report = [line for line in log.read_text(errors="replace").replace("\r", "\n").splitlines() if line.strip()]
    summary = [line for line in report if "items/s" not in line and line.startswith("  ") and "  - " not in line]
    print(f"Import report ({database}), without its list of problems:")
    for line in summary[:60]:
        print(f"  {line[:160]}")
    target = TARGET_SECONDS_PER_100K * posts / 100_000
    print(
        f"Import into {database}: {posts:,} posts in {seconds:,.0f} s "
        f"({posts / seconds:,.0f} posts/s, {counts.get('comments', 0) / seconds:,.0f} comments/s; "
        f"{seconds / parse_seconds:,.0f}x reading the export alone); "
        f"target for this size {target:,.0f} s ({seconds / target:.2f} of it)"
    )
    # On a machine shared with other jobs the wall time says more about them than about the
    # import: its own CPU time is printed beside it.
    print(
        f"CPU time of the import: {cpu:,.0f} s ({cpu * 1000 / posts:.1f} ms per post with its comments, "
        f"{posts / cpu:,.0f} posts per CPU second; "
        f"wall time {seconds / cpu:.1f}x its CPU time)"
    )
    print(f"Load average (1 min) during the import: {load.summary()}")
    print(f"Peak memory of the import: {peak_mb:,.0f} MB (target {TARGET_PEAK_MB:,} MB)")
    reconciled = "yes" if status == 0 else f"NO (exit status {status})"
    print(f"Reconciled: {'yes, every item and comment accounted for' if status == 0 else reconciled}", flush=True)
    return {
        "wall": f"{seconds:,.0f} s",
        "CPU": f"{cpu:,.0f} s",
        "CPU per post": f"{cpu * 1000 / posts:.1f} ms",
        "posts/s": f"{posts / seconds:,.0f}",
        "load (1 min)": load.summary().split(" on ")[0],
        "peak memory": f"{peak_mb:,.0f} MB",
        "reconciled": reconciled,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--posts",
        type=int,
        default=int(os.environ.get("GAZETTE_BENCH_IMPORT_POSTS", "100000")),
        help="Posts in the synthetic export (default $GAZETTE_BENCH_IMPORT_POSTS or 100,000).",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgres", action="store_true", help="Import into $DATABASE_URL (PostgreSQL).")
    where.add_argument(
        "--both", action="store_true", help="Import into a new SQLite file, then into $DATABASE_URL (PostgreSQL)."
    )
    parser.add_argument("--export", type=Path, help="Keep the export in this file, and reuse it when it is there.")
    args = parser.parse_args()
    if (args.postgres or args.both) and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("--postgres and --both need DATABASE_URL (scripts/services.sh start prints it)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="gazette-import-bench-") as tmp:
        work = Path(tmp)
        export = args.export or work / "export.xml"
        started = time.perf_counter()
        if export.exists():
            counts = export_counts(export)
            verb = "read"
        else:
            counts = write(export, args.posts)
            verb = "written"
        print(
            f"Export: {', '.join(f'{n:,} {what}' for what, n in counts.items())}; "
            f"{export.stat().st_size / 1e6:,.0f} MB, {verb} in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        parse_seconds = parse_only(export)
        print(f"Baseline, reading the export alone: {parse_seconds:.1f} s", flush=True)
        databases = []
        if not args.postgres:
            databases.append(("SQLite", f"sqlite:///{work / 'bench.sqlite3'}"))
        if args.postgres or args.both:
            databases.append(("PostgreSQL", os.environ["DATABASE_URL"]))
        figures = {}
        for database, url in databases:
            found = import_into(database, url, export, work, counts, parse_seconds)
            if found is None:
                return 1
            figures[database] = found
        if len(figures) > 1:
            names = list(figures)
            print(f"\n{'':<14}" + "".join(f"{name:>24}" for name in names))
            for row in figures[names[0]]:
                print(f"{row:<14}" + "".join(f"{figures[name][row]:>24}" for name in names))
        print(f"Benchmark process peak: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
