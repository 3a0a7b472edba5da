"""Cache tags: the names by which a page declares what it shows, and a change purges it.

Every tag is built here and nowhere else, so the producers of tags (views, templates, the
fragments) and the purges (each app's ``purges.py``) cannot drift apart by a spelling::

    from gazette.core import tags

    add_cache_tags(request, tags.article(page.pk), tags.front())
    purge_tags({tags.city(city.slug), tags.cities()})

A tag is a short ASCII word (``[A-Za-z0-9:_-]``), which Varnish's ``xkey``, Fastly's
``Surrogate-Key`` and Cloudflare's ``Cache-Tag`` all accept as they are.

What each tag stands for:

``page(pk)``          any Wagtail page (its HTML and its remembered route)
``article(pk)``       an article page (its HTML, its comments) and what quotes it (the masthead teaser)
``front()``           the front page and the /news/ listing
``city(slug)``        a city edition's front page and feeds
``contributor(pk)``   a contributor's page and feeds
``feeds()``           every feed
``sitemaps()``        every sitemap
``rates()``           anything showing the exchange-rate widget or the rates pages
``cities()``          anything listing the cities (the masthead's selector, the editions page)
``masthead()``        the masthead (the teaser quotation)
``comment_settings()`` every comments section (the site's comment rules)
``sites()``           the cached sites and routes, and what prints the site's name
"""

from __future__ import annotations

import re

# What a tag may hold: the frontend caches' header syntax, and never a regular expression.
TAG_RE = re.compile(r"^[A-Za-z0-9:_-]+$")


def _keyed(kind: str, key: int | str) -> str:
    key = str(key)
    if not key or not TAG_RE.match(key):
        raise ValueError(f"not a cache-tag key for {kind}: {key!r}")
    return f"{kind}:{key}"


def page(pk: int) -> str:
    return _keyed("page", pk)


def article(pk: int) -> str:
    return _keyed("article", pk)


def city(slug: str) -> str:
    return _keyed("city", slug)


def contributor(pk: int) -> str:
    return _keyed("contributor", pk)


def front() -> str:
    return "front"


def feeds() -> str:
    return "feeds"


def sitemaps() -> str:
    return "sitemaps"


def rates() -> str:
    return "rates"


def cities() -> str:
    return "cities"


def masthead() -> str:
    return "masthead"


def comment_settings() -> str:
    return "comment-settings"


def sites() -> str:
    return "sites"
