"""Reads from a PostgreSQL read replica for anonymous page views; everything else on the primary.

Switched on by ``DATABASE_REPLICA_URL`` (``gazette/settings/base.py`` adds the ``replica``
database, this router and :class:`ReplicaMiddleware`). A replica lags the primary by a moment,
so only requests that cannot have just written read from it: anonymous ``GET``/``HEAD``
outside the admin. Editors, form posts, the admin, the worker, the scheduler and management
commands always read and write the primary, so nobody misses their own change.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_use_replica: ContextVar[bool] = ContextVar("gazette_use_replica", default=False)

REPLICA = "replica"
PRIMARY = "default"
_PRIMARY_PATHS = ("/admin/", "/django-admin/", "/comments/")


@contextmanager
def reading_from_replica(enabled: bool = True):
    """Route this block's reads to the replica (the middleware wraps anonymous page views)."""
    token = _use_replica.set(enabled)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _use_replica.get() and REPLICA in settings.DATABASES else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: same rows, same relations

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaMiddleware:
    """Marks anonymous page views as replica readers; place it after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .middleware import is_signed_in

        replica = (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(_PRIMARY_PATHS)
            and not is_signed_in(request)
        )
        with reading_from_replica(replica):
            return self.get_response(request)
