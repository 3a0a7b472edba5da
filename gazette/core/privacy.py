"""Which pages are public, found at a cost of the number of private sections, not of pages.

Wagtail's ``PageQuerySet.public()`` finds the private sections by joining every view
restriction to its page. With few or no restrictions (most sites) and statistics that know the
page table's size but nothing of the empty restriction table, SQLite's planner walks the whole
page table for that join, in every query asking for public pages: a cost that grows with the
archive. :func:`public` reads the restricted pages' ids first, then those pages by key: the
listings (``ArticlePageQuerySet.for_listing``), feeds and sitemaps use it.
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction


def private_q() -> Q:
    """Pages in a private section (a restricted page and everything below it)."""
    restricted = list(PageViewRestriction.objects.values_list("page_id", flat=True))
    q = Q()
    if restricted:
        for path, depth in Page.objects.filter(pk__in=restricted).values_list("path", "depth"):
            q |= Q(path__startswith=path, depth__gte=depth)
    return q if q else Q(pk__in=[])


def public(queryset):
    """``queryset`` without the pages of private sections, as Wagtail's ``public()`` gives it."""
    return queryset.exclude(private_q())
