"""A query turned into SQL once per process, then run with each request's values.

Building a queryset and compiling it to SQL costs several times what SQLite spends running a
one-row indexed lookup; a page no cache answers pays it on every request. A
:class:`PreparedQuery` compiles its queryset once (per database alias and per set of fixed
arguments) with a unique marker in place of each varying value, and each call runs the same SQL
with the markers replaced by that call's values, through Django's own model iterable (the same
instances, ``select_related`` objects and annotations as the queryset would give).

Only for values whose SQL does not depend on them: ``exact`` lookups of strings or of integer
columns (32 bits or wider) that are never None (a None would be ``IS NULL``). Compiling checks that every marker is a
whole parameter.
"""

from __future__ import annotations

import copy
import secrets
import threading
import uuid
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

MAX_VARIANTS = 100


def _marker(kind: type) -> str | int:
    # An integer marker stays within a 32-bit column's range: PostgreSQL's backend turns an
    # out-of-range value into a query that matches nothing, with no parameter at all.
    return 2**30 + secrets.randbelow(2**30 - 1) if kind is int else f"prepared-{uuid.uuid4().hex}"


class PreparedQuery:
    """``build(*fixed, *values)`` is a queryset; :meth:`first` and :meth:`all` run it for ``values``.

    ``kinds`` are the types of the varying values (``str`` or ``int``), in order.
    """

    def __init__(self, build: Callable[..., QuerySet], kinds: tuple[type, ...]):
        self._build = build
        self._kinds = kinds
        self._compiled: dict[tuple, tuple[QuerySet, Any, str, tuple, list[int]]] = {}
        self._lock = threading.Lock()

    def _compile(self, fixed: tuple, first: bool) -> tuple[QuerySet, Any, str, tuple, list[int]]:
        markers = [_marker(kind) for kind in self._kinds]
        queryset = self._build(*fixed, *markers)
        if first:
            queryset = (queryset if queryset.ordered else queryset.order_by("pk"))[:1]
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        params = tuple(params)
        positions = []
        for marker in markers:
            found = [i for i, param in enumerate(params) if param == marker]
            if len(found) != 1 or str(marker) in sql:
                raise ValueError(f"A prepared value must be one whole parameter of the SQL: {sql}")
            positions.append(found[0])
        return queryset, compiler, sql, params, positions

    def first(self, fixed: tuple, values: tuple):
        """The first row's instance for ``values`` (None when there is none)."""
        rows = self._run(fixed, values, first=True)
        return rows[0] if rows else None

    def all(self, fixed: tuple, values: tuple) -> list:
        """Every row's instance for ``values``, in the queryset's order."""
        return self._run(fixed, values, first=False)

    def _run(self, fixed: tuple, values: tuple, first: bool) -> list:
        key = (first, *fixed)
        entry = self._compiled.get(key)
        if entry is None:
            entry = self._compile(fixed, first)
            with self._lock:
                if len(self._compiled) < MAX_VARIANTS:
                    self._compiled[key] = entry
        queryset, compiled, sql, params, positions = entry
        bound = list(params)
        for position, value in zip(positions, values, strict=True):
            bound[position] = value
        # The compiled state (columns, related selections, converters) is only read when it
        # runs; this call's copy gets this thread's connection and this call's values.
        compiler = copy.copy(compiled)
        compiler.connection = connections[queryset.db]
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(bound))
        run = queryset._chain()
        run.query.get_compiler = lambda *args, **kwargs: compiler
        return list(run)
