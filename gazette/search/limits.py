"""Keep searches from crowding out readers: a rate per client address and a cap per process.

Search results are never cached, so every search runs queries; a crawler walking result
pages, or many clients at once, could otherwise hold every worker thread while readers of
cached pages wait. Two limits, applied by :class:`gazette.search.middleware.SearchLimitMiddleware`
before any other middleware runs, so that a refusal costs next to nothing:

- ``GAZETTE_SEARCH_RATE`` (default ``"30/m"``, a django-ratelimit rate; ``None`` switches it
  off): searches per client address, counted in the shared ``ratelimit`` cache so every
  process agrees. The address is what django-ratelimit's ``ip`` key reads, as for comment
  posts (gazette.core.clients: the reader's address behind a trusted proxy). An
  address found over the rate is remembered in this process until its window ends, so its
  further searches are refused without touching the cache.
- ``GAZETTE_SEARCH_CONCURRENCY`` (default 1, ``None`` for no cap): searches running at once in
  one server process; with a process per core, searches never hold more than the cores. One
  more is turned away immediately rather than queued, so the
  process's other threads stay free for pages served from the cache.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import _get_ip, get_usage

DEFAULT_RATE = "30/m"
DEFAULT_CONCURRENCY = 1
# Seconds a client turned away because the process is busy is asked to wait: searches take
# tens of milliseconds, so a slot is usually free again by then.
BUSY_RETRY_AFTER = 2
# Addresses remembered over the rate per process: enough for a crowd of crawlers, a few MB at most.
OVER_LIMIT_MEMORY_SIZE = 10_000
RATE_GROUP = "search:ip"


class SearchBusy(Exception):
    """Every search slot of this process is taken."""


class OverLimitMemory:
    """Client addresses found over the search rate, each until its window ends, in process memory.

    Holds at most ``size`` addresses: when full, expired ones are dropped first (at most one
    sweep a second), then the longest-remembered. Forgetting an address early costs only a
    cache round trip on its next search, which finds it over the rate again.
    """

    def __init__(self, size: int = OVER_LIMIT_MEMORY_SIZE, clock: Callable[[], float] = time.time):
        self.size = size
        self.clock = clock
        self._until: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    def wait(self, key: tuple[str, str]) -> int | None:
        """Whole seconds until ``key``'s window ends when it is remembered over the rate, else None."""
        now = self.clock()
        with self._lock:
            until = self._until.get(key)
            if until is None:
                return None
            if until <= now:
                del self._until[key]
                return None
        return max(1, math.ceil(until - now))

    def remember(self, key: tuple[str, str], seconds: int) -> None:
        """Remember ``key`` as over the rate for ``seconds`` from now."""
        now = self.clock()
        with self._lock:
            self._until.pop(key, None)
            self._until[key] = now + seconds
            if len(self._until) <= self.size:
                return
            if now >= self._next_sweep:
                self._next_sweep = now + 1
                for expired in [k for k, until in self._until.items() if until <= now]:
                    del self._until[expired]
            while len(self._until) > self.size:
                del self._until[next(iter(self._until))]

    def __len__(self) -> int:
        return len(self._until)

    def clear(self) -> None:
        with self._lock:
            self._until.clear()
            self._next_sweep = 0.0


over_limit = OverLimitMemory()


def rate_limit_wait(request: HttpRequest) -> int | None:
    """Counts this search against the client's address; seconds to wait when over the rate, else None.

    An address already known over the rate in this process is refused from memory, neither
    counted nor looked up in the cache; its count starts afresh in the next window anyway.
    """
    rate = getattr(settings, "GAZETTE_SEARCH_RATE", DEFAULT_RATE)
    if not rate or not getattr(settings, "RATELIMIT_ENABLE", True):
        return None
    # The same address (masks and RATELIMIT_IP_META_KEY applied) django-ratelimit's ``ip`` key counts.
    address = _get_ip(request)
    key = (rate, address)
    wait = over_limit.wait(key)
    if wait is not None:
        return wait
    usage = get_usage(
        request, group=RATE_GROUP, key=lambda group, request: address, rate=rate, method="GET", increment=True
    )
    if usage is None or not usage["should_limit"]:
        return None
    wait = max(1, usage["time_left"])
    over_limit.remember(key, wait)
    return wait


def remembered_wait(meta: dict) -> int | None:
    """Seconds to wait for a request (its WSGI environ or ``request.META``) from an address this
    process already knows to be over the rate; None when it is not known so. Memory only: no
    cache, nothing counted, no Django request needed."""
    rate = getattr(settings, "GAZETTE_SEARCH_RATE", DEFAULT_RATE)
    if not rate or not getattr(settings, "RATELIMIT_ENABLE", True):
        return None
    # django-ratelimit reads the address from ``META`` alone (its meta key, then the masks).
    return over_limit.wait((rate, _get_ip(SimpleNamespace(META=meta))))


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
