"""The one path by which anything that changes what a page shows tells the caches.

Pages declare what they depend on as *cache tags*; events that change content call
:func:`purge_tags` with the tags they affect. Receivers of :data:`tags_purged` (the full-page
cache, the frontend-cache purger, fragment caches) drop exactly the pages carrying those tags.

The tags themselves are built by :mod:`gazette.core.tags`; each app says next to its models
(``signal_handlers.py``, ``purges.py``) which of its events purge which tags.

Purges coalesce: every tag purged inside one transaction is sent once, in one ``tags_purged``
signal, when the transaction commits (a publish purges the page, its article lists and its
sitemaps from three signal handlers: one write of tag stamps, one frontend-cache purge). A
transaction rolled back purges nothing, and nothing of it reaches the next one. Tags purged in a
savepoint that is rolled back are dropped with it; they still go out only when an earlier purge of
the same transaction survives and no purge follows the rollback (purging more is always safe).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest

from .internals import pending_on_commit

# Sent with ``tags=frozenset[str]`` after the transaction that changed the content commits.
tags_purged = Signal()
# Sent with ``tags=frozenset[str]`` at once, inside that transaction (``gazette.core.sitewide``).
tags_purging = Signal()


class _Purge:
    """One ``purge_tags`` call's tags: its on-commit callback.

    Each call registers a callback of its own, so Django drops the tags of a rolled-back
    savepoint or transaction with their callback. The first callback of a transaction to run
    sends its tags and those of every callback registered after it in the same transaction,
    which then find themselves sent and do nothing: one signal per commit.
    """

    __slots__ = ("batch", "sent", "tags")

    def __init__(self, batch: list[_Purge], tags: frozenset[str]) -> None:
        self.batch = batch
        self.tags = tags
        self.sent = False

    def __call__(self) -> None:
        if self.sent:
            return
        position = next(i for i, purge in enumerate(self.batch) if purge is self)
        due = [purge for purge in self.batch[position:] if not purge.sent]
        for purge in due:
            purge.sent = True
        tags_purged.send(sender=None, tags=frozenset().union(*(purge.tags for purge in due)))


_BATCH_ATTR = "gazette_purges"


def purge_tags(tags: Iterable[str]) -> frozenset[str]:
    """Invalidate every cached page or fragment carrying any of ``tags``; returns the tags.

    Runs after the surrounding transaction commits, so a reader who requests the page right
    after the purge sees the committed change, never the old content re-cached; outside a
    transaction, at once. All purges of one transaction go out together (see the module).
    """
    tags = frozenset(t for t in tags if t)
    if not tags:
        return tags
    tags_purging.send(sender=None, tags=tags)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        tags_purged.send(sender=None, tags=tags)
        return tags
    # The purges still to send: those whose callbacks Django holds for this transaction (a
    # rollback dropped the others, and a commit ran them) and that have not run.
    pending = {id(func) for func in pending_on_commit(connection)}
    batch = getattr(connection, _BATCH_ATTR, None)
    if batch is None:
        batch = []
        setattr(connection, _BATCH_ATTR, batch)
    # In place: the purges already registered send from this same list.
    batch[:] = [purge for purge in batch if id(purge) in pending and not purge.sent]
    purge = _Purge(batch, tags)
    batch.append(purge)
    transaction.on_commit(purge)
    return tags


def add_cache_tags(request: HttpRequest, *tags: str) -> None:
    """Record that the response to ``request`` depends on ``tags`` (views and templates call it).

    Does nothing for a request marked with :func:`never_tag` (a page behind a view restriction):
    a response without tags is never stored by the page cache, nor are its fragments.
    """
    if getattr(request, "cache_tags_refused", False):
        return
    existing = getattr(request, "cache_tags", None)
    if existing is None:
        existing = set()
        request.cache_tags = existing
    existing.update(t for t in tags if t)


def add_cache_expiry(request: HttpRequest, when: datetime | float) -> None:
    """Record that the response to ``request`` changes by itself at ``when`` (no event purges it).

    For what time alone changes: the rates table that comes into force at Moscow midnight, an
    article's comments closing N days after publication. The page cache, the fragments and the
    CDN headers keep such a response only until then. The earliest moment declared wins.
    """
    if getattr(request, "cache_tags_refused", False):
        return
    moment = when.timestamp() if isinstance(when, datetime) else float(when)
    current = getattr(request, "cache_expires_at", None)
    if current is None or moment < current:
        request.cache_expires_at = moment


def never_tag(request: HttpRequest) -> None:
    """Keep the response to ``request`` out of every cache, whatever its templates declare."""
    request.cache_tags_refused = True
    request.cache_tags = set()
