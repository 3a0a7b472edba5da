"""Tag-stamped caching: the full-page cache's store and the fragment cache, on Django's cache.

Every cache tag (built by :mod:`gazette.core.tags`, purged through
:mod:`gazette.core.invalidation`) has a *purge stamp* in the cache: the wall-clock time of its
last purge (negative: of its first use). A cached page or
fragment records the stamps of its tags as they were when it was built; it is fresh only while
every stamp is unchanged:

- a purge is O(number of tags): one ``set_many`` of new stamps, whatever the number of pages;
- it is correct across processes and hosts sharing the cache (file cache on the embedded
  default, Redis in production), because the check happens at lookup time;
- a rendering that read the old content while a purge happened (a stamp newer than the
  rendering's start) is not stored, so no old content is re-cached by a race;
- a stamp missing from the cache (evicted) is re-created with a new value, so every entry
  built with the old one turns stale: an eviction causes misses, never a stale page.

Hosts sharing one cache must keep their clocks in sync (NTP) for the race check;
``GAZETTE_CACHE_CLOCK_SKEW`` (seconds) widens its margin when they cannot.

Checking every stamp of every entry on every hit would cost one read per tag. Instead each purge
also writes a new, never-repeated *purge generation* (in the same ``set_many``, after the
stamps), and each process keeps the entries it has checked in a small in-memory LRU
(:class:`LocalMemo`, ``GAZETTE_CACHE_LOCAL_BYTES`` per process) together with the generation it
read *before* checking them. A hit then costs one read, the generation: while it is unchanged no
purge happened anywhere, so an entry checked under it is still fresh. Once it changes, the entry
is checked again against its stamps. A missing generation (cleared or evicted) never matches, so
nothing is trusted without a check. With Redis the generation is a key; with the file-based
cache of the embedded default (one host) it is a memory-mapped file (:class:`SharedGeneration`),
so a hit reads nothing from disk at all.
"""

from __future__ import annotations

import hashlib
import math
import mmap
import os
import pickle
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.utils import timezone

TAG_PREFIX = "gazette-tag:"
FRAGMENT_PREFIX = "gazette-fragment:"
GENERATION_KEY = "gazette-purge-generation"


class LocalMemo:
    """A thread-safe LRU of checked entries, bounded by the bytes their sizes add up to."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, tuple[Any, str, int, float]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, generation: str | None) -> Any:
        """The value stored under ``key`` if it was checked under ``generation``, else None."""
        if generation is None:
            return None
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if item[1] != generation or item[3] <= time.time():
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: str, value: Any, generation: str | None, size: int, expires_at: float) -> None:
        """Remember ``value`` as checked under ``generation``, until ``expires_at`` (epoch seconds)."""
        if generation is None or size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[2]
            self._items[key] = (value, generation, size, expires_at)
            self._bytes += size
            while self._bytes > self.max_bytes and self._items:
                _key, (_value, _generation, dropped, _expires) = self._items.popitem(last=False)
                self._bytes -= dropped

    def discard(self, key: str) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[2]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


_memo: LocalMemo | None = None


def local_memo() -> LocalMemo:
    """This process's memo of checked pages and fragments."""
    global _memo  # one memo per process, created on first use
    if _memo is None:
        _memo = LocalMemo(int(getattr(settings, "GAZETTE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024)))
    return _memo


def forget_local() -> None:
    """Empty this process's memos (tests that swap the shared cache call it), the site-wide data's too."""
    from . import sitewide

    local_memo().clear()
    sitewide.forget()


# Within one request the generation is read once (its first lookup): the request's pages and
# fragments are then as of that moment, and a purge after it makes the race check refuse to
# store them. Reset when a request starts, ends, or this process purges.
_request_generation: ContextVar[str | None] = ContextVar("gazette_request_generation", default=None)
_IN_REQUEST = "in-request"


def start_request(**kwargs) -> None:
    """``request_started`` receiver: this request reads the generation afresh, once."""
    _request_generation.set(_IN_REQUEST)


def end_request(**kwargs) -> None:
    _request_generation.set(None)


class SharedGeneration:
    """The purge generation of the file-based cache, in a small memory-mapped file beside it.

    The file cache serves one host, whose processes all map the same file: reading the
    generation is then a memory read instead of opening, reading and unpickling a cache file on
    every request. A purge writes 16 new random bytes. A reader that catches a write half done
    sees a value no process ever memoised, so it checks the stamps: never a stale page.
    """

    SIZE = 16

    def __init__(self, directory: str) -> None:
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, "gazette-purge-generation.mmap")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size < self.SIZE:
                os.ftruncate(fd, self.SIZE)
            self._map = mmap.mmap(fd, self.SIZE)
        finally:
            os.close(fd)
        if not any(self._map[: self.SIZE]):
            self.bump()

    def read(self) -> str:
        return self._map[: self.SIZE].hex()

    def bump(self) -> None:
        self._map[: self.SIZE] = os.urandom(self.SIZE)


_shared_generations: dict[str, SharedGeneration] = {}
_shared_lock = threading.Lock()


def shared_generation() -> SharedGeneration | None:
    """The memory-mapped generation when the cache is the file-based one (one host), else None."""
    cache = get_cache()
    if not isinstance(cache, FileBasedCache):
        return None
    # The directory as FileBasedCache resolves its LOCATION (the settings are its public face).
    directory = os.path.abspath(settings.CACHES[_cache_alias()]["LOCATION"])
    board = _shared_generations.get(directory)
    if board is None:
        with _shared_lock:
            board = _shared_generations.get(directory) or SharedGeneration(directory)
            _shared_generations[directory] = board
    return board


def purge_generation() -> str | None:
    """The current purge generation (None: missing, trust nothing); read once per request."""
    known = _request_generation.get()
    if known is not None and known != _IN_REQUEST:
        return known
    board = shared_generation()
    if board is not None:
        generation = board.read()
        if known == _IN_REQUEST:
            _request_generation.set(generation)
        return generation
    cache = get_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Re-create it (``add``: a concurrent purge's value is never overwritten); this lookup
        # still checks its stamps, the next ones can use the memo.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    elif known == _IN_REQUEST:
        _request_generation.set(generation)
    return generation


def checked_entry(key: str, generation: str | None, size: Callable[[Any], int]) -> Any:
    """The entry under ``key`` if it is fresh: from the memo when no purge happened, else checked.

    ``generation`` must have been read (:func:`purge_generation`) before this call, so a purge
    that lands while the stamps are being checked changes it and the next lookup checks again.
    Entries are dicts with their tag stamps under ``"versions"`` and the time the shared cache
    drops them under ``"expires_at"``: the memo never keeps one longer (the masthead's date).
    """
    memo = local_memo()
    entry = memo.get(key, generation)
    if isinstance(entry, _Pickled):
        return pickle.loads(entry.data)  # noqa: S301 - our own cache entry, pickled by this process
    if entry is not None:
        return entry
    entry = get_cache().get(key)
    # Past its time even if the shared cache still holds it (a backend's own expiry runs on its
    # clock, and may lag): a page whose content changes at a known moment must not outlive it.
    if entry is None or entry.get("expires_at", float("inf")) <= time.time() or not is_fresh(entry["versions"]):
        memo.discard(key)
        return None
    if "expires_at" in entry:
        if _shareable(entry):
            memo.put(key, entry, generation, size(entry), entry["expires_at"])
        else:
            # Mutable values (model instances) are never shared between requests: each lookup
            # gets its own copy, unpickled from memory rather than read from the shared cache.
            data = pickle.dumps(entry, pickle.HIGHEST_PROTOCOL)
            memo.put(key, _Pickled(data), generation, len(data) + 100, entry["expires_at"])
    return entry


class _Pickled:
    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


_IMMUTABLE = (str, bytes, tuple, frozenset, int, float, bool, type(None))


def _shareable(entry: dict) -> bool:
    """Page entries and fragments whose value no request can change (strings, numbers, tuples)."""
    if "value" not in entry:
        return True  # a page: its content and headers are only ever read
    value = entry["value"]
    return isinstance(value, _IMMUTABLE) and (
        not isinstance(value, tuple | frozenset) or all(isinstance(v, _IMMUTABLE) for v in value)
    )


def _cache_alias() -> str:
    return getattr(settings, "GAZETTE_PAGE_CACHE_ALIAS", "default")


def get_cache():
    """The cache holding pages, fragments and tag stamps (``GAZETTE_PAGE_CACHE_ALIAS``)."""
    return caches[_cache_alias()]


def _tag_key(tag: str) -> str:
    # Tags are short ASCII words; hashing keeps keys valid for every backend all the same.
    return TAG_PREFIX + hashlib.md5(tag.encode(), usedforsecurity=False).hexdigest()


def bump_tags(tags: Iterable[str], now: float | None = None) -> None:
    """Mark every entry depending on ``tags`` stale (called by the ``tags_purged`` receiver)."""
    stamp = time.time() if now is None else now
    keys = {_tag_key(tag): stamp for tag in tags}
    if keys:
        # The generation goes last: a process that sees the new generation sees the new stamps.
        board = shared_generation()
        if board is None:
            keys[GENERATION_KEY] = uuid.uuid4().hex
        get_cache().set_many(keys, timeout=None)
        if board is not None:
            board.bump()
        if _request_generation.get() is not None:
            _request_generation.set(_IN_REQUEST)  # this request's next lookups see the purge


def tag_versions(tags: Iterable[str], started_at: float) -> dict[str, float] | None:
    """The stamps of ``tags`` for an entry whose rendering began at ``started_at``.

    Missing stamps are created (with ``add``, so a concurrent purge's stamp is never
    overwritten). Returns None when a tag was purged while the entry was being rendered: the
    entry may hold old content and must not be stored.
    """
    cache = get_cache()
    keys = [_tag_key(tag) for tag in tags]
    stamps = cache.get_many(keys)
    missing = [key for key in keys if key not in stamps]
    if missing:
        # A first (or re-)creation gets a negative stamp: unlike every earlier value, and never
        # mistaken for a purge by the race check below.
        created_at = -time.time()
        for key in missing:
            cache.add(key, created_at, timeout=None)
        created = cache.get_many(missing)
        if len(created) != len(missing):
            return None
        stamps.update(created)
    limit = started_at - float(getattr(settings, "GAZETTE_CACHE_CLOCK_SKEW", 0))
    if any(stamps[key] >= limit for key in keys):
        return None
    return stamps


def is_fresh(versions: dict[str, float]) -> bool:
    """True when none of an entry's tags was purged (or evicted) since it was built."""
    if not versions:
        return True
    return get_cache().get_many(list(versions)) == versions


def seconds_until_local_midnight(now: datetime | None = None) -> int:
    """Seconds until the date printed in the masthead changes (the site's time zone)."""
    local = timezone.localtime(now)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, int((midnight - local).total_seconds()))


def entry_timeout(expires_at: float | None = None) -> int:
    """How long a page or fragment may live: ``GAZETTE_PAGE_CACHE_TIMEOUT``, capped at midnight.

    Purges make entries stale exactly; the timeout only bounds memory use and makes sure no
    page shows yesterday's date in its masthead. ``expires_at`` (a Unix time, from
    :func:`gazette.core.invalidation.add_cache_expiry`) caps it at the moment the content
    changes by itself.
    """
    timeout = min(int(getattr(settings, "GAZETTE_PAGE_CACHE_TIMEOUT", 86_400)), seconds_until_local_midnight())
    if expires_at is not None:
        timeout = min(timeout, max(1, math.ceil(expires_at - time.time())))
    return timeout


class RequestedKeys:
    """How many times this process was asked for each key lately, in bounded memory.

    Two generations of at most ``size`` keys each: when the newer one is full it becomes the
    older one and the oldest is dropped, so a key asked for again within about ``size`` other
    keys keeps its count. Only a small digest of each key is kept.
    """

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._current: dict[bytes, int] = {}
        self._previous: dict[bytes, int] = {}
        self._lock = threading.Lock()

    def count(self, key: str) -> int:
        """Record one more request for ``key``; return how many this process has seen."""
        digest = hashlib.blake2b(key.encode(), digest_size=12).digest()
        with self._lock:
            seen = self._current.get(digest) or self._previous.pop(digest, 0)
            if len(self._current) >= self.size and digest not in self._current:
                self._previous, self._current = self._current, {}
            self._current[digest] = seen + 1
            return seen + 1


_requested_keys: RequestedKeys | None = None


def worth_storing(key: str) -> bool:
    """True when a page or a page's own fragment under ``key`` should be stored now.

    ``GAZETTE_CACHE_STORE_AFTER`` (2 in production): the request of this process for ``key``
    that stores it. A crawler asks for each archive page once; storing what nobody asks for again
    costs a page and its fragments several cache writes (and its tag stamps), and on a bounded
    cache evicts pages that readers do ask for. Shared fragments (the masthead) are always stored.
    """
    after = int(getattr(settings, "GAZETTE_CACHE_STORE_AFTER", 1))
    if after <= 1:
        return True
    global _requested_keys
    if _requested_keys is None:
        _requested_keys = RequestedKeys(int(getattr(settings, "GAZETTE_CACHE_REQUESTED_KEYS", 20_000)))
    return _requested_keys.count(key) >= after


def fragments_enabled() -> bool:
    """``GAZETTE_FRAGMENT_CACHE`` (on unless the test settings turn it off)."""
    return bool(getattr(settings, "GAZETTE_FRAGMENT_CACHE", True))


def page_number_key(value) -> str:
    """A page-number parameter as a fragment key: its digits (at most four), else ''.

    Anything else renders the first page, so it shares the first page's fragment, and a reader
    cannot make the cache keep one copy per made-up value. What a fragment prints from the
    parameter (a canonical link) must keep only what this keeps.
    """
    value = str(value or "")
    return value if value.isdigit() and len(value) <= 4 else ""


def get_fragment(key: str) -> dict | None:
    """The fresh fragment entry under ``key`` (``value``, ``versions``, ``tags``), or None."""
    return checked_entry(FRAGMENT_PREFIX + key, purge_generation(), _fragment_size)


def store_fragment(
    key: str,
    value: Any,
    tags: Iterable[str],
    started_at: float,
    timeout: int | None = None,
    until: float | None = None,
) -> bool:
    """Keep ``value`` under ``key`` until one of ``tags`` is purged; False if it may be stale.

    ``started_at`` is when the data ``value`` was built from started being read: a purge after
    it means ``value`` may show the old content, and it is not kept. ``until``: the moment the
    value changes by itself (``add_cache_expiry``), kept with it so that a page built from it
    expires then too.
    """
    tags = sorted(set(tags))
    versions = tag_versions(tags, started_at)
    if versions is None:
        return False
    timeout = timeout if timeout is not None else entry_timeout(until)
    get_cache().set(
        FRAGMENT_PREFIX + key,
        {"value": value, "versions": versions, "tags": tags, "expires_at": time.time() + timeout, "until": until},
        timeout,
    )
    return True


def cached_fragment(
    key: str,
    tags: Iterable[str] | Callable[[Any], Iterable[str]],
    build: Callable[[], Any],
    timeout: int | None = None,
    until: float | None = None,
    *,
    always: bool = False,
) -> Any:
    """Return the value cached under ``key``, building it when missing or purged.

    For expensive pieces shown on many pages (the masthead teaser, city lists, the rates
    widget): ``build`` runs once per change of what ``tags`` name, not once per request.
    ``tags`` may be a function of the built value (when it depends on what was read).
    ``build`` may return any picklable value, including model instances. ``until``: the Unix
    time the value changes by itself (the caller declares it on the request too, with
    ``add_cache_expiry``). With ``GAZETTE_FRAGMENT_CACHE`` off, ``build`` runs every time,
    unless ``always``: for what an app kept in the cache before there was a fragment cache
    (the rates widget's table, the visible cities), rebuilt when one of ``tags`` is purged.
    """
    if not (always or fragments_enabled()):
        return build()
    entry = get_fragment(key)
    if entry is not None:
        return entry["value"]
    started_at = time.time()
    value = build()
    store_fragment(key, value, tags(value) if callable(tags) else tags, started_at, timeout, until)
    return value


def forget_fragment(key: str) -> None:
    """Drop the value cached under ``key`` now, in this process and the shared cache.

    For a change whose own transaction reads the value again before it commits (the purge of
    its tags comes at the commit).
    """
    local_memo().discard(FRAGMENT_PREFIX + key)
    get_cache().delete(FRAGMENT_PREFIX + key)


def _fragment_size(entry: dict) -> int:
    value = entry["value"]
    return len(value) + 200 if isinstance(value, str | bytes) else 200
