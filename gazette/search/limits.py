"""Keep searches from crowding out readers: a rate per client address and a cap per process.

Search results are never cached, so every search runs queries; a crawler walking result
pages, or many clients at once, could otherwise hold every worker thread while readers of
cached pages wait. Two limits, both answered at once and cheaply:

- ``GAZETTE_SEARCH_RATE`` (default ``"30/m"``, a django-ratelimit rate; ``None`` switches it
  off): searches per client address, counted in the shared ``ratelimit`` cache so every
  process agrees. The address is what django-ratelimit's ``ip`` key reads, as for comment
  posts (``REMOTE_ADDR``, which the proxy in front must set to the reader's address).
- ``GAZETTE_SEARCH_CONCURRENCY`` (default 2, ``None`` for no cap): searches running at once in
  one server process. One more is turned away immediately rather than queued, so the
  process's other threads stay free for pages served from the cache.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

DEFAULT_RATE = "30/m"
DEFAULT_CONCURRENCY = 2
# Seconds a client turned away because the process is busy is asked to wait: searches take
# tens of milliseconds, so a slot is usually free again by then.
BUSY_RETRY_AFTER = 2


class SearchBusy(Exception):
    """Every search slot of this process is taken."""


def rate_limit_wait(request: HttpRequest) -> int | None:
    """Counts this search against the client's address; seconds to wait when over the rate, else None."""
    rate = getattr(settings, "GAZETTE_SEARCH_RATE", DEFAULT_RATE)
    if not rate:
        return None
    usage = get_usage(request, group="search:ip", key="ip", rate=rate, method="GET", increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, usage["time_left"])


_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def _semaphore() -> threading.BoundedSemaphore | None:
    size = getattr(settings, "GAZETTE_SEARCH_CONCURRENCY", DEFAULT_CONCURRENCY)
    if not size:
        return None
    with _slots_lock:
        if size not in _slots:
            _slots[size] = threading.BoundedSemaphore(size)
        return _slots[size]


@contextmanager
def search_slot() -> Iterator[None]:
    """Hold one of this process's search slots for the block; raise :class:`SearchBusy` when none is free.

    The slot is given back however the block ends, an exception included.
    """
    semaphore = _semaphore()
    if semaphore is None:
        yield
        return
    if not semaphore.acquire(blocking=False):
        raise SearchBusy
    try:
        yield
    finally:
        semaphore.release()
