"""Relevance ranking on SQLite that stays fast on a large archive.

Wagtail's SQLite backend (``modelsearch``) orders results by relevance with a *correlated*
subquery: for every matching article it runs the full-text match again to fetch that
article's score. The cost grows with the square of the number of matches; the benchmark
(``bench/search_bench.py``) measured 29 s for a common word in 5,000 articles.

:class:`RankedResults` asks the FTS5 table once for the matching index entries, ordered by
the same BM25 score the backend computes, restricted to the filtered articles by an indexed EXISTS per match,
and sliced in SQL; then it loads just that page of articles. It reuses the backend's own query
compiler for the match and score expressions, so phrases, operators and field weights behave
exactly as in ``.search()``. PostgreSQL's backend ranks with a join and needs none of this.
"""

from __future__ import annotations

from django.db.models import BigIntegerField, Exists, OuterRef
from django.db.models.functions import Cast
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.database.sqlite.query import MatchExpression, normalize
from wagtail.search.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry, SQLiteSearchQueryCompiler
from wagtail.search.query import MatchAll, Not, SearchQuery
from wagtail.search.utils import get_descendants_content_types_pks


class RankedResults:
    """A Paginator-compatible sequence: ``count()`` and slices, best match first."""

    def __init__(self, queryset, query: SearchQuery):
        self.queryset = queryset
        backend = get_search_backend()
        self.compiler = SQLiteSearchQueryCompiler(queryset, query, order_by_relevance=True)
        self.config = self.compiler.get_config(backend)
        self._count: int | None = None

    def _index_query(self):
        compiler = self.compiler
        normalized = normalize(compiler.query)
        if isinstance(normalized, MatchAll | Not):
            return None
        search_query = compiler.build_search_query(normalized, config=self.config)
        rank = compiler._build_rank_expression(compiler.get_search_vectors(), self.config)
        # Checked per matching entry through the primary key index, so a rare word costs little
        # however many articles the archive holds (an IN over all live articles would not).
        wanted = Exists(self.queryset.filter(pk=Cast(OuterRef("index_entry__object_id"), BigIntegerField())))
        return (
            SQLiteFTSIndexEntry.objects.filter(MatchExpression(compiler.FTS_TABLE_FIELDS, search_query))
            .filter(
                wanted,
                index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model),
            )
            .annotate(score=rank)
        )

    def count(self) -> int:
        if self._count is None:
            index_query = self._index_query()
            self._count = 0 if index_query is None else index_query.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        index_query = self._index_query()
        if index_query is None:
            return []
        ids = list(
            index_query.order_by("score", "-index_entry__object_id").values_list("index_entry__object_id", flat=True)[
                key
            ]
        )
        found = self.queryset.in_bulk([int(i) for i in ids])
        return [found[int(i)] for i in ids if int(i) in found]
