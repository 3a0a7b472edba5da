"""A cold archive article in-process: time, queries and (optionally) a profile of distinct articles.

    .venv/bin/python bench/cold_article.py [--articles 20000] [--renders 200] [--rounds 3]
        [--site DIR] [--profile N] [--save DIR]

Prepares a private site as ``bench/archive_bench.py`` does (migrate, demo content, the bench
article, then the archive grown to ``--articles`` with the same bulk generator), or reuses the
one in ``--site DIR`` (made there and kept when the directory is new). Then, with the cold
settings (``bench/settings_cold.py``: no page cache, no fragments), requests ``--renders``
distinct archive articles through Django's test client, round after round, and prints per
round the requests per second of this one process, its CPU milliseconds per request (steadier
than the clock on a shared machine), the median milliseconds and the queries of one article;
and the same for the bench article (1,500 words, 3 pictures, 50 comments).
The ratio to bare Django needs servers and wrk: ``bench/archive_bench.py`` measures it.

``--profile N`` prints cProfile's N most expensive functions (cumulative and own time) over one
extra round; ``--save DIR`` writes each page's HTML there (to compare two checkouts' pages).
Figures, never pass/fail.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stack import Site


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000, help="Archive size.")
    parser.add_argument("--renders", type=int, default=200, help="Distinct archive articles per round.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--site", type=Path, help="Reuse (or make and keep) the private site in this directory.")
    parser.add_argument("--profile", type=int, default=0, help="Print the N costliest functions of one round.")
    parser.add_argument("--save", type=Path, help="Write every page's HTML into this directory.")
    parser.add_argument("--seed", type=int, default=1928)
    return parser.parse_args()


def prepare(args) -> tuple[Site, str]:
    """The site, prepared once; returns it and the bench article's path."""
    import json
    import tempfile

    workdir = args.site or Path(tempfile.mkdtemp(prefix="gazette-cold-article-"))
    marker = workdir / "prepared.json"
    site = Site(workdir)
    if marker.exists():
        site.secret = json.loads(marker.read_text())["secret"]
        return site, json.loads(marker.read_text())["article_path"]
    seeded = site.prepare()
    from bench.archive_bench import grow, setup_django
    from bench.search_bench import Text, build_site

    setup_django(site)
    rng = random.Random(args.seed)
    grow(args.articles, Text(rng), rng, build_site())
    marker.write_text(json.dumps({"secret": site.secret, "article_path": seeded.article_path}))
    return site, seeded.article_path


def archive_paths(count: int) -> list[str]:
    from gazette.articles.models import ArticlePage
    from gazette.seo.sitemaps import PagePaths

    rows = list(ArticlePage.objects.filter(slug__startswith="story-").order_by("pk").values_list("url_path", flat=True))
    step = max(1, len(rows) // count)
    public = PagePaths()
    return [public.path(row) for row in rows[::step][:count]]


def timed(client, paths: list[str], save: Path | None = None) -> tuple[float, float, list[float], int]:
    """Requests per second over ``paths``, this process's CPU milliseconds per request (the
    steadier figure on a shared machine), each request's milliseconds, the queries of the last."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for i, path in enumerate(paths):
        with CaptureQueriesContext(connection) as captured:
            begun = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - begun) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        if save:
            (save / f"{i:04d}.html").write_bytes(response.content)
    cpu_ms = (time.process_time() - cpu_started) * 1000 / len(paths)
    return len(paths) / (time.perf_counter() - started), cpu_ms, times, len(captured)


def main() -> int:
    args = parse_args()
    site, article_path = prepare(args)
    from bench.archive_bench import setup_django

    setup_django(site)
    from django.test import Client

    client = Client(SERVER_NAME="localhost")
    paths = archive_paths(args.renders)
    client.get(paths[0])  # per-process memos (site roots, locales), filled once in production too
    print(f"{len(paths)} distinct archive articles; load average {os.getloadavg()[0]:.1f}")
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        timed(client, paths, args.save)
        (args.save / "bench-article.html").write_bytes(client.get(article_path).content)
    for n in range(args.rounds):
        rps, cpu, times, queries = timed(client, paths)
        bench_rps, bench_cpu, bench_times, bench_queries = timed(client, [article_path] * 20)
        print(
            f"round {n + 1}: archive article {rps:5.1f} req/s, CPU {cpu:5.1f} ms,"
            f" median {statistics.median(times):5.1f} ms, {queries} queries;"
            f" bench article {bench_rps:5.1f} req/s, CPU {bench_cpu:5.1f} ms,"
            f" median {statistics.median(bench_times):5.1f} ms, {bench_queries} queries"
        )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        timed(client, paths)
        profiler.disable()
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.profile)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
