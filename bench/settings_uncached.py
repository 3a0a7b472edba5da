"""Production settings without the full-page cache: the "uncached article" server of ``make bench``.

Every middleware whose dotted path mentions a cache is left out, so each request renders the
page (the benchmark also adds a unique query string to every request, which misses any cache
that is not a middleware). The fragment cache stays on, as in production: this is what a
page-cache miss costs (after a purge, or a query string nobody asked for before). The parts of
the page that did not change since they were last built come from it; ``settings_cold.py``
turns it off too.
"""

from .settings import *

PAGE_CACHE_MIDDLEWARE_REMOVED = [m for m in MIDDLEWARE if "cache" in m.lower()]
MIDDLEWARE = [m for m in MIDDLEWARE if m not in PAGE_CACHE_MIDDLEWARE_REMOVED]
# The page cache's own switch, where the page cache has one.
GAZETTE_PAGE_CACHE = False
