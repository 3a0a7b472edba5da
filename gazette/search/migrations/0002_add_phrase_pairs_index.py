from django.db import migrations

from gazette.search.index import ENTRY_TABLE, install

CHUNK = 1000


def add_phrase_pairs(apps, schema_editor):
    """On PostgreSQL, the word-pairs column, its function and GIN index, filled for every entry."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    install(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(page_id), 0) FROM {ENTRY_TABLE}")  # noqa: S608
        last = cursor.fetchone()[0]
        # In chunks, so that no statement runs into the connection's statement timeout.
        for start in range(0, last + 1, CHUNK):
            cursor.execute(
                f"UPDATE {ENTRY_TABLE} SET phrase_pairs = gazette_search_pairs(document)"  # noqa: S608
                " WHERE page_id >= %s AND page_id < %s",
                [start, start + CHUNK],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("gazette_search", "0001_add_search_index"),
    ]

    operations = [
        # The column stays when going back: the entry trigger fills it, and nothing else reads it.
        migrations.RunPython(add_phrase_pairs, migrations.RunPython.noop),
    ]
