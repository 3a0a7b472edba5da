"""Readers' listings: a contributor's page, a city edition's front and the editions page."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, render

from gazette.cities.models import City
from gazette.core import tags
from gazette.core.invalidation import add_cache_tags
from gazette.core.privacy import public

from .models import ARTICLES_PER_PAGE, ArticlePage, Contributor
from .pagination import listing_page


def _page_of(request, articles):
    """The page of ``articles`` the request asks for (``?page=``), ARTICLES_PER_PAGE to a page."""
    return listing_page(articles, request.GET.get("page"), ARTICLES_PER_PAGE)


def contributor_detail(request, slug):
    """A contributor's page: who they are and every article they have a byline on.

    Their bylines are read through the byline table's contributor index and only those stories
    sorted: one person's share of the archive, where reading the whole archive newest first (as
    :meth:`ArticlePageQuerySet.in_city` does for a city's large share) could walk all of it.
    """
    contributor = get_object_or_404(Contributor.objects.select_related("photo"), slug=slug)
    add_cache_tags(request, tags.contributor(contributor.pk))
    articles = ArticlePage.objects.for_listing().filter(bylines__contributor=contributor)
    return render(
        request, "articles/contributor.html", {"contributor": contributor, "articles": _page_of(request, articles)}
    )


def city_front(request, slug):
    """A city edition's own front page: its stories, newest first, paginated."""
    city = get_object_or_404(City.objects.visible(), slug=slug)
    articles = ArticlePage.objects.for_listing().in_city(city)
    add_cache_tags(request, tags.city(city.slug), tags.cities())
    return render(
        request,
        "articles/city_front.html",
        {"city": city, "edition": city, "edition_page": True, "articles": _page_of(request, articles)},
    )


def city_index(request):
    """Every edition with its number of stories and its latest story."""
    live = public(ArticlePage.objects.live())
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
    return render(request, "articles/city_index.html", {"cities": cities})
