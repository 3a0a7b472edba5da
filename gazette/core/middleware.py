"""The full-page cache: anonymous GETs served from Django's cache, purged exactly by tags.

Two middlewares, placed like Django's own cache middleware pair::

    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "gazette.core.middleware.PageCacheUpdateMiddleware",   # outside Session/CSRF: sees their cookies
        "django.contrib.sessions.middleware.SessionMiddleware",
        "gazette.cities.middleware.EditionMiddleware",          # sets X-Gazette-Edition
        ...,
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "gazette.core.middleware.PageCacheFetchMiddleware",    # after the edition header and the user
        ...,
    ]

Readers without a session cookie or pending messages (nearly all of them) are answered by the
outer half, before the session, the edition or the user are loaded; the inner half answers the
anonymous readers who have a session. A hit costs one shared-cache read, the purge generation
(see :mod:`gazette.core.caching`).

What is cached: a ``GET`` answered with status 200 to a reader who is not signed in, whose view
declared at least one cache tag (``add_cache_tags``), with no ``Set-Cookie`` (a CSRF token or a
session makes a page personal), no ``Cache-Control: private/no-cache/no-store`` (``never_cache``
views, pages with a form error) and no ``Vary: *``. ``HEAD`` is answered from the ``GET`` entry.
Signed-in users (a session with a user) and readers with pending messages are never served
from the cache and never fill it. A hit that leaves with a cookie (SessionMiddleware deleting a
session cookie that names no session) is marked ``private, no-store`` for caches downstream.

The key is the absolute URL (host, path and query, less tracking parameters such as ``utm_*``,
``fbclid`` or ``yclid``, which no page reads) plus the values of the request headers the
response named in ``Vary``, learnt per URL as Django's cache middleware does, except ``Cookie``:
only anonymous readers use the cache and the one cookie a cached page may depend on, the city
edition, reaches the key through ``X-Gazette-Edition``. A request header that a middleware sets
after the outer half (the edition's) is worked out by the function its app registered with
:func:`register_request_header` before a lookup keys on it.

Pages are kept gzipped too, compressed once when stored: readers whose browser takes gzip (all
of them) get that copy, so nginx or a CDN in front passes it on rather than compressing every
hit again (a ``HEAD`` is answered for the text). ``Vary: Accept-Encoding`` says so to caches
downstream; the one entry holds both encodings, so ``Accept-Encoding`` does not split the key
(it does for an answer its view compressed itself). Cached pages are the same for every
reader and hold no secret, so compressing them gives BREACH nothing to find.

Responses carry ``X-Cache: HIT|MISS|BYPASS``, an ``ETag`` and ``Last-Modified`` (conditional
requests get ``304``), CDN headers (``Cache-Control: public, max-age, s-maxage,
stale-while-revalidate, stale-if-error``) and the page's tags as surrogate keys (``xkey`` and
``Surrogate-Key`` space-separated, ``Cache-Tag`` comma-separated as Cloudflare expects).
Everything else gets ``Cache-Control: private, no-store`` unless its view set its own.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Callable
from urllib.parse import unquote_plus

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.encoding import iri_to_uri
from django.utils.http import http_date, split_header_value, url_has_allowed_host_and_scheme
from django.utils.text import compress_string
from django.utils.translation import gettext

from . import caching

ENTRY_PREFIX = "gazette-page:"
HEADERS_PREFIX = "gazette-page-vary:"
_UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store")
_HIT, _MISS, _BYPASS = "HIT", "MISS", "BYPASS"
# The Vary names of a URL do not go stale with purges: memoised under a constant generation.
_ANY_GENERATION = "vary"
# Compressed when stored (Django's GZipMiddleware leaves out bodies under 200 bytes too).
_COMPRESSIBLE = re.compile(r"^(text/|application/([a-z.+-]*\+)?(xml|json|javascript))", re.I)
_COMPRESS_MIN_BYTES = 200
_NO_GZIP = re.compile(r"q\s*=\s*0(\.0*)?\s*$", re.I)


def _setting(name: str, default):
    return getattr(settings, name, default)


# Request headers (META names) a page may vary on that a middleware after the outer half sets,
# each with the function that works its value out from the request.
_request_headers: dict[str, Callable[[HttpRequest], str]] = {}


def register_request_header(meta_name: str, value: Callable[[HttpRequest], str]) -> None:
    """Key cached pages that vary on ``meta_name`` by ``value(request)``, also on the fast path.

    The outer half looks pages up before the middleware that sets the header has run: for a
    page that varies on it, ``value`` sets it first, the same way that middleware does (so it
    must give the same answer when the middleware has run already). Called from an app's
    ``AppConfig.ready()``.
    """
    _request_headers[meta_name] = value


# Parameters only analytics read (campaign tags, click ids): no page reads them, so they do not
# split the cache. A story shared on social networks arrives with a click id of its own per reader.
_TRACKING_PARAM = re.compile(
    r"(?:utm_\w+|fbclid|gclid|gbraid|wbraid|dclid|msclkid|yclid|ysclid|igshid|mc_cid|mc_eid|_openstat)", re.I
)
_TRACKING_HINT = re.compile(r"utm_|clid|braid|igshid|mc_[ce]id|_openstat", re.I)


def cache_query(query: str) -> str:
    """``query`` without tracking parameters, as the page cache keys it."""
    if not _TRACKING_HINT.search(query):
        return query
    return "&".join(
        part for part in query.split("&") if part and not _TRACKING_PARAM.fullmatch(unquote_plus(part.split("=", 1)[0]))
    )


def _url_hash(request: HttpRequest) -> str:
    # build_absolute_uri() without its generality; get_host() still refuses a host not allowed.
    full_path = request.get_full_path()
    query = request.META.get("QUERY_STRING", "")
    kept = cache_query(query) if query else query
    if kept != query:
        full_path = full_path.split("?", 1)[0] + (f"?{iri_to_uri(kept)}" if kept else "")
    url = f"{request.scheme}://{request.get_host()}{full_path}"
    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def _meta_name(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


def _entry_key(request: HttpRequest, url_hash: str, headers: list[str]) -> str:
    ctx = hashlib.md5(usedforsecurity=False)
    for header in headers:
        ctx.update(header.encode())
        ctx.update(b"=")
        ctx.update(request.META.get(header, "").encode())
        ctx.update(b"\n")
    return f"{ENTRY_PREFIX}{url_hash}:{ctx.hexdigest()}"


def _vary_headers(response: HttpResponse) -> list[str] | None:
    """The request headers the response varies on, as META names; None for ``Vary: *``."""
    names = []
    # One entry holds both encodings of a page this cache compresses (see the module's
    # docstring); an answer its view encoded itself is kept per Accept-Encoding.
    unkeyed = ("cookie", "accept-encoding") if not response.has_header("Content-Encoding") else ("cookie",)
    if response.has_header("Vary"):
        for header in split_header_value(response["Vary"]):
            header = header.strip()
            if header == "*":
                return None
            if header and header.lower() not in unkeyed:
                names.append(_meta_name(header))
    return sorted(set(names))


def is_signed_in(request: HttpRequest) -> bool:
    """A session with a user; checked only when a session cookie exists, to spare a lookup."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def request_may_use_cache(request: HttpRequest) -> bool:
    if not _setting("GAZETTE_PAGE_CACHE", True) or request.method not in ("GET", "HEAD"):
        return False
    if "messages" in request.COOKIES:
        return False
    return not is_signed_in(request)


def _fast_path(request: HttpRequest) -> bool:
    """A reader with no session cookie: answered before any middleware loads a session or user."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and request_may_use_cache(request)


_control_memo: tuple = ((), "")


def _control_header(key: tuple, timeout: int) -> str:
    return (
        f"public, max-age={min(int(key[3]), timeout)}, s-maxage={min(int(key[4]), timeout)}, "
        f"stale-while-revalidate={int(key[5])}, stale-if-error={int(key[6])}"
    )


def cdn_cache_control_value(expires_at: float | None = None) -> str:
    """``Cache-Control`` of a cacheable page, worked out once a second (the cap moves at midnight).

    ``expires_at``: the page changes by itself then (``add_cache_expiry``), so no cache may keep
    it longer.
    """
    global _control_memo  # a one-entry memo per process
    key = (
        int(time.time()),
        settings.TIME_ZONE,
        _setting("GAZETTE_PAGE_CACHE_TIMEOUT", 86_400),
        _setting("GAZETTE_CACHE_MAX_AGE", 30),
        _setting("GAZETTE_CACHE_S_MAXAGE", 86_400),
        _setting("GAZETTE_CACHE_STALE_WHILE_REVALIDATE", 30),
        _setting("GAZETTE_CACHE_STALE_IF_ERROR", 86_400),
    )
    if _control_memo[0] != key:
        _control_memo = (key, _control_header(key, caching.entry_timeout()))
    if expires_at is not None:
        return _control_header(key, caching.entry_timeout(expires_at))
    return _control_memo[1]


def cdn_cache_control(response: HttpResponse, expires_at: float | None = None) -> None:
    """Public caching headers: short for browsers (they cannot be purged), longer for CDNs."""
    response["Cache-Control"] = cdn_cache_control_value(expires_at)


def _surrogate_headers(response: HttpResponse, tags: list[str]) -> None:
    response["xkey"] = " ".join(tags)
    response["Surrogate-Key"] = " ".join(tags)
    response["Cache-Tag"] = ",".join(tags)


def accepts_gzip(request: HttpRequest) -> bool:
    """The client takes gzip (``Accept-Encoding: gzip``, not ``gzip;q=0``)."""
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if "gzip" not in accepted.lower():
        return False
    for part in accepted.split(","):
        coding, _, params = part.partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip"):
            return not _NO_GZIP.match(params.strip())
    return False


def _gzipped(response: HttpResponse) -> bytes | None:
    """The response's body gzipped, when that is worth keeping (text, and smaller)."""
    if response.has_header("Content-Encoding") or not _COMPRESSIBLE.match(response.get("Content-Type", "")):
        return None
    if len(response.content) < _COMPRESS_MIN_BYTES:
        return None
    # Django's own gzip (GZipMiddleware's), without its random padding: a cached page holds no
    # secret to hide from BREACH, and the same page gives the same bytes in every process.
    compressed = compress_string(response.content)
    return compressed if len(compressed) < len(response.content) else None


def _send_gzipped(response: HttpResponse, body: bytes, etag: str) -> None:
    """Make ``response`` the gzip copy of the page: a different representation, so a weak ETag
    (If-None-Match compares weakly, so either copy's ETag still revalidates)."""
    response.content = body
    response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(body))
    response["ETag"] = "W/" + etag


def _response_from_entry(request: HttpRequest, entry: dict) -> HttpResponse:
    head = request.method == "HEAD"
    # A HEAD is answered for the text, as a HEAD that misses is: proxies drop Content-Encoding
    # from answers without a body, which would leave the gzip's length on the text.
    compressed = entry.get("gzip") if not head and accepts_gzip(request) else None
    response = HttpResponse(
        b"" if head or compressed else entry["content"], status=entry["status"], headers=dict(entry["headers"])
    )
    if compressed:
        _send_gzipped(response, compressed, entry["etag"])
    elif head:
        response["Content-Length"] = str(len(entry["content"]))
    return response


def _entry_size(entry: dict) -> int:
    return len(entry["content"]) + len(entry.get("gzip") or b"") + 100 * len(entry["headers"]) + 500


def lookup(request: HttpRequest) -> HttpResponse | None:
    """The cached answer to ``request`` (a hit, maybe a 304), or None on a miss.

    Costs one shared-cache read while no purge happens (the purge generation, see
    :mod:`gazette.core.caching`); the Vary names per URL and the checked entries are kept in this
    process's memo.
    """
    generation = caching.purge_generation()
    memo = caching.local_memo()
    url_hash = _url_hash(request)
    headers_key = HEADERS_PREFIX + url_hash
    headers = memo.get(headers_key, _ANY_GENERATION)
    from_memo = headers is not None
    if not from_memo:
        headers = caching.get_cache().get(headers_key)
        if headers is None:
            return None
    for name, value in _request_headers.items():
        if name in headers:
            # The fast path runs before the middleware that sets it: worked out the same way.
            request.META[name] = value(request)
    entry = caching.checked_entry(_entry_key(request, url_hash, headers), generation, _entry_size)
    if entry is None:
        if from_memo:
            memo.discard(headers_key)  # the page may have changed what it varies on
        return None
    if not from_memo:
        memo.put(headers_key, headers, _ANY_GENERATION, 200, entry["expires_at"])
    request._page_cache = _HIT
    response = _response_from_entry(request, entry)
    cdn_cache_control(response, entry.get("until"))
    response["X-Cache"] = _HIT
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=int(entry["started_at"]), response=response
    )


class PageCacheFetchMiddleware:
    """Answers GET/HEAD requests of anonymous readers who have a session (inner half of the pair).

    Readers without a session cookie were answered (or missed) by the outer half already, before
    any session, edition or user was loaded.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "_page_cache", None) == _MISS:
            return self.get_response(request)
        if not hasattr(request, "_page_cache_started"):
            request._page_cache_started = time.time()
        if not request_may_use_cache(request):
            request._page_cache = _BYPASS
            return self.get_response(request)
        response = lookup(request)
        if response is not None:
            return response
        request._page_cache = _MISS
        return self.get_response(request)


class PageCacheUpdateMiddleware:
    """Stores cacheable responses and sets caching headers (outer half of the pair)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Taken before anything is read for this request: the race check in ``_store`` needs it.
        request._page_cache_started = time.time()
        if _fast_path(request):
            response = lookup(request)
            if response is not None:
                return response
            request._page_cache = _MISS
        response = self.get_response(request)
        state = getattr(request, "_page_cache", None)
        if state == _HIT and response.cookies:
            # A reader whose session cookie names no session is answered from the cache, and
            # SessionMiddleware deletes the cookie: no shared cache may keep that deletion.
            response["Cache-Control"] = "private, no-store"
        if state == _HIT or state is None:
            # A hit is complete; None means the fetch half never ran (an early redirect).
            return response
        tags = sorted(getattr(request, "cache_tags", ()) or ())
        if state == _MISS and tags and request.method == "GET" and self._cacheable(response):
            return self._store(request, response, tags)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        response["X-Cache"] = _BYPASS
        return response

    @staticmethod
    def _cacheable(response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        control = response.get("Cache-Control", "").lower()
        if any(directive in control for directive in _UNCACHEABLE_DIRECTIVES):
            return False
        return _vary_headers(response) is not None

    def _store(self, request: HttpRequest, response: HttpResponse, tags: list[str]) -> HttpResponse:
        url_hash = _url_hash(request)
        if not caching.worth_storing("url:" + url_hash):
            # Not asked for often enough yet (``worth_storing``): nor may a shared cache keep it.
            patch_cache_control(response, private=True, no_store=True)
            response["X-Cache"] = _MISS
            return response
        started_at = request._page_cache_started
        versions = caching.tag_versions(tags, started_at)
        if versions is None:
            # A tag was purged while this page was rendering: it may show the old content, so
            # neither this cache nor a downstream one may keep it.
            patch_cache_control(response, private=True, no_store=True)
            response["X-Cache"] = _BYPASS
            return response
        cache = caching.get_cache()
        until = getattr(request, "cache_expires_at", None)  # the page changes by itself then
        timeout = caching.entry_timeout(until)
        etag = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(int(started_at))
        _surrogate_headers(response, tags)
        cdn_cache_control(response, until)
        compressed = _gzipped(response)
        if compressed:
            patch_vary_headers(response, ("Accept-Encoding",))
        headers = _vary_headers(response)
        response["X-Cache"] = _MISS
        stored_headers = [(k, v) for k, v in response.items() if k.lower() not in ("cache-control", "x-cache")]
        cache.set_many(
            {
                HEADERS_PREFIX + url_hash: headers,
                _entry_key(request, url_hash, headers): {
                    "status": response.status_code,
                    "headers": stored_headers,
                    "content": response.content,
                    "gzip": compressed,
                    "versions": versions,
                    "started_at": started_at,
                    "expires_at": time.time() + timeout,
                    "until": until,
                    "etag": etag,
                },
            },
            timeout,
        )
        if compressed and accepts_gzip(request):
            _send_gzipped(response, compressed, etag)
        # The ETag of the copy sent: If-Match compares strongly, and the gzip's is weak.
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=int(started_at), response=response
        )


class AdminTransactionMiddleware:
    """Runs each form post of the Wagtail admin in one database transaction.

    Django's ``ATOMIC_REQUESTS``, for the admin's writes only (readers' pages stay outside any
    transaction): publishing a page writes its revision, the page, the log and its bylines and
    sends the signals that purge the caches, and all of it commits, or nothing does. The purges
    of that transaction then go out once, when it commits (:mod:`gazette.core.invalidation`),
    instead of once per signal handler. Last in ``MIDDLEWARE``: it calls the view itself, as
    Django's own ``make_view_atomic`` does, so later middleware's ``process_view`` would not run.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if request.method != "POST" or not request.path.startswith(_admin_prefix()):
            return None
        try:
            with transaction.atomic():
                return view_func(request, *view_args, **view_kwargs)
        except AdminRefusal as refusal:
            return _refusal_response(request, refusal)


class AdminRefusal(Exception):
    """An admin action refused for reasons the person can act on; ``str()`` is the message.

    Raised anywhere under an admin post (a signal handler, a task's action), it rolls back
    everything that post wrote and sends the person back where they came from with the message,
    instead of Wagtail's generic "no permission" answer to a ``PermissionDenied``.
    """


def _refusal_response(request: HttpRequest, refusal: AdminRefusal) -> HttpResponse:
    messages.error(request, str(refusal))
    target = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("wagtailadmin_home")
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        # Wagtail's modal workflow (the dashboard's Approve) follows "redirect" on "success".
        return JsonResponse({"step": "success", "redirect": target})
    return redirect(target)


@functools.cache
def _admin_prefix() -> str:
    return reverse("wagtailadmin_home")


class FormEncodingMiddleware:
    """Refuses, with a 400 that says why, a form post whose text is not UTF-8.

    Django decodes a urlencoded body that is not UTF-8 as ISO-8859-1 (so raw bytes of another
    encoding would be stored as mojibake) and the text fields of a multipart body with
    replacement characters. Such a post is answered before any view runs, so nothing is stored.
    Percent-encoded bytes in a UTF-8 body are left to the forms (the comment form re-shows the
    reader's text with a message). A urlencoded body that declares another charset, which Django
    refuses with a bare 400, gets the same explanation.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        if request.content_type == "application/x-www-form-urlencoded":
            charset = (request.content_params or {}).get("charset", "utf-8").lower().replace("_", "-")
            if charset not in ("utf-8", "utf8"):
                return _not_utf8()
            try:
                request.body.decode("utf-8")
            except UnicodeDecodeError:
                return _not_utf8()
        elif request.content_type == "multipart/form-data":
            for _name, values in request.POST.lists():
                if any("\ufffd" in value for value in values):
                    return _not_utf8()
        return None


def _not_utf8() -> HttpResponse:
    message = gettext(
        "This form arrived in a text encoding the site cannot read (it is not UTF-8), so nothing was "
        "saved. Please go back and send it again; if this happens again, try another browser."
    )
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
