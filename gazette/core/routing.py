"""Wagtail's routing, with what it looks up remembered between requests.

Wagtail finds the page for a URL by loading the request's ``Site`` and then every page on the
way down the tree, each twice (the generic row, then the specific one): six queries for an
article at ``/news/<slug>/``, on every request the page cache cannot answer. This middleware
hands Wagtail's ``serve`` view the same answer (kept on the request where Wagtail itself caches
it, see :mod:`gazette.core.internals`) without a query:

- the ``Site`` for a host and port is a fragment tagged ``sites`` (purged when a site is saved
  or deleted, or its root page published or moved);
- the page a path leads to is a fragment too: the specific page as Wagtail's routing loaded it,
  tagged ``page:<pk>``, which publishing, unpublishing, deleting or moving it or an ancestor
  purges. It is used only while that page is live and its ``url_path`` is the site root's plus
  the path, which is exactly when Wagtail's own routing would return it. Any other outcome,
  and every route with arguments (routable pages) or through a page type that overrides
  ``route``, goes through Wagtail's routing, whose answer is then remembered for the next time.

Without the fragment cache (a cold cache, or ``GAZETTE_FRAGMENT_CACHE`` off) the ``Site`` and
its home page come from :mod:`gazette.core.sitewide` (kept in process memory, checked with one
query per request) and the route is Wagtail's own, from that home page: an article is then one
query (``HomePage.route``), everything else as Wagtail routes it.

The page's view restrictions are checked by Wagtail's own hooks after this, as always.
"""

from __future__ import annotations

import time

from django.http import Http404, HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from . import caching, sitewide, tags
from .internals import has_request_route, remember_request_route, remember_request_site, request_site


def site_for_request(request: HttpRequest) -> Site | None:
    """``Site.find_for_request``, read from the database once per change of the sites."""
    known, site = request_site(request)
    if known:
        return site
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()

    def build():
        try:
            return get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return None

    if caching.fragments_enabled():
        site = caching.cached_fragment(f"site:{hostname}:{port}", {tags.sites()}, build)
    else:
        site = sitewide.memoised_copy(f"site:{hostname}:{port}", build)
    remember_request_site(request, site)
    return site


def _home_page(site: Site):
    """The specific home page of ``site``, from the site-wide memo (a fresh copy per request)."""
    return sitewide.memoised_copy(f"home:{site.pk}", lambda: site.root_page.specific).localized


def _sitewide_route(request: HttpRequest, site: Site, path: str):
    """``Page.route_for_request`` from the memoised home page (Wagtail's answer, as it computes it)."""
    try:
        return _home_page(site).route(request, [component for component in path.split("/") if component])
    except Http404:
        return None


def _serves(site: Site, path: str, page) -> bool:
    """True when Wagtail's default routing from ``site``'s root leads ``path`` to ``page``.

    Page types that override ``route`` (routable pages, with sub-routes) are left to Wagtail.
    """
    return (
        getattr(type(page), "route", None) is Page.route
        and page.live
        and page.url_path == site.root_page.url_path + path.lstrip("/")
    )


def _hinted_route(site: Site, path: str) -> RouteResult | None:
    entry = caching.get_fragment(f"route:{site.pk}:{path}")
    if entry is None:
        return None
    page = entry["value"]  # this request's own copy, unpickled from the cache
    return RouteResult(page) if _serves(site, path, page) else None


def _remember_route(site: Site, path: str, result, started_at: float) -> None:
    if result is None:
        return
    page, args, kwargs = result
    if args or kwargs or not _serves(site, path, page):
        return
    # Kept as loaded, before anything is rendered from it (nothing cached on the instance yet).
    caching.store_fragment(f"route:{site.pk}:{path}", page, {tags.sites(), tags.page(page.pk)}, started_at)


class RouteHintMiddleware:
    """Gives Wagtail's ``serve`` view its site and route from the cache (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_serve or has_request_route(request):
            return None
        if not caching.fragments_enabled():
            path = view_args[0] if view_args else view_kwargs.get("path", "")
            site = site_for_request(request)
            remember_request_route(request, _sitewide_route(request, site, path) if site is not None else None)
            return None
        if request.method not in ("GET", "HEAD"):
            return None
        started_at = time.time()
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        site = site_for_request(request)
        if site is None or (path and not path.endswith("/")):
            return None
        path = "/" + path.lstrip("/") if path else "/"
        result = _hinted_route(site, path)
        if result is not None:
            remember_request_route(request, result)
            return None
        _remember_route(site, path, Page.route_for_request(request, path), started_at)
        return None
