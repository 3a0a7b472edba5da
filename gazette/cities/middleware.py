"""The reader's edition: the ``gazette_edition`` cookie, checked once per request.

Placed right after ``SessionMiddleware`` and before any page cache, so the cache (which keys on
the Vary headers a response declares) sees ``X-Gazette-Edition`` as a request header, just as
Varnish sets it from the cookie in ``vcl_recv``. Only the front page declares
``Vary: X-Gazette-Edition``; every other page stays one cached copy for all readers.
"""

from django.utils.functional import SimpleLazyObject

from .services import visible_city_slugs

EDITION_COOKIE = "gazette_edition"
EDITION_META = "HTTP_X_GAZETTE_EDITION"


def _city(slug: str):
    from .models import City

    # None if the city was hidden after the slug list was cached: the reader sees All Cities.
    return City.objects.visible().filter(slug=slug).first()


def edition_slug(request) -> str:
    """The edition the request asks for, if it names a visible city; else ''."""
    # Behind Varnish the cookie arrives as the header (the VCL copies it and strips cookies);
    # either way the value is only a choice of edition, checked against the visible cities.
    slug = request.COOKIES.get(EDITION_COOKIE, request.META.get(EDITION_META, "")).strip()
    if slug and slug not in visible_city_slugs():
        slug = ""
    return slug


class EditionMiddleware:
    """Sets ``request.edition`` (a visible City or None) and the ``X-Gazette-Edition`` header.

    The header carries the cookie's slug only when it names a visible city, else it is empty,
    so a stale or forged cookie cannot make caches keep extra copies of the front page; a
    response that varies on it says which edition it is (the response header of the same name)
    for the caches that key on the raw cookie (Varnish). The
    visible slugs come from the cache; the City row is loaded only when a view reads it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        slug = edition_slug(request)
        request.META[EDITION_META] = slug
        request.edition = SimpleLazyObject(lambda: _city(slug)) if slug else None
        response = self.get_response(request)
        if "x-gazette-edition" in response.get("Vary", "").lower():
            # The edition this page was made for: a cache keying it on the edition the request
            # named (Varnish) keeps it only when the two agree, so a made-up cookie value gets the
            # All Cities page and never a cached copy of its own.
            response["X-Gazette-Edition"] = slug
        return response
