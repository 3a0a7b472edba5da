"""On PostgreSQL the search reads one GIN index over words, filter terms, word pairs and period."""

import pytest
from django.core.management import call_command
from django.db import connection

from gazette.search.index import ENTRY_TABLE

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's"),
]


def gin_indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE '%%USING gin%%'",
            [ENTRY_TABLE],
        )
        return dict(cursor.fetchall())


def test_one_gin_index_covers_words_filters_pairs_and_periods():
    indexes = gin_indexes()
    assert list(indexes) == ["gazette_search_entry_words"]
    assert "(document, facet_vector, phrase_pairs, ((key >> 50)))" in indexes["gazette_search_entry_words"]


def test_the_combining_migration_replaces_the_single_column_indexes(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX gazette_search_entry_words")
        for name, column in [("document", "document"), ("facets", "facet_vector"), ("phrase_pairs", "phrase_pairs")]:
            cursor.execute(f"CREATE INDEX gazette_search_entry_{name} ON {ENTRY_TABLE} USING gin ({column})")
    call_command("migrate", "gazette_search", "0003", verbosity=0)
    call_command("migrate", "gazette_search", verbosity=0)
    assert list(gin_indexes()) == ["gazette_search_entry_words"]
