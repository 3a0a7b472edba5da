from django.db import migrations

from gazette.search.index import install


def combine_indexes(apps, schema_editor):
    """On PostgreSQL, the one GIN index over words, filter terms, word pairs and period in place
    of the three it replaces (``install``); building it reads every entry once."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    install(connection)


class Migration(migrations.Migration):
    dependencies = [
        ("gazette_search", "0003_add_rank_vector"),
    ]

    operations = [
        # Going back keeps the combined index: the queries of every version can use it.
        migrations.RunPython(combine_indexes, migrations.RunPython.noop),
    ]
