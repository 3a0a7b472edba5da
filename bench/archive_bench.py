"""Serving a large archive: what each page type costs at 1,000 and at 100,000 articles, in one run.

    .venv/bin/python bench/archive_bench.py [--articles 100000] [--baseline 1000] [--repeat 5]
        [--turns 3] [--crawl 8000] [--crawls 3] [--duration 10] [--no-crawl]

Prepares a private site as ``make bench`` does (migrate, demo content, the bench article of
``bench/seed.py``), grows the news section to the baseline size with articles written in bulk
(``bench/search_bench.py``'s generator: treebeard paths, bulk-inserted rows, bylines and
cities), keeps a copy of that database, and grows the archive to the full size. Then, through
the whole Django stack with the cold settings (no page cache, no fragments: everything from the
database), it times the front page, the news section, a city front, a contributor page, the
feeds, the sitemap index and its first page of articles, an archive article and the bench
article on both databases, and prints each page's median, queries and the ratio of the two
sizes. The measured contributor has a full page and feed at the baseline too
(:func:`give_full_pages`). Each measure is a new process, as a web worker is (on 4 December
2026 the process that had just written the 100,000 articles measured most pages 20-80 % slower
than a new process on the same database); the pages take turns within a process, and the two
sizes take turns, ``--turns`` times, since this shared machine's speed drifts by half within
minutes (the same day, one size measured a few minutes after the other put every page's ratio
at 1.3x-2.1x, and the next run, the same code, at 0.74x-1.05x).

At the full size it also crawls distinct archive articles with wrk (a Lua script going through
their addresses, each thread its own share) against a cold server (``bench/settings_cold.py``)
and against production settings whose caches are empty at the start, in ``--crawls`` rounds of
bare Django (``bench/bare_wsgi.py``, the yardstick), cold and production, each crawl over
``--crawl`` articles no other crawl asks for, and prints each crawl's ratio to its round's
yardstick, and their median.
Figures, never pass/fail: not part of ``make test``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stack import PY, Processes, Site, cpu_model, run_wrk

# Each of wrk's threads takes its own turn through the addresses (thread 0 the 1st, 3rd...,
# thread 1 the 2nd, 4th...), so no two threads ask for the same article, as no crawler does.
CRAWL_LUA = """
local paths = {{
{paths}
}}
local threads = {threads}
local created = 0
local turn = 0
function setup(thread)
  thread:set("id", created)
  created = created + 1
end
request = function()
  local index = (turn * threads + id) % #paths + 1
  turn = turn + 1
  return wrk.format("GET", paths[index])
end
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="Size of the large archive.")
    parser.add_argument("--baseline", type=int, default=1_000, help="Size of the baseline archive.")
    parser.add_argument(
        "--repeat", type=int, default=5, help="Timed requests per page in each turn (after one warm-up)."
    )
    parser.add_argument("--turns", type=int, default=3, help="Turns of measuring both sizes, each in new processes.")
    parser.add_argument(
        "--crawl",
        type=int,
        default=8_000,
        help="Distinct archive articles each crawl goes through (enough that a 10 s crawl asks for none twice).",
    )
    parser.add_argument(
        "--crawls",
        type=int,
        default=3,
        help="Rounds of crawls (bare Django, cold, production); the median ratio is the figure.",
    )
    parser.add_argument("--duration", type=int, default=10, help="Seconds of wrk per crawl figure.")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="Web server worker processes.")
    parser.add_argument("--no-crawl", action="store_true", help="Only the in-process figures.")
    parser.add_argument("--seed", type=int, default=1928, help="Random seed for the generated text.")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: the pages (JSON) a fresh process measures
    return parser.parse_args()


def setup_django(site: Site) -> None:
    """This process uses the cold server's settings on the site's database."""
    for key in [k for k in os.environ if k.startswith(("DJANGO_", "GAZETTE_", "REDIS_", "DATABASE_"))]:
        del os.environ[key]
    os.environ.update(site.env("bench.settings_cold"))
    import django

    django.setup()


def grow(total: int, text, rng, built) -> None:
    """Add bulk-written articles to the news section until it holds ``total`` articles."""
    from django.db import connection
    from wagtail.models import Page

    from bench.search_bench import insert_articles
    from gazette.articles.models import ArticlePage

    news = built[0]
    news.refresh_from_db()
    missing = total - ArticlePage.objects.count()
    if missing <= 0:
        return
    last = news.get_last_child()
    start = Page._str2int(last.path[-Page.steplen :]) if last else 0
    insert_articles(start, missing, text, rng, (news, *built[1:]))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # Rows written around the app's signals: the sitemap's pages are counted afresh, as
    # ``manage.py rebuild_sitemap_pages`` does after such writes (not part of any figure).
    from gazette.seo.article_pages import rebuild
    from gazette.seo.sitemaps import page_size

    rebuild(page_size())


def give_full_pages(writer, wanted: int) -> None:
    """Put ``writer`` in the byline of archive stories until they have ``wanted``, so their page
    and feed list as many stories at the baseline as at the full size: the bench's random
    bylines give each of 300 writers about 5 stories in 1,000, and a feed of 5 entries against
    one of 30 would measure the entries, not the archive."""
    from gazette.articles.models import ArticleByline, ArticlePage

    missing = wanted - ArticleByline.objects.filter(contributor=writer).count()
    if missing <= 0:
        return
    stories = (
        ArticlePage.objects.filter(slug__startswith="story-")
        .exclude(bylines__contributor=writer)
        .order_by("pk")
        .values_list("pk", flat=True)[:missing]
    )
    ArticleByline.objects.bulk_create([ArticleByline(page_id=pk, contributor=writer, sort_order=9) for pk in stories])


def pages_to_measure(seeded, built) -> dict[str, str]:
    from gazette.articles.feeds import FEED_LENGTH
    from gazette.articles.models import ArticlePage
    from gazette.seo.sitemaps import PagePaths

    _news, cities, contributors, _ct = built
    city, writer = cities[0].slug, contributors[7].slug
    give_full_pages(contributors[7], FEED_LENGTH + 10)
    archive = ArticlePage.objects.filter(slug__startswith="story-").order_by("pk").values_list("url_path", flat=True)
    archive_path = PagePaths().path(archive[archive.count() // 2])
    return {
        "front page": "/",
        "news section": "/news/",
        "city front": f"/city/{city}/",
        "contributor page": f"/contributors/{writer}/",
        "site feed (RSS)": "/feed/rss/",
        "city feed (RSS)": f"/city/{city}/feed/rss/",
        "contributor feed (Atom)": f"/contributors/{writer}/feed/atom/",
        "sitemap index": "/sitemap.xml",
        "sitemap of articles, page 1": "/sitemap-articles-1.xml",
        "archive article": archive_path,
        "bench article (1,500 words, 50 comments)": seeded.article_path,
    }


def measure(pages: dict[str, str], repeat: int) -> dict[str, tuple[list[float], int, int]]:
    """Per page: the milliseconds of each request, the queries of one request, and the status
    code. The pages take turns (one request each per turn), so a page's requests are spread over
    the whole measure and a minute of a slower machine weighs on every page alike."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="localhost")
    for path in pages.values():
        client.get(path)  # per-process memos (site roots, locales) are filled once in production too
    times: dict[str, list[float]] = {name: [] for name in pages}
    queries: dict[str, tuple[int, int]] = {}
    for _ in range(repeat):
        for name, path in pages.items():
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                times[name].append((time.perf_counter() - started) * 1000)
            queries[name] = (len(captured), response.status_code)
    return {name: (times[name], *queries[name]) for name in pages}


def measure_fresh(site: Site, database: Path, pages: dict[str, str], repeat: int) -> dict[str, tuple[list, int, int]]:
    """:func:`measure` in a new process with the cold settings on ``database``, as a web worker
    would serve."""
    env = site.env("bench.settings_cold")
    env["GAZETTE_SQLITE_PATH"] = str(database)
    result = subprocess.run(
        [str(PY), __file__, "--measure", json.dumps(pages), "--repeat", str(repeat)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"measuring failed:\n{result.stdout}\n{result.stderr}")
    return {name: tuple(figures) for name, figures in json.loads(result.stdout.strip().splitlines()[-1]).items()}


def measure_both(site: Site, databases: dict[int, Path], pages: dict[str, str], args) -> dict[int, dict]:
    """Both sizes measured in turns, each turn in new processes, the smaller first in odd turns
    and second in even ones, so that a slower minute of this shared machine weighs on both sizes
    alike. Per size and page: the median of every request of every turn, queries, status."""
    times = {size: {name: [] for name in pages} for size in databases}
    last = {}
    order = list(databases)
    for turn in range(args.turns):
        for size in order if turn % 2 == 0 else order[::-1]:
            for name, (ms, queries, status) in measure_fresh(site, databases[size], pages, args.repeat).items():
                times[size][name].extend(ms)
                last[size, name] = (queries, status)
    return {
        size: {name: (statistics.median(times[size][name]), *last[size, name]) for name in pages} for size in databases
    }


def copy_database(source: Path, target: Path) -> None:
    """A page-for-page copy of the SQLite database (its layout as written, not compacted)."""
    import sqlite3
    from contextlib import closing

    # sqlite3's own context manager commits but leaves the connection open.
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def crawl(site: Site, work: Path, shares: list[list[str]], article_path: str, args) -> dict[str, list]:
    """Requests per second of bare Django, the cold server and production (caches empty at the
    start), in rounds: each round measures the three one after the other, so each crawl has a
    yardstick measured beside it (this shared machine's speed drifts by half within minutes).
    Each crawl of a Gazette server has a share of addresses of its own."""
    from django.conf import settings
    from django.core.cache import caches
    from django.test import Client

    # Bare Django answers with the bench article's bytes, as in ``make bench``.
    (site.var / "article.html").write_bytes(Client(SERVER_NAME="localhost").get(article_path).content)
    scripts = []
    for number, paths in enumerate(shares):
        script = work / f"crawl-{number}.lua"
        script.write_text(CRAWL_LUA.format(paths=",\n".join(f'"{p}"' for p in paths), threads=args.threads))
        scripts.append(script)
    for alias in settings.CACHES:  # the production server starts with every cache empty
        caches[alias].clear()
    out: dict[str, list] = {"bare": [], "cold": [], "production": []}
    with Processes() as procs:
        bare = site.start_server(procs, "bare-django", app="bench.bare_wsgi:application", workers=args.workers)
        cold = site.start_server(procs, "gazette-cold", settings="bench.settings_cold", workers=args.workers)
        production = site.start_server(procs, "gazette", workers=args.workers)
        for number in range(args.crawls):
            out["bare"].append(run_wrk(bare + "/", args.duration, args.connections, args.threads))
            for key, base, script in (
                ("cold", cold, scripts[2 * number]),
                ("production", production, scripts[2 * number + 1]),
            ):
                out[key].append(run_wrk(base + "/", args.duration, args.connections, args.threads, script))
    return out


def report_crawl(figures: dict, distinct: int, size: int, duration: int) -> None:
    bare = figures["bare"]
    print(
        f"\nCrawls of {distinct:,} distinct archive articles each at {size:,} articles (wrk, {duration} s per crawl;"
        " no article is asked for twice in a crawl or by two crawls), in rounds of bare Django, cold, production:"
    )
    print(f"  bare Django (yardstick): {', '.join(f'{r.rps:,.0f}' for r in bare)} req/s")
    for key, label in (
        ("cold", "no page cache, no fragments (bench/settings_cold.py)"),
        ("production", "production settings, page cache and fragments empty at the start of the first crawl"),
    ):
        results = figures[key]
        print(f"  {label}:")
        ratios = []
        for number, (result, yardstick) in enumerate(zip(results, bare, strict=True), 1):
            ratios.append(result.rps / yardstick.rps)
            note = ""
            if result.requests > distinct:
                note = f" ({result.requests:,} requests: {result.requests - distinct:,} were second visits)"
            if result.bad:
                note += f" ({result.bad} answers not 2xx/3xx)"
            print(
                f"    round {number}: {result.rps:,.1f} req/s, p50 {result.p50_ms:.0f} ms,"
                f" {ratios[-1]:.4f}x that round's bare Django{note}"
            )
        print(f"    median: {statistics.median(ratios):.4f}x bare Django (target 0.03x)")


def main() -> int:
    args = parse_args()
    if args.measure:
        import django

        django.setup()
        print(json.dumps(measure(json.loads(args.measure), args.repeat)))
        return 0
    if not args.no_crawl and not shutil.which("wrk"):
        print("wrk is not installed (scripts/install-test-deps.sh installs it; --no-crawl measures without it)")
        return 1
    print("Machine:", os.cpu_count(), "CPUs;", cpu_model())
    work = Path(tempfile.mkdtemp(prefix="gazette-archive-bench-"))
    try:
        site = Site(work / "site")
        started = time.perf_counter()
        seeded = site.prepare()
        print(f"Prepared a private site (demo content and the bench article) in {time.perf_counter() - started:.0f} s")
        setup_django(site)
        from bench.search_bench import Text, build_site

        rng = random.Random(args.seed)
        text = Text(rng)
        built = build_site()
        databases = {args.baseline: site.var / f"db-{args.baseline}.sqlite3", args.articles: site.var / "db.sqlite3"}
        started = time.perf_counter()
        grow(args.baseline, text, rng, built)
        pages = pages_to_measure(seeded, built)
        copy_database(site.var / "db.sqlite3", databases[args.baseline])
        print(f"{args.baseline:,} articles (grown and copied in {time.perf_counter() - started:.0f} s)", flush=True)
        started = time.perf_counter()
        grow(args.articles, text, rng, built)
        print(f"{args.articles:,} articles (grown in {time.perf_counter() - started:.0f} s)", flush=True)
        results = measure_both(site, databases, pages, args)
        small, large = results[args.baseline], results[args.articles]
        print(
            f"\nIn-process, cold (no page cache, no fragments), median of {args.turns} x {args.repeat} requests"
            f" in {args.turns} turns of new processes: {args.articles:,} vs {args.baseline:,} articles"
        )
        print(f"  {'page':<42} {'ms':>16} {'ratio':>6} {'queries':>9}  status")
        for name, path in pages.items():
            (ms_s, q_s, st_s), (ms_l, q_l, st_l) = small[name], large[name]
            status = str(st_l) if st_s == st_l else f"{st_s} -> {st_l}"
            print(
                f"  {name:<42} {ms_s:>7.1f} -> {ms_l:>6.1f} {ms_l / ms_s:>5.2f}x {q_s:>4} -> {q_l:<4} {status}  {path}"
            )
        if not args.no_crawl:
            from gazette.articles.models import ArticlePage
            from gazette.seo.sitemaps import PagePaths

            wanted = args.crawl * args.crawls * 2  # a share for each crawl of each Gazette server
            step = max(1, args.articles // wanted)
            rows = ArticlePage.objects.filter(slug__startswith="story-").order_by("pk").values_list("url_path")
            public = PagePaths()
            paths = [public.path(row[0]) for row in list(rows)[::step][:wanted]]
            # Interleaved, so that each crawl goes through the whole archive, old and new.
            shares = [paths[number :: 2 * args.crawls] for number in range(2 * args.crawls)]
            figures = crawl(site, work, shares, seeded.article_path, args)
            report_crawl(figures, len(shares[0]), args.articles, args.duration)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
