"""Readers' views: choosing an edition (the city fronts list articles: ``gazette.articles.views``)."""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from .middleware import EDITION_COOKIE
from .models import City

EDITION_COOKIE_AGE = 365 * 24 * 3600


@never_cache
def choose_edition(request):
    """Remember the reader's city (``?city=<slug>``) or forget it (``?city=``), then go back.

    A plain GET link from the masthead, so it works without JavaScript; it only sets a
    preference cookie. Goes to ``next`` when that is a local URL, else to the front page.
    """
    slug = request.GET.get("city", "")
    city = City.objects.visible().filter(slug=slug).first() if slug else None
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    response = HttpResponseRedirect(target)
    if city is None:
        response.delete_cookie(EDITION_COOKIE, samesite="Lax")
    else:
        response.set_cookie(
            EDITION_COOKIE,
            city.slug,
            max_age=EDITION_COOKIE_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    return response
