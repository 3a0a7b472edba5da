"""The masthead's edition selector and the ``<link rel="alternate">`` tags for feeds."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from gazette.articles.feeds import feed_links as feed_link_list
from gazette.core.caching import cached_fragment
from gazette.core.invalidation import add_cache_tags

from ..models import City

register = template.Library()


@register.simple_tag(takes_context=True)
def edition_selector(context):
    """Plain links to every visible city (works without JavaScript).

    Only pages whose content depends on the edition (the front page, a city front) say which
    edition is shown: they put ``edition_page`` (and ``edition``) in their context. Every
    other page is one cached copy for all readers, so it must not print the reader's choice.
    Every page showing the selector depends on the list of cities: tag ``cities``. Its HTML is
    built once per change of the cities, per edition shown.
    """
    request = context.get("request")
    if request is not None:
        add_cache_tags(request, "cities")
    edition_page = bool(context.get("edition_page", False))
    edition = context.get("edition") if edition_page else None

    def build() -> str:
        return render_to_string(
            "cities/edition_selector.html",
            {"cities": list(City.objects.visible()), "edition_page": edition_page, "edition": edition},
        )

    slug = getattr(edition, "slug", "") or ""
    return mark_safe(cached_fragment(f"edition-selector:{int(edition_page)}:{slug}", {"cities"}, build))  # noqa: S308


@register.inclusion_tag("cities/feed_links.html")
def feed_links(kind="site", obj=None):
    """``<link rel="alternate">`` for the RSS and Atom feeds of the site, a city or a contributor."""
    return {"links": feed_link_list(kind, obj)}
