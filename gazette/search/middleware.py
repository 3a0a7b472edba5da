"""Turn searches over the limits away before the rest of the stack runs (see ``limits.py``).

Placed right after ``SecurityMiddleware``: a refused search skips sessions, editions, CSRF,
authentication, messages and the page cache, runs no database query, and gets a small page
rendered once per language, status and wait and reused. Only GET requests to the search URL
with a query string are limited; the empty search form costs nothing and is always served.
"""

from __future__ import annotations

import functools

from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

from gazette.core.internals import mark_response_logged

from .limits import BUSY_RETRY_AFTER, SearchBusy, rate_limit_wait, remembered_wait, search_slot

TOO_MANY, BUSY = 429, 503
# Set in the WSGI environ by ``refuse_remembered_floods`` when it holds the request's search slot.
SLOT_HELD = "gazette.search_slot_held"
REASONS = {TOO_MANY: "429 Too Many Requests", BUSY: "503 Service Unavailable"}
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def search_path() -> str:
    """The search URL's path without the script prefix, as ``PATH_INFO`` and ``path_info`` have it."""
    return "/" + reverse("search:search").removeprefix(get_script_prefix())


class SearchLimitMiddleware:
    """Answer 429 to an address over ``GAZETTE_SEARCH_RATE`` and 503 when this process already runs
    ``GAZETTE_SEARCH_CONCURRENCY`` searches; otherwise hold a search slot for the whole request."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._search_path: str | None = None

    def search_path(self) -> str:
        if self._search_path is None:
            self._search_path = search_path()
        return self._search_path

    def __call__(self, request: HttpRequest):
        # The raw query string, not request.GET: a refusal need not parse it.
        if request.method != "GET" or not request.META.get("QUERY_STRING") or request.path_info != self.search_path():
            return self.get_response(request)
        wait = rate_limit_wait(request)
        if wait is not None:
            return refusal(TOO_MANY, wait)
        if request.META.get(SLOT_HELD):
            return self.get_response(request)  # the WSGI wrapper holds this request's slot
        try:
            # The whole answer, rendering included, holds the slot: a results page costs more to
            # render than its queries.
            with search_slot():
                return self.get_response(request)
        except SearchBusy:
            return refusal(BUSY, BUSY_RETRY_AFTER)


def refusal(status: int, retry_after: int) -> HttpResponse:
    """The small page saying when to try again, with ``Retry-After`` and never cached."""
    response = HttpResponse(_refusal_page(get_language(), status, retry_after), status=status)
    response["Retry-After"] = str(retry_after)
    # What never_cache sets, written at once rather than parsed and patched on every refusal.
    response["Cache-Control"] = NEVER_CACHE
    # Turning a flood away is the intended outcome, not a server fault: Django would log every
    # 503 as an error, and a flood would fill the log.
    mark_response_logged(response)
    return response


@functools.lru_cache(maxsize=512)
def _refusal_page(language: str, status: int, retry_after: int) -> bytes:
    # Rendered without a request: no context processors, so no database and no site layout.
    context = {"busy": status == BUSY, "retry_after": retry_after}
    return get_template("gazette_search/search_refused.html").render(context).encode()


def refuse_remembered_floods(application):
    """Wrap the WSGI ``application`` so that the searches a flood sends most are answered before
    Django builds a request: those from an address this process already refused for its rate
    (429), and those arriving while every search slot of the process is taken (503).

    A client firing searches without pause comes back thousands of times a second; answered
    here, from memory, each refusal costs a fraction of a cached page, so the flood takes only
    that share of the server from the readers. The slot taken here is held until the response
    is built and is the one the middleware would take; first refusals for the rate and the
    count itself are the middleware's.
    """
    path = None

    def refusing(environ, start_response):
        nonlocal path
        if environ.get("REQUEST_METHOD") != "GET" or not environ.get("QUERY_STRING"):
            return application(environ, start_response)
        if path is None:
            path = search_path()
        if environ.get("PATH_INFO") != path:
            return application(environ, start_response)
        wait = remembered_wait(environ)
        if wait is not None:
            return _refuse(start_response, TOO_MANY, wait)
        try:
            with search_slot():
                environ[SLOT_HELD] = True
                return application(environ, start_response)
        except SearchBusy:
            return _refuse(start_response, BUSY, BUSY_RETRY_AFTER)

    return refusing


def _refuse(start_response, status: int, retry_after: int) -> list[bytes]:
    body = _refusal_page(get_language(), status, retry_after)
    start_response(
        REASONS[status],
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Retry-After", str(retry_after)),
            ("Cache-Control", NEVER_CACHE),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
    return [body]
