"""The rows migrations made (Wagtail's root page, locale and collection, the editors' groups),
back in a test database that a transactional test's flush emptied, and the transaction that
fixtures sharing content among tests build it in."""

from contextlib import contextmanager


def restore_migrated_data() -> None:
    """Load the test database's initial contents again if Wagtail's root page is gone.

    pytest-django runs transactional tests after the others in one process, but with xdist a
    worker can be handed ordinary tests after a transactional one, whose flush deleted what
    migrations created. Called inside a test's (or a TestCase class's) transaction, the restored
    rows roll back with it.
    """
    from django.db import connections
    from wagtail.models import Page

    if Page.objects.filter(depth=1).exists():
        return
    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            connection.creation.deserialize_db_from_string(contents)


@contextmanager
def shared_content(django_db_blocker):
    """Database access for a module- or class-scoped fixture that builds content its tests share.

    Inside one transaction, on the migrated data, rolled back when the fixture ends: each test of
    the scope runs in a savepoint of it, so what a test adds goes with that test.
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        restore_migrated_data()
        yield
        transaction.set_rollback(True)
