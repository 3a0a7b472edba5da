"""The one path by which anything that changes what a page shows tells the caches.

Pages declare what they depend on as *cache tags*; events that change content call
:func:`purge_tags` with the tags they affect. Receivers of :data:`tags_purged` (the full-page
cache, the frontend-cache purger, fragment caches) drop exactly the pages carrying those tags.

Tag vocabulary (keep to it so producers and consumers agree):

``article:<page pk>``      an article page (its HTML, including its comments)
``front``                  the front page and the /news/ listing
``city:<slug>``            a city edition's front page and feeds
``contributor:<pk>``       a contributor's page and feeds
``feeds``                  every feed
``sitemaps``               every sitemap
``rates``                  anything showing the exchange-rate widget or the rates page
``cities``                 anything listing the cities (the masthead selector, the editions page)
``masthead``               the masthead (teaser quotation)
``comment-settings``       every comments section (the site's comment rules)
``sites``                  the cached sites and routes (``gazette.core.routing``)
"""

from collections.abc import Iterable
from datetime import datetime

from django.dispatch import Signal
from django.http import HttpRequest

# Sent with ``tags=frozenset[str]`` after the transaction that changed the content commits.
tags_purged = Signal()


def purge_tags(tags: Iterable[str]) -> frozenset[str]:
    """Invalidate every cached page or fragment carrying any of ``tags``; returns the tags.

    Runs after the surrounding transaction commits, so a reader who requests the page right
    after the purge sees the committed change, never the old content re-cached.
    """
    from django.db import transaction

    tags = frozenset(t for t in tags if t)
    if tags:
        transaction.on_commit(lambda: tags_purged.send(sender=None, tags=tags))
    return tags


def add_cache_tags(request: HttpRequest, *tags: str) -> None:
    """Record that the response to ``request`` depends on ``tags`` (views and templates call it).

    Does nothing for a request marked with :func:`never_tag` (a page behind a view restriction):
    a response without tags is never stored by the page cache, nor are its fragments.
    """
    if getattr(request, "cache_tags_refused", False):
        return
    existing = getattr(request, "cache_tags", None)
    if existing is None:
        existing = set()
        request.cache_tags = existing
    existing.update(t for t in tags if t)


def add_cache_expiry(request: HttpRequest, when: datetime | float) -> None:
    """Record that the response to ``request`` changes by itself at ``when`` (no event purges it).

    For what time alone changes: the rates table that comes into force at Moscow midnight, an
    article's comments closing N days after publication. The page cache, the fragments and the
    CDN headers keep such a response only until then. The earliest moment declared wins.
    """
    if getattr(request, "cache_tags_refused", False):
        return
    moment = when.timestamp() if isinstance(when, datetime) else float(when)
    current = getattr(request, "cache_expires_at", None)
    if current is None or moment < current:
        request.cache_expires_at = moment


def never_tag(request: HttpRequest) -> None:
    """Keep the response to ``request`` out of every cache, whatever its templates declare."""
    request.cache_tags_refused = True
    request.cache_tags = set()


def article_tags(article) -> set[str]:
    """Everything an article's publication, edit or removal affects."""
    tags = {f"article:{article.pk}", "front", "feeds", "sitemaps"}
    tags.update(f"city:{city.slug}" for city in article.cities.all())
    tags.update(f"contributor:{b.contributor_id}" for b in article.bylines.all())
    return tags


def articles_tags(articles) -> set[str]:
    """Everything a change shown on each of ``articles`` (a queryset of article pages) affects."""
    tags: set[str] = set()
    for article in articles.prefetch_related("bylines", "cities"):
        tags |= article_tags(article)
    return tags
