"""The article search index on each database's own full-text engine, and the queries it answers.

SQLite: an FTS5 table over :class:`~gazette.search.models.SearchEntry` (external content, rowid
= the entry's time-ordered ``key``) holding word stems (``text.py``), ranked with BM25 with the
headline weighted 10, standfirst and names 4, body 1. PostgreSQL: a ``tsvector`` column computed
by a trigger with the ``russian`` configuration (which stems Cyrillic words as Russian and ASCII
words as English), headline weight A, standfirst and names B, body C, under a GIN index, which
finds the matches; they are ranked with ``ts_rank`` over a second, small vector of the headline,
standfirst and names alone (``rank_vector``), kept in the entry's row, so ranking a thousand
matches reads no TOASTed document. One GIN index (with ``btree_gin``) covers the document,
the filter terms, the phrases' word pairs and the entry's period (the key's top bits, about a
year), so that all of them are intersected in one scan of it. Both: triggers keep the engine's
index in step with the entry table and move an entry's key when its article's publication time
changes, however it is changed.

Filters are part of the index query: a city, a contributor or a topic is a term of the entry's
``facets`` column (``c<id>``, ``p<id>``, ``t<id>``) that the engine intersects with the words, a date range
is a range of keys. The keys of the newest matches (at most the result limit) are read with
their rank, on PostgreSQL a window of periods at a time, newest first; the count and every
page are taken from them.
"""

# SQL here is built from this module's own table and column names; every value a reader or an
# editor supplies is passed as a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Prefetch
from wagtail.models import PageViewRestriction
from wagtail.search.query import And, Or, Phrase, PlainText, SearchQuery

from gazette.articles.models import ArticleByline, ArticlePage, ArticleTopic

from .models import KEY_SPAN, SearchEntry
from .text import body_text, phrase_stems, query_stems, stemmed

FTS_TABLE = "gazette_search_fts"
ENTRY_TABLE = SearchEntry._meta.db_table
PAGE_TABLE = "wagtailcore_page"
# BM25 weights of the FTS5 columns: headline, standfirst, names, body, facets.
SQLITE_RANK = "bm25(10.0, 4.0, 1.0, 4.0, 0.0)"
TS_CONFIG = "pg_catalog.russian"
# The headline (weight A), standfirst and names (B) of an entry's row (``row`` is ``NEW.`` in the
# trigger): what a match is ranked by. The body (C) only decides whether an entry matches.
RANK_VECTOR = (
    f"setweight(to_tsvector('{TS_CONFIG}', {{row}}headline), 'A')"
    f" || setweight(to_tsvector('{TS_CONFIG}', {{row}}standfirst), 'B')"
    f" || setweight(to_tsvector('{TS_CONFIG}', {{row}}names), 'B')"
)

# A period of the index (PostgreSQL): the key shifted right by PERIOD_SHIFT bits, that is its
# minute divided by 2**19: 524,288 minutes, about 364 days.
PERIOD_SHIFT = 50
PERIOD_KEYS = 1 << PERIOD_SHIFT
# A window of periods is read with one index scan per period; past this many the rest is read
# in one query without them.
MAX_WINDOW_PERIODS = 12

SQLITE_SCHEMA = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        headline, standfirst, body, names, facets,
        content='{ENTRY_TABLE}', content_rowid='key', tokenize='unicode61 remove_diacritics 0')""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('rank', '{SQLITE_RANK}')",
    f"""CREATE TRIGGER IF NOT EXISTS gazette_search_entry_ai AFTER INSERT ON {ENTRY_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, headline, standfirst, body, names, facets)
        VALUES (new.key, new.headline, new.standfirst, new.body, new.names, new.facets);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS gazette_search_entry_ad AFTER DELETE ON {ENTRY_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, headline, standfirst, body, names, facets)
        VALUES ('delete', old.key, old.headline, old.standfirst, old.body, old.names, old.facets);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS gazette_search_entry_au AFTER UPDATE ON {ENTRY_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, headline, standfirst, body, names, facets)
        VALUES ('delete', old.key, old.headline, old.standfirst, old.body, old.names, old.facets);
        INSERT INTO {FTS_TABLE}(rowid, headline, standfirst, body, names, facets)
        VALUES (new.key, new.headline, new.standfirst, new.body, new.names, new.facets);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS gazette_search_page_published_at
    AFTER UPDATE OF first_published_at ON {PAGE_TABLE}
    WHEN new.first_published_at IS NOT NULL AND new.first_published_at IS NOT old.first_published_at BEGIN
        UPDATE {ENTRY_TABLE}
        SET key = (
            (CAST(strftime('%s', new.first_published_at) AS INTEGER)
             - (CAST(strftime('%s', new.first_published_at) AS INTEGER) % 60 + 60) % 60) / 60
        ) * {KEY_SPAN} + new.id
        WHERE page_id = new.id;
    END""",
]

POSTGRES_SCHEMA = [
    f"ALTER TABLE {ENTRY_TABLE} ADD COLUMN IF NOT EXISTS document tsvector",
    f"ALTER TABLE {ENTRY_TABLE} ADD COLUMN IF NOT EXISTS facet_vector tsvector",
    f"ALTER TABLE {ENTRY_TABLE} ADD COLUMN IF NOT EXISTS phrase_pairs text[]",
    f"ALTER TABLE {ENTRY_TABLE} ADD COLUMN IF NOT EXISTS rank_vector tsvector",
    # Read for every match a search ranks: kept in the row (compressed if need be), not in TOAST,
    # whose index and chunks would cost a few page reads per match.
    f"ALTER TABLE {ENTRY_TABLE} ALTER COLUMN rank_vector SET STORAGE MAIN",
    # The document is read for every row a common word's search walks in key order: kept in the
    # row too (compressed when long), the body text and the phrase pairs going to TOAST first.
    # A row keeps the layout it was written with until it is written again.
    f"ALTER TABLE {ENTRY_TABLE} ALTER COLUMN document SET STORAGE MAIN",
    # Each lexeme of a tsvector with each lexeme at the next position holding one (the stop words
    # between them skipped), as 'first second'. A phrase of the text holds the pairs of the phrase.
    """CREATE OR REPLACE FUNCTION gazette_search_pairs(vector tsvector) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        WITH words AS (
            SELECT w.lexeme, unnest(w.positions) AS pos FROM unnest(vector) AS w
        ), following AS (
            SELECT pos, lead(pos) OVER (ORDER BY pos) AS next FROM (SELECT DISTINCT pos FROM words) AS p
        )
        SELECT coalesce(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme), '{}')
        FROM words AS a JOIN following AS f ON f.pos = a.pos JOIN words AS b ON b.pos = f.next
    $$""",
    f"""CREATE OR REPLACE FUNCTION gazette_search_entry_vectors() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.rank_vector := {RANK_VECTOR.format(row="NEW.")};
        NEW.document := NEW.rank_vector || setweight(to_tsvector('{TS_CONFIG}', NEW.body), 'C');
        NEW.facet_vector := to_tsvector('pg_catalog.simple', NEW.facets);
        NEW.phrase_pairs := gazette_search_pairs(NEW.document);
        RETURN NEW;
    END $$""",
    # Only a change of the text recomputes the vectors: moving an entry's key does not.
    f"""CREATE OR REPLACE TRIGGER gazette_search_entry_vectors
    BEFORE INSERT OR UPDATE OF headline, standfirst, body, names, facets ON {ENTRY_TABLE}
    FOR EACH ROW EXECUTE FUNCTION gazette_search_entry_vectors()""",
    # One GIN index over the words, the filter terms, the word pairs and the key's period, so that
    # a search intersects them all in one scan of the index, skipping through the long lists of
    # common words, instead of building a bitmap of each and joining them. The period is an
    # exact term (btree_gin) so that matches are read a period at a time, newest first.
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    f"""CREATE INDEX IF NOT EXISTS gazette_search_entry_words ON {ENTRY_TABLE}
    USING gin (document, facet_vector, phrase_pairs, (key >> {PERIOD_SHIFT}))""",
    "DROP INDEX IF EXISTS gazette_search_entry_document",
    "DROP INDEX IF EXISTS gazette_search_entry_facets",
    "DROP INDEX IF EXISTS gazette_search_entry_phrase_pairs",
    f"""CREATE OR REPLACE FUNCTION gazette_search_page_published_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {ENTRY_TABLE}
        SET key = floor(extract(epoch FROM NEW.first_published_at) / 60)::bigint * {KEY_SPAN} + NEW.id
        WHERE page_id = NEW.id;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE TRIGGER gazette_search_page_published_at AFTER UPDATE OF first_published_at ON {PAGE_TABLE}
    FOR EACH ROW WHEN (NEW.first_published_at IS NOT NULL
        AND NEW.first_published_at IS DISTINCT FROM OLD.first_published_at)
    EXECUTE FUNCTION gazette_search_page_published_at()""",
]


def install(conn=None) -> None:
    """Create the engine's index table, its triggers and indexes if missing (safe to repeat)."""
    conn = conn or connection
    statements = {"sqlite": SQLITE_SCHEMA, "postgresql": POSTGRES_SCHEMA}.get(conn.vendor)
    if statements is None:
        return
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(conn=None) -> None:
    """Drop what :func:`install` created (the entry table itself belongs to the migration)."""
    conn = conn or connection
    statements = {
        "sqlite": [
            "DROP TRIGGER IF EXISTS gazette_search_page_published_at",
            f"DROP TABLE IF EXISTS {FTS_TABLE}",
        ],
        "postgresql": [
            f"DROP TRIGGER IF EXISTS gazette_search_page_published_at ON {PAGE_TABLE}",
            "DROP FUNCTION IF EXISTS gazette_search_page_published_at()",
            f"DROP TRIGGER IF EXISTS gazette_search_entry_vectors ON {ENTRY_TABLE}",
            "DROP FUNCTION IF EXISTS gazette_search_entry_vectors()",
            "DROP FUNCTION IF EXISTS gazette_search_pairs(tsvector)",
        ],
    }.get(conn.vendor, [])
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def key_for(when: datetime, page_id: int = 0) -> int:
    """The index key of an article published at ``when`` (its minute, then its page id)."""
    seconds = calendar.timegm(when.astimezone(UTC).timetuple())
    return seconds // 60 * KEY_SPAN + page_id


def page_id_of(key: int) -> int:
    return key % KEY_SPAN


# Writing the index


def _indexed_articles():
    return ArticlePage.objects.prefetch_related(
        Prefetch("bylines", queryset=ArticleByline.objects.select_related("contributor")),
        "cities",
        Prefetch("tagged_topics", queryset=ArticleTopic.objects.select_related("tag")),
    )


def entry_for(article: ArticlePage) -> SearchEntry:
    """The index row of a live article, its text as this database's engine reads it."""
    people = [b.contributor for b in article.bylines.all() if b.contributor_id]
    cities = list(article.cities.all())
    topics = [t.tag for t in article.tagged_topics.all()]
    names = " ".join([p.name for p in people] + [c.name for c in cities] + [t.name for t in topics])
    prepare = stemmed if connection.vendor == "sqlite" else str
    when = article.first_published_at or article.last_published_at or datetime.now(UTC)
    return SearchEntry(
        page_id=article.pk,
        key=key_for(when, article.pk),
        headline=prepare(article.title),
        standfirst=prepare(article.standfirst),
        body=prepare(body_text(article)),
        names=prepare(names),
        facets=" ".join([f"c{c.pk}" for c in cities] + [f"p{p.pk}" for p in people] + [f"t{t.pk}" for t in topics]),
    )


def update(pks: Iterable[int]) -> int:
    """Bring the entries of these articles in step with what readers see; returns how many are indexed.

    A live article gets its entry written afresh, an article that is not live (or no longer
    exists) loses it. Whether a reader may see a live article behind a view restriction is
    checked at query time, so a restriction added or removed needs no re-indexing.
    """
    pks = list(pks)
    with transaction.atomic():
        SearchEntry.objects.filter(page_id__in=pks).delete()
        entries = [entry_for(article) for article in _indexed_articles().filter(pk__in=pks).live()]
        SearchEntry.objects.bulk_create(entries)
    return len(entries)


def remove(pks: Iterable[int]) -> None:
    SearchEntry.objects.filter(page_id__in=list(pks)).delete()


def rebuild(chunk: int = 1000, progress: Callable[[int, int], None] | None = None, dry_run: bool = False) -> int:
    """Index every live article again, ``chunk`` at a time; returns how many were indexed.

    Entries of articles that are no longer live are dropped. Interrupting it leaves a correct
    index of fewer articles; running it again completes it. ``progress(done, total)`` is called
    after each chunk. With ``dry_run`` nothing is written and the live articles are only counted.
    """
    pks = list(ArticlePage.objects.live().order_by("pk").values_list("pk", flat=True))
    if dry_run:
        return len(pks)
    SearchEntry.objects.exclude(page_id__in=ArticlePage.objects.live().values("pk")).delete()
    done = 0
    for start in range(0, len(pks), chunk):
        done += update(pks[start : start + chunk])
        if progress:
            progress(start + len(pks[start : start + chunk]), len(pks))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # The FTS5 index read afresh from the entry table, in case it ever drifted from it.
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return done


# Querying the index


RESTRICTION_TABLE = PageViewRestriction._meta.db_table


def _restricted_clause(column: str) -> tuple[str, list]:
    """SQL excluding articles behind a view restriction: a restricted page and its descendants
    (what Wagtail's ``not_public()`` selects), in the search query itself. When the site has
    no restriction, the first test is true and the second is never evaluated: both databases
    compute an uncorrelated subquery once, and stop at the first true term of an OR."""
    return (
        f" AND (NOT EXISTS (SELECT 1 FROM {RESTRICTION_TABLE}) OR {column} NOT IN ("
        f"SELECT private.id FROM {PAGE_TABLE} AS private"
        f" JOIN {PAGE_TABLE} AS restricted ON substr(private.path, 1, length(restricted.path)) = restricted.path"
        f" JOIN {RESTRICTION_TABLE} AS restriction ON restriction.page_id = restricted.id))",
        [],
    )


def _sqlite_words(query: SearchQuery) -> str | None:
    """The FTS5 query of a parsed reader's query, every word stemmed and quoted (``None``: no word).

    Stop words are left out as PostgreSQL leaves them out (``text.py``), so a query of stop words
    alone matches nothing on either database.
    """
    if isinstance(query, PlainText):
        words = query_stems(query.query_string)
        joiner = " OR " if query.operator == "or" else " AND "
        return joiner.join(f'"{w}"' for w in words) or None
    if isinstance(query, Phrase):
        words = phrase_stems(query.query_string)
        return f'"{" ".join(words)}"' if words else None
    if isinstance(query, And | Or):
        parts = [p for p in (_sqlite_words(q) for q in query.subqueries) if p]
        joiner = " AND " if isinstance(query, And) else " OR "
        return joiner.join(f"({p})" for p in parts) or None
    raise TypeError(f"Cannot search the index for {query!r}")


def _pg_words(query: SearchQuery) -> tuple[str, list]:
    """A PostgreSQL expression building the tsquery of a parsed reader's query, and its parameters."""
    if isinstance(query, PlainText) and query.operator == "and":
        return f"plainto_tsquery('{TS_CONFIG}', %s)", [query.query_string]
    if isinstance(query, Phrase):
        return f"phraseto_tsquery('{TS_CONFIG}', %s)", [query.query_string]
    if isinstance(query, And | Or):
        parts = [_pg_words(q) for q in query.subqueries]
        joiner = " && " if isinstance(query, And) else " || "
        return "(" + joiner.join(sql for sql, _ in parts) + ")", [p for _, params in parts for p in params]
    raise TypeError(f"Cannot search the index for {query!r}")


def _required_phrases(query: SearchQuery) -> list[str]:
    """The phrases every match of ``query`` must hold (those of an alternative are not)."""
    if isinstance(query, Phrase):
        return [query.query_string]
    if isinstance(query, And):
        return [phrase for q in query.subqueries for phrase in _required_phrases(q)]
    return []


def _period_start(period: int) -> int:
    """The first key of a period, within PostgreSQL's bigint."""
    return min(period << PERIOD_SHIFT, 2**63 - 1)


def window_width(wanted: int, found: int, periods_read: float, periods_left: int) -> int | None:
    """How many periods the next window of a PostgreSQL search spans (``None``: all that are left).

    ``found`` matches were found in ``periods_read`` periods' worth of time, ``wanted`` more
    are wanted and ``periods_left`` periods are left to read. The window is as wide as the
    matches found so far say holds the wanted ones, with a quarter to spare; twice as wide as
    what was read when nothing was found. The rest is read at once when it is expected to hold
    little more than is wanted, or when the window would span more than ``MAX_WINDOW_PERIODS``.
    """
    if found:
        per_period = found / max(periods_read, 1 / PERIOD_KEYS)
        if per_period * periods_left <= wanted * 1.25:
            return None
        width = math.ceil(wanted / per_period * 1.25)
    else:
        width = 2 * max(math.ceil(periods_read), 1)
    return None if width > MAX_WINDOW_PERIODS or width >= periods_left else width


class IndexResults:
    """Articles matching a query and filters, best match (or newest) first: ``count()`` and slices.

    Made for Django's Paginator. At most ``limit`` results (``GAZETTE_SEARCH_MAX_RESULTS``,
    1,000 by default): the newest of the matches, so that the cost of a search is bounded
    whatever the size of the archive; ``more`` says whether older matches were left out
    (filters and dates reach them). The keys of those matches, with their rank when ordered by
    relevance, are read once, newest first (on PostgreSQL a window of periods at a time); the
    count and every page are taken from them, and
    a page's articles are then loaded by primary key.
    """

    def __init__(
        self,
        query: SearchQuery | None,
        *,
        city_pk: int | None = None,
        contributor_pk: int | None = None,
        topic_pk: int | None = None,
        key_from: int | None = None,
        key_to: int | None = None,
        order: str = "relevance",
        limit: int | None = None,
    ):
        self.query = query
        self.limit = max(limit or getattr(settings, "GAZETTE_SEARCH_MAX_RESULTS", 1000), 1)
        self.more = False
        self.facets = [f"{prefix}{pk}" for prefix, pk in (("c", city_pk), ("p", contributor_pk), ("t", topic_pk)) if pk]
        self.key_from, self.key_to = key_from, key_to
        self.by_relevance = order == "relevance" and query is not None
        self._found: list[tuple[int, float]] | None = None
        self._ordered: list[int] | None = None

    # A plan is (SELECT {columns} FROM ... WHERE ..., its parameters, the key column, the rank
    # expression or None, the rank's parameters), or None when the query can match nothing.

    def _sqlite_plan(self):
        match = []
        if self.query is not None:
            words = _sqlite_words(self.query)
            if words is None:
                return None
            match.append("{headline standfirst body names} : (" + words + ")")
        match += [f'facets : "{facet}"' for facet in self.facets]
        if match:
            table, key, where, params = FTS_TABLE, "rowid", [f"{FTS_TABLE} MATCH %s"], [" AND ".join(match)]
        else:
            table, key, where, params = ENTRY_TABLE, "key", ["1 = 1"], []
        self._add_range(key, where, params, self.key_from, self.key_to)
        restricted, restricted_params = _restricted_clause(f"({key} & {KEY_SPAN - 1})")
        sql = f"SELECT {{columns}} FROM {table} WHERE {' AND '.join(where)}{restricted}"
        # FTS5's rank column: the BM25 of SQLITE_RANK, lower is better.
        rank = "rank" if self.by_relevance and table == FTS_TABLE else None
        return sql, params + restricted_params, key, rank, []

    def _postgres_plan(self):
        where, params, rank, rank_params = [], [], None, []
        if self.query is not None:
            expression, expression_params = _pg_words(self.query)
            phrases = _required_phrases(self.query)
            pairs = []
            if phrases:
                # The phrases' word pairs are computed first, to be sought in their own index.
                pairs_sql = "".join(f", gazette_search_pairs(to_tsvector('{TS_CONFIG}', %s))" for _ in phrases)
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT ({expression})::text{pairs_sql}", [*expression_params, *phrases])
                    tsquery, *phrase_pairs = cursor.fetchone()
                if not tsquery:  # only stop words
                    return None
                pairs = sorted({pair for found in phrase_pairs for pair in found})
                words, words_params = "%s::tsquery", [tsquery]
            else:
                # Computed in the query itself, one round trip less; PostgreSQL folds it into a
                # constant before planning, so the plan is made for the words. A query of stop
                # words alone is an empty tsquery, which matches nothing.
                words, words_params = expression, expression_params
            if pairs:
                # The GIN index of word pairs finds the few entries holding a phrase's words side
                # by side; the words index alone finds every entry holding them anywhere, each of
                # which PostgreSQL would read to check their positions. The words are then tested
                # on those few rows only: written as IS TRUE, the test cannot use the words index,
                # whose bitmap of every entry holding a common word costs more than the rows.
                where.append(f"phrase_pairs @> %s::text[] AND (document @@ {words}) IS TRUE")
                params += [pairs, *words_params]
            else:
                where.append(f"document @@ {words}")
                params += words_params
            if self.by_relevance:
                # An entry without a rank vector (not filled yet) ranks last, not as NULL.
                rank, rank_params = f"coalesce(ts_rank(rank_vector, {words}), 0)", words_params
        if self.facets:
            where.append("facet_vector @@ %s::tsquery")
            params.append(" & ".join(self.facets))
        restricted, restricted_params = _restricted_clause("page_id")
        sql = f"SELECT {{columns}} FROM {ENTRY_TABLE} WHERE {' AND '.join(where) or 'TRUE'}{restricted}"
        return sql, params + restricted_params, "key", rank, rank_params

    @staticmethod
    def _add_range(key: str, where: list, params: list, key_from: int | None, key_to: int | None) -> None:
        if key_from is not None:
            where.append(f"{key} >= %s")
            params.append(key_from)
        if key_to is not None:
            where.append(f"{key} < %s")
            params.append(key_to)

    def _found_rows(self) -> list[tuple[int, float]]:
        """The newest ``limit`` matches as (key, rank), newest first (rank 0 when not ranked);
        ``more`` set when there are older ones."""
        if self._found is None:
            plan = self._sqlite_plan() if connection.vendor == "sqlite" else self._postgres_plan()
            found = []
            if plan:
                found = self._sqlite_rows(*plan) if connection.vendor == "sqlite" else self._postgres_rows(*plan)
            self.more = len(found) > self.limit
            self._found = found[: self.limit]
        return self._found

    def _sqlite_rows(self, sql, params, key, rank, rank_params) -> list[tuple[int, float]]:
        # FTS5 walks its index newest first and stops at the limit; the rank is computed for
        # those rows only.
        columns = f"{key}, {rank or 0}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"{sql.replace('{columns}', columns)} ORDER BY {key} DESC LIMIT %s",
                [*rank_params, *params, self.limit + 1],
            )
            return [(row[0], row[1]) for row in cursor.fetchall()]

    def _postgres_rows(self, sql, params, key, rank, rank_params) -> list[tuple[int, float]]:
        # Keeping the newest of all the matches would fetch every matching row from the table
        # for its key, thousands for a middling word. The matches are read a window of periods
        # at a time instead, newest first, each window's found by one scan of the index per
        # period (words, filters and period intersected inside it), until enough are found: about
        # as many rows are fetched as are kept. The rank is computed in an outer query, for the
        # rows kept only.
        where, range_params = [], []
        self._add_range(key, where, range_params, self.key_from, self.key_to)
        bounds = " AND ".join(where) or "TRUE"
        inner = sql.replace("{columns}", f"{key}, rank_vector")
        period_of = f"({key} >> {PERIOD_SHIFT})"
        wanted = self.limit + 1
        found: list[tuple[int, float]] = []
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT min({key}), max({key}) FROM {ENTRY_TABLE} WHERE {bounds}", range_params)
            lowest, highest = cursor.fetchone()
            if highest is None:
                return []
            top, bottom = highest >> PERIOD_SHIFT, lowest >> PERIOD_SHIFT
            # The share of the newest period that holds entries: a period just begun says little
            # about how many matches a period holds, so the one before is read with it.
            top_share = (highest - (top << PERIOD_SHIFT) + 1) / PERIOD_KEYS
            width: int | None = 2 if top_share < 0.5 else 1
            period = top  # the newest period not read yet
            while len(found) < wanted and period >= bottom:
                left = period - bottom + 1
                if found or period != top:
                    width = window_width(wanted - len(found), len(found), top_share + top - 1 - period, left)
                limits, limits_params = bounds, range_params
                if width is None or width >= left:
                    window, window_params = f"{key} < %s", [_period_start(period + 1)]
                    width = left
                elif period == top:
                    # The newest periods as a range of keys: a common word's matches are then
                    # read walking the keys down from the newest, which the planner expects to
                    # stop early, where a condition on the periods would make it expect to walk far.
                    window, window_params = f"{key} >= %s", [_period_start(period - width + 1)]
                else:
                    periods = list(range(period, period - width, -1))
                    # The periods alone, without the range of keys they span: the planner would
                    # count both as independent conditions and expect far fewer matches.
                    window = "(" + " OR ".join([f"{period_of} = %s::bigint"] * width) + ")"
                    window_params = periods
                    # Periods between the lowest and the highest key's lie wholly inside the
                    # date range, which is left out: the planner would intersect its keys too.
                    limits, limits_params = "TRUE", []
                cursor.execute(
                    f"SELECT {key}, {rank or '0'} FROM ({inner} AND {limits} AND {window}"
                    f" ORDER BY {key} DESC LIMIT %s) AS newest ORDER BY {key} DESC",
                    [*rank_params, *params, *limits_params, *window_params, wanted - len(found)],
                )
                found += [(row[0], row[1]) for row in cursor.fetchall()]
                period -= width
        return found

    def count(self) -> int:
        """How many results there are, at most ``limit`` (``more`` tells whether there are more)."""
        return len(self._found_rows())

    def __len__(self) -> int:
        return self.count()

    def keys(self, offset: int, limit: int) -> list[int]:
        """The index keys of ``limit`` results from ``offset``, in result order: by rank (BM25 on
        SQLite, ``ts_rank`` on PostgreSQL), ties newest first, or newest first."""
        if self._ordered is None:
            found = self._found_rows()
            if not self.by_relevance:
                self._ordered = [key for key, _rank in found]
            elif connection.vendor == "sqlite":  # BM25: lower is better
                self._ordered = [key for key, _rank in sorted(found, key=lambda row: (row[1], -row[0]))]
            else:
                self._ordered = [key for key, _rank in sorted(found, key=lambda row: (-row[1], -row[0]))]
        return self._ordered[offset : offset + limit]

    def __getitem__(self, item):
        if not isinstance(item, slice):
            found = self[item : item + 1]
            if not found:
                raise IndexError(item)
            return found[0]
        start = item.start or 0
        stop = item.stop if item.stop is not None else self.count()
        ids = [page_id_of(key) for key in self.keys(start, stop - start)]
        found = ArticlePage.objects.live().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]
