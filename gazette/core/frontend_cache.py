"""Purging Varnish (or any cache that understands ``xkey-purge``) by tag, through Wagtail.

Wagtail's frontend-cache framework purges URLs (``purge(url)``, used by its own
publish/unpublish handlers); Gazette also purges by *tag* from the ``tags_purged`` receiver, so
one purge reaches every page carrying the tag: the article, the fronts, the city fronts, the
feeds. Backends that can do this implement ``purge_tags(tags)``; the others are left to their
URL purges. Configured in ``WAGTAILFRONTENDCACHE`` (``GAZETTE_VARNISH_URL`` switches it on)::

    WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "gazette.core.frontend_cache.VarnishBackend", "LOCATION": "http://127.0.0.1:6083"},
    }

``deploy/varnish/gazette.vcl`` turns ``PURGE`` with an ``xkey-purge: tag1 tag2`` header into a
ban on objects whose ``xkey`` header contains any of the tags.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends

from .tags import TAG_RE

logger = logging.getLogger(__name__)


class VarnishBackend(HTTPBackend):
    """Wagtail's HTTP PURGE backend plus purging by surrogate key (``xkey-purge``).

    ``TIMEOUT`` (seconds, default 5) bounds how long a publish waits for the cache.
    """

    def __init__(self, params):
        params = dict(params)
        self.timeout = float(params.pop("TIMEOUT", 5))
        self.location = params["LOCATION"].rstrip("/")
        super().__init__(params)

    def purge_tags(self, tags: Iterable[str]) -> None:
        tags = sorted(t for t in tags if TAG_RE.match(t))
        if not tags:
            return
        request = PurgeRequest(
            url=self.location + "/",
            headers={"xkey-purge": " ".join(tags), "User-Agent": "Gazette-frontendcache"},
        )
        try:
            with urlopen(request, timeout=self.timeout):  # noqa: S310 - LOCATION comes from settings
                pass
        except HTTPError as err:
            logger.error("Couldn't purge tags %s from %s: HTTP %d %s", tags, self.location, err.code, err.reason)
        except (URLError, OSError) as err:
            logger.error("Couldn't purge tags %s from %s: %s", tags, self.location, err)


def purge_tags_from_frontend_caches(tags: Iterable[str]) -> None:
    """Send a tag purge to every configured frontend cache able to purge by tag."""
    tags = frozenset(tags)
    for name, backend in get_backends().items():
        purge = getattr(backend, "purge_tags", None)
        if purge is None:
            continue
        try:
            purge(tags)
        except Exception:  # a broken CDN must not break publishing; the page cache is purged already
            logger.exception("Frontend cache %s failed to purge tags", name)
