"""Old WordPress addresses that are a query on the front page: ``/?p=123``, ``/?page_id=7``,
``/?author=2``, ``/?cat=5``, ``/?tag=ice``.

Wagtail's redirects answer only what would otherwise be a 404, and ``/`` is the front page, so
these never reach them. This middleware looks such a request up among the redirects (the
importer stores them, e.g. ``/?p=123`` for every published post) before anything else answers
it, the page cache included. Other requests cost nothing: only a request for ``/`` carrying one
of WordPress's query parameters is looked up, with one query.
"""

from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

WORDPRESS_QUERY_PARAMETERS = frozenset({"p", "page_id", "author", "cat", "tag"})


class WordPressQueryRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.method in ("GET", "HEAD") and WORDPRESS_QUERY_PARAMETERS & set(request.GET):
            old_path = Redirect.normalise_path(request.get_full_path())
            site = Site.find_for_request(request)
            redirect = (
                Redirect.get_for_site(site).filter(old_path=old_path).order_by("site_id").first()
                if len(old_path) <= 255
                else None
            )
            if redirect is not None and redirect.link:
                response_class = HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
                return response_class(redirect.link)
        return self.get_response(request)
