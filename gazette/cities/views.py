"""Readers' views: choosing an edition, a city's front page, the editions overview."""

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from gazette.articles.models import ARTICLES_PER_PAGE, ArticlePage
from gazette.core import tags
from gazette.core.invalidation import add_cache_tags

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


def city_front(request, slug):
    """A city edition's own front page: its stories, newest first, paginated."""
    city = get_object_or_404(City.objects.visible(), slug=slug)
    articles = ArticlePage.objects.for_listing().filter(cities=city)
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    add_cache_tags(request, tags.city(city.slug), tags.cities())
    return render(
        request, "cities/city_front.html", {"city": city, "edition": city, "edition_page": True, "articles": page}
    )


def city_index(request):
    """Every edition with its number of stories and its latest story."""
    live = ArticlePage.objects.live().public()
    latest = live.filter(cities=OuterRef("pk")).order_by("-first_published_at", "-pk").values("pk")[:1]
    cities = list(
        City.objects.visible()
        .annotate(
            story_count=Count("articles", filter=Q(articles__in=live), distinct=True),
            latest_pk=Subquery(latest),
        )
        .order_by("sort_order", "name")
    )
    latest_pages = ArticlePage.objects.for_listing().in_bulk([c.latest_pk for c in cities if c.latest_pk])
    for city in cities:
        city.latest_story = latest_pages.get(city.latest_pk)
    add_cache_tags(request, tags.cities(), *(tags.city(c.slug) for c in cities))
    return render(request, "cities/city_index.html", {"cities": cities})
