"""Search on a large archive: query times at 1,000 and at 100,000 articles, in one run per database.

    .venv/bin/python bench/search_bench.py [--articles 100000] [--baseline 1000] [--repeat 5]
        [--database sqlite|postgresql|both] [--keep] [--reuse KEPT]

Builds a throw-away database (SQLite in a temporary directory; on PostgreSQL a database of its
own on the server ``DATABASE_URL`` points at, e.g. the one ``scripts/services.sh start``
starts, dropped afterwards), generates the baseline's articles, indexes them and times a fixed
set of queries; then grows the same archive to the full size and times the same queries again.
Prints the 50th and 95th percentile of each, and their ratio. A query's time is what the
``/search/`` view spends in the database: the count and the first page of ten results.
``both`` (the default) runs SQLite, then PostgreSQL; without ``DATABASE_URL`` it starts the
test servers with ``scripts/services.sh start`` and stops them afterwards.

Articles are written in bulk, not through treebeard's ``add_child`` (which costs several
queries per page): tree paths are computed with treebeard's own ``_get_path``, the page and
article rows are bulk-inserted, and the search index is built with ``gazette.search.index``
over chunks of articles (what ``manage.py rebuild_search_index`` does).
``--keep`` keeps the built database and prints where it is; ``--reuse`` that place (the
SQLite directory, or the PostgreSQL database URL) measures the kept archive again without
building it: migrations are applied to it, and only the full size is timed. Each report gives
the load average when it was measured, as the machine may be shared.
Figures, never pass/fail: not part of ``make test``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 2000
SYLLABLES = "ka ri no sta vel mir gor ol an tu be sku da lin pe zor ya chi mo ret bar nau om sib ir".split()
COMMON = (
    "the of and to in a river city winter bridge council school train station museum ferry road ice "
    "festival mayor theatre hospital factory airport budget election archive history market snow"
).split()
CITY_NAMES = (
    "Novosibirsk Barnaul Rubtsovsk Omsk Krasnoyarsk Tomsk Kemerovo Biysk Narym Surgut "
    "Tobolsk Tyumen Irkutsk Abakan Berdsk Kolpashevo Iskitim Ob Kupino Karasuk"
).split()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="Size of the large archive.")
    parser.add_argument("--baseline", type=int, default=1_000, help="Size of the baseline archive.")
    parser.add_argument("--repeat", type=int, default=5, help="Timed runs of each query (after one warm-up).")
    parser.add_argument("--seed", type=int, default=1928, help="Random seed for the generated text.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary database and print its path.")
    parser.add_argument(
        "--reuse",
        metavar="KEPT",
        help="Time the archive a --keep run kept (its SQLite directory or PostgreSQL URL) instead of building one.",
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql", "both"),
        default="both",
        help="Database to measure; postgresql alone needs DATABASE_URL (scripts/services.sh start).",
    )
    return parser.parse_args()


def bench_database_url(server_url: str) -> str:
    """A throw-away database on the server of ``server_url``, created empty."""
    import psycopg

    name = f"gazette_search_bench_{os.getpid()}"
    with psycopg.connect(urlunsplit(urlsplit(server_url)._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


def drop_database(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def setup_django(workdir: Path, database_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "gazette.settings.test"
    os.environ["GAZETTE_SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    os.environ["GAZETTE_TEST_TMP"] = str(workdir)
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


class Text:
    """Words with a Zipf-like frequency: a few very common, a long tail of rare ones."""

    def __init__(self, rng: random.Random, size: int = 6000):
        self.rng = rng
        made = set()
        while len(made) < size:
            made.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
        self.words = COMMON + sorted(made)
        self.cum_weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(self.words))))

    def words_(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum_weights, k=n)

    def sentence(self, n: int) -> str:
        words = self.words_(n)
        return " ".join(words).capitalize() + "."


def build_site():
    from django.contrib.contenttypes.models import ContentType

    from gazette.articles.models import ArticlePage, Contributor
    from gazette.cities.models import City
    from tests.factories import site_tree

    _home, news, _privacy = site_tree()
    cities = [
        City.objects.get_or_create(slug=name.lower(), defaults={"name": name, "sort_order": i})[0]
        for i, name in enumerate(CITY_NAMES)
    ]
    first = "Anna Igor Olga Pavel Elena Maria Sergei Dmitri Irina Yuri".split()
    last = "Petrova Vasiliev Orlova Kirillov Belova Sokolov Zamyatina Ivanov Kuznetsova Morozov".split()
    contributors = [
        Contributor.objects.get_or_create(slug=f"c-{i}", defaults={"name": f"{first[i % 10]} {last[i // 10 % 10]}{i}"})[
            0
        ]
        for i in range(300)
    ]
    ct = ContentType.objects.get_for_model(ArticlePage)
    return news, cities, contributors, ct


def insert_articles(start: int, count: int, text: Text, rng: random.Random, site) -> None:
    """Bulk-insert ``count`` live articles numbered from ``start``, with bylines and cities."""
    from django.db import connection, transaction
    from wagtail.models import Locale, Page

    from gazette.articles.models import ArticleByline, ArticlePage

    news, cities, contributors, ct = site
    locale = Locale.get_default()
    through = ArticlePage.cities.through
    language = ArticlePage._meta.get_field("language").get_default()
    epoch = datetime(2005, 1, 1, tzinfo=UTC)
    for chunk_start in range(start, start + count, CHUNK):
        numbers = range(chunk_start, min(chunk_start + CHUNK, start + count))
        with transaction.atomic():
            pages, extra = [], []
            for n in numbers:
                when = epoch + timedelta(minutes=n * 7919 % (20 * 365 * 24 * 60))
                title = text.sentence(rng.randint(5, 9))[:-1]
                pages.append(
                    Page(
                        title=title,
                        draft_title=title,
                        slug=f"story-{n}",
                        content_type_id=ct.pk,
                        path=Page._get_path(news.path, news.depth + 1, n + 1),
                        depth=news.depth + 1,
                        numchild=0,
                        url_path=f"{news.url_path}story-{n}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=when,
                        last_published_at=when,
                        locale_id=locale.pk,
                        translation_key=uuid.uuid4(),
                    )
                )
                body = [
                    {
                        "type": "paragraph",
                        "value": f"<p>{text.sentence(rng.randint(30, 60))}</p>",
                        "id": str(uuid.uuid4()),
                    }
                    for _ in range(2)
                ]
                extra.append((text.sentence(rng.randint(12, 22)), json.dumps(body)))
            Page.objects.bulk_create(pages)
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO articles_articlepage"
                    " (page_ptr_id, standfirst, lead_caption, lead_credit, body, language)"
                    " VALUES (%s, %s, '', '', %s, %s)",
                    [
                        (page.pk, standfirst, body, language)
                        for page, (standfirst, body) in zip(pages, extra, strict=True)
                    ],
                )
            bylines, links = [], []
            for page in pages:
                for order, person in enumerate(rng.sample(contributors, rng.choice((1, 1, 1, 2, 3)))):
                    bylines.append(ArticleByline(page_id=page.pk, contributor_id=person.pk, sort_order=order))
                for city in rng.sample(cities, rng.choice((0, 1, 1, 2))):
                    links.append(through(articlepage_id=page.pk, city_id=city.pk))
            ArticleByline.objects.bulk_create(bylines)
            through.objects.bulk_create(links)
    Page.objects.filter(pk=news.pk).update(numchild=start + count)


def index_articles(since_pk: int) -> None:
    """Index articles with pk > ``since_pk`` in the site search index, a chunk at a time."""
    from gazette.articles.models import ArticlePage
    from gazette.search import index

    pks = list(ArticlePage.objects.filter(pk__gt=since_pk).order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(pks), CHUNK):
        index.update(pks[i : i + CHUNK])


def queries(text: Text, site) -> list[tuple[str, dict]]:
    """A fixed mix: common, middling and rare words, names, cities, filters, date order."""
    from datetime import date

    _news, cities, contributors, _ct = site
    words = text.words
    surname = contributors[7].name.split()[1]
    return [
        ("common word", {"query": "river"}),
        ("two common words", {"query": "winter bridge"}),
        ("middling word", {"query": words[300]}),
        ("rare word", {"query": words[4000]}),
        ("two words, one rare", {"query": f"river {words[2500]}"}),
        ("phrase", {"query": '"city council"'}),
        ("contributor's name", {"query": surname}),
        ("city name", {"query": "Barnaul"}),
        ("word + city filter", {"query": "station", "city": cities[0]}),
        ("word + contributor filter", {"query": "school", "contributor": contributors[11]}),
        ("word + date range", {"query": "museum", "date_from": date(2010, 1, 1), "date_to": date(2012, 12, 31)}),
        ("common word, newest first", {"query": "ferry", "order": "newest"}),
        ("filters only", {"query": "", "city": cities[3], "date_from": date(2015, 1, 1)}),
    ]


def time_queries(mix, repeat: int) -> tuple[list[float], dict[str, tuple[float, float]], dict[str, int]]:
    from django.core.paginator import Paginator

    from gazette.search.services import search_articles

    samples, per_query, hits = [], {}, {}
    for label, params in mix:
        runs = []
        for attempt in range(repeat + 1):
            started = time.perf_counter()
            page = Paginator(search_articles(**params), 10).get_page(1)
            list(page.object_list)
            count = page.paginator.count
            elapsed = (time.perf_counter() - started) * 1000
            if attempt:  # the first run warms SQLite's page cache
                runs.append(elapsed)
        samples.extend(runs)
        per_query[label] = (statistics.median(runs), percentile(runs, 95) if len(runs) > 1 else runs[0])
        hits[label] = count
    return samples, per_query, hits


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def load_average() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    args = parse_args()
    if args.reuse:
        args.database = "postgresql" if args.reuse.startswith(("postgres://", "postgresql://")) else "sqlite"
    elif args.database == "both":
        # Django is set up once per process: each database gets a process of its own. Without
        # DATABASE_URL, PostgreSQL is the server scripts/services.sh starts (and stops after).
        env, services = dict(os.environ), ROOT / "scripts" / "services.sh"
        started = "DATABASE_URL" not in env
        if started:
            out = subprocess.run([str(services), "start"], check=True, capture_output=True, text=True).stdout
            env.update(line.split("=", 1) for line in out.splitlines() if "=" in line)
        try:
            argv = [f"--articles={args.articles}", f"--baseline={args.baseline}", f"--repeat={args.repeat}"]
            argv += [f"--seed={args.seed}"] + (["--keep"] if args.keep else [])
            for database in ("sqlite", "postgresql"):
                subprocess.run([sys.executable, __file__, *argv, f"--database={database}"], check=True, env=env)
        finally:
            if started:
                subprocess.run([str(services), "stop"], check=False, capture_output=True)
        return
    if args.reuse:
        workdir = Path(tempfile.mkdtemp()) if args.database == "postgresql" else Path(args.reuse)
        database_url = args.reuse if args.database == "postgresql" else None
    else:
        workdir = Path(tempfile.mkdtemp(prefix="gazette-search-bench-"))
        database_url = None
    if args.database == "postgresql" and not args.reuse:
        if not os.environ.get("DATABASE_URL"):
            raise SystemExit("--database postgresql needs DATABASE_URL (eval $(scripts/services.sh start))")
        database_url = bench_database_url(os.environ["DATABASE_URL"])
    try:
        setup_django(workdir, database_url)
        from django.core.management import call_command
        from django.db import connection

        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                # A throw-away file: no need to wait for the disk on every commit.
                cursor.execute("PRAGMA synchronous=OFF")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter() - started
        where = workdir / "bench.sqlite3" if connection.vendor == "sqlite" else connection.settings_dict["NAME"]
        print(f"Database: {connection.vendor} ({where}); migrated in {migrated:.0f} s", flush=True)
        rng = random.Random(args.seed)
        text = Text(rng)
        site = build_site()
        mix = queries(text, site)

        from gazette.articles.models import ArticlePage

        results = {}
        done, last_pk = 0, 0
        sizes = (args.baseline, args.articles)
        if args.reuse:
            sizes = (ArticlePage.objects.count(),)
        for size in sizes:
            started = time.perf_counter()
            if not args.reuse:
                insert_articles(done, size - done, text, rng, site)
            inserted = time.perf_counter() - started
            if not args.reuse:
                index_articles(last_pk)
            indexed = time.perf_counter() - started - inserted
            last_pk = ArticlePage.objects.order_by("-pk").values_list("pk", flat=True).first()
            done = size
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE gazette_search_searchentry")
            samples, per_query, hits = time_queries(mix, args.repeat)
            results[size] = (percentile(samples, 50), percentile(samples, 95))
            print(f"\n{size:,} articles (inserted in {inserted:.0f} s, indexed in {indexed:.0f} s)")
            print(f"  {'query':<28} {'median ms':>10} {'p95 ms':>8} {'hits':>8}")
            for label, (median, p95) in per_query.items():
                print(f"  {label:<28} {median:>10.1f} {p95:>8.1f} {hits[label]:>8,}")
            print(f"  p50 {results[size][0]:.1f} ms, p95 {results[size][1]:.1f} ms over {len(samples)} timed queries")
            print(f"  {load_average()}")
            sys.stdout.flush()
        if args.reuse:
            return
        base, large = results[args.baseline], results[args.articles]
        print(
            f"\nSearch query time on {connection.vendor} (count + first page of 10),"
            f" {args.articles:,} vs {args.baseline:,} articles (goal at {args.articles:,}: p50 < 10 ms, p95 < 50 ms):"
        )
        print(f"  p50 {large[0]:.1f} ms vs {base[0]:.1f} ms  (x{large[0] / base[0]:.1f})")
        print(f"  p95 {large[1]:.1f} ms vs {base[1]:.1f} ms  (x{large[1] / base[1]:.1f})")
    finally:
        if args.reuse:
            if database_url:  # the directory only held this run's settings' temporary files
                shutil.rmtree(workdir, ignore_errors=True)
        elif args.keep:
            print(f"Kept {workdir}" + (f" and {database_url}" if database_url else ""))
        else:
            shutil.rmtree(workdir, ignore_errors=True)
            if database_url:
                drop_database(database_url)


if __name__ == "__main__":
    main()
