"""Tag-stamped caching: the full-page cache's store and the fragment cache, on Django's cache.

Every cache tag (see :mod:`gazette.core.invalidation` for the vocabulary) has a *purge stamp*
in the cache: the wall-clock time of its last purge (negative: of its first use). A cached page or
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
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

TAG_PREFIX = "gazette-tag:"
FRAGMENT_PREFIX = "gazette-fragment:"


def get_cache():
    """The cache holding pages, fragments and tag stamps (``GAZETTE_PAGE_CACHE_ALIAS``)."""
    return caches[getattr(settings, "GAZETTE_PAGE_CACHE_ALIAS", "default")]


def _tag_key(tag: str) -> str:
    # Tags are short ASCII words; hashing keeps keys valid for every backend all the same.
    return TAG_PREFIX + hashlib.md5(tag.encode(), usedforsecurity=False).hexdigest()


def bump_tags(tags: Iterable[str], now: float | None = None) -> None:
    """Mark every entry depending on ``tags`` stale (called by the ``tags_purged`` receiver)."""
    stamp = time.time() if now is None else now
    keys = {_tag_key(tag): stamp for tag in tags}
    if keys:
        get_cache().set_many(keys, timeout=None)


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


def entry_timeout() -> int:
    """How long a page or fragment may live: ``GAZETTE_PAGE_CACHE_TIMEOUT``, capped at midnight.

    Purges make entries stale exactly; the timeout only bounds memory use and makes sure no
    page shows yesterday's date in its masthead.
    """
    return min(int(getattr(settings, "GAZETTE_PAGE_CACHE_TIMEOUT", 86_400)), seconds_until_local_midnight())


def cached_fragment(
    key: str,
    tags: Iterable[str] | Callable[[Any], Iterable[str]],
    build: Callable[[], Any],
    timeout: int | None = None,
) -> Any:
    """Return the value cached under ``key``, building it when missing or purged.

    For expensive pieces shown on many pages (the masthead teaser, city lists, the rates
    widget): ``build`` runs once per change of what ``tags`` name, not once per request.
    ``tags`` may be a function of the built value (when it depends on what was read).
    ``build`` may return any picklable value, including model instances. With
    ``GAZETTE_PAGE_CACHE`` off, ``build`` runs every time.
    """
    if not getattr(settings, "GAZETTE_PAGE_CACHE", True):
        return build()
    cache = get_cache()
    full_key = FRAGMENT_PREFIX + key
    entry = cache.get(full_key)
    if entry is not None and is_fresh(entry["versions"]):
        return entry["value"]
    started_at = time.time()
    value = build()
    versions = tag_versions(tags(value) if callable(tags) else tags, started_at)
    if versions is not None:
        cache.set(
            full_key,
            {"value": value, "versions": versions},
            timeout if timeout is not None else entry_timeout(),
        )
    return value
