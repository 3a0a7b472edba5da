"""Wagtail's routing, with what it looks up remembered between requests.

Wagtail finds the page for a URL by loading the request's ``Site`` and then every page on the
way down the tree, each twice (the generic row, then the specific one): six queries for an
article at ``/news/<slug>/``, on every request the page cache cannot answer. This middleware
hands Wagtail's ``serve`` view the same answer (kept on the request where Wagtail itself caches
it, see :mod:`gazette.core.internals`) with fewer: the ``Site`` and its home page come from
:mod:`gazette.core.sitewide` (kept in process memory, checked with one query per request), and
the route is Wagtail's own from that home page, so an article is one query
(``HomePage.route``), everything else as Wagtail routes it. Nothing is written per page: a
crawler's requests for pages nobody asked for before cost no cache writes for routing.

The page's view restrictions are checked by Wagtail's own hooks after this, as always.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname
from wagtail.views import serve as wagtail_serve

from . import sitewide
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


class RouteHintMiddleware:
    """Gives Wagtail's ``serve`` view its site and route from the cache (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_serve or has_request_route(request):
            return None
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        site = site_for_request(request)
        remember_request_route(request, _sitewide_route(request, site, path) if site is not None else None)
        return None
