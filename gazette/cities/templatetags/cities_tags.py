"""The masthead's edition selector."""

from django import template

from gazette.core import sitewide, tags
from gazette.core.invalidation import add_cache_tags

from ..models import City

register = template.Library()


@register.inclusion_tag("cities/edition_selector.html", takes_context=True)
def edition_selector(context):
    """Plain links to every visible city (works without JavaScript).

    Only pages whose content depends on the edition (the front page, a city front) say which
    edition is shown: they put ``edition_page`` (and ``edition``) in their context. Every
    other page is one cached copy for all readers, so it must not print the reader's choice.
    Every page showing the selector depends on the list of cities: tag ``cities``. The list is
    kept by :mod:`gazette.core.sitewide` (the fragment cache keeps the whole masthead too).
    """
    request = context.get("request")
    if request is not None:
        add_cache_tags(request, tags.cities())
    # One tuple shared by every request of the process (the template only reads it): copying
    # the cities for each page cost more than reading them from the database.
    cities = sitewide.memoised("visible-cities", lambda: tuple(City.objects.visible()))
    return {
        "cities": cities,
        "edition_page": context.get("edition_page", False),
        "edition": context.get("edition"),
    }
