from django.db import migrations

from gazette.search.index import ENTRY_TABLE, RANK_VECTOR, install

CHUNK = 1000


def add_rank_vector(apps, schema_editor):
    """On PostgreSQL, the rank vector column and the trigger filling it, filled for every entry,
    and every entry's document written again so that it is kept in the row (``install``); the
    trigger now recomputes the vectors only when an entry's text changes."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    install(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(page_id), 0) FROM {ENTRY_TABLE}")  # noqa: S608
        last = cursor.fetchone()[0]
        # In chunks, so that no statement runs into the connection's statement timeout. Setting
        # these columns does not fire the vectors' trigger. The document is set to a new value
        # (itself with nothing added): an unchanged value would stay where it was, in TOAST.
        for start in range(0, last + 1, CHUNK):
            cursor.execute(
                f"UPDATE {ENTRY_TABLE} SET rank_vector = {RANK_VECTOR.format(row='')},"  # noqa: S608
                " document = document || ''::tsvector WHERE page_id >= %s AND page_id < %s",
                [start, start + CHUNK],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("gazette_search", "0002_add_phrase_pairs_index"),
    ]

    operations = [
        # The column stays when going back: the entry trigger fills it, and nothing else reads it.
        migrations.RunPython(add_rank_vector, migrations.RunPython.noop),
    ]
