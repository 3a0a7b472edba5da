"""The articles sitemap's pages, kept in a table so the index costs the same at any archive size.

Page ``n`` of the articles sitemap lists the live, public articles whose id lies in
``((n - 1) * size, n * size]`` (``size`` is :func:`gazette.seo.sitemaps.page_size`). Its row in
:class:`~gazette.seo.models.ArticleSitemapPage` holds how many articles it lists and its
``lastmod``: when the file last changed, the newest of its articles' last publication and the
last time an article entered it, left it (unpublished, deleted, made private) or changed
address. ``/sitemap.xml`` reads those rows with one query, where grouping every article into
pages reads the whole archive.

Each change to an article recounts only its own page (a range of the primary key's index, at
most ``size`` rows), with the page's row locked so two publications in one page are counted
one after the other. Writers that send no page signal (the WordPress importer's bulk path)
send :data:`gazette.articles.signals.articles_written` instead.

The table holds the pages of one page size: when ``GAZETTE_SITEMAP_PAGE_SIZE`` changes (or the
table is new), the first refresh or index read finds no row for the new size and rebuilds it
from the articles, once. ``manage.py rebuild_sitemap_pages`` rebuilds it on demand, after
writes that went around the app (SQL, scripts).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Count, F, Max, Value
from django.utils import timezone

from gazette.articles.models import ArticlePage
from gazette.core.privacy import public

from .models import ArticleSitemapPage


def listed_articles():
    """The articles the articles sitemap lists: live and public."""
    return public(ArticlePage.objects.live())


def page_of(pk: int, size: int) -> int:
    """The number of the articles sitemap page listing the article with id ``pk``."""
    return (pk - 1) // size + 1


def _newest(*moments: datetime | None) -> datetime | None:
    found = [m for m in moments if m is not None]
    return max(found) if found else None


def rebuild(size: int) -> int:
    """Count every page of ``size`` URLs from the articles themselves; returns the pages listed.

    Reads the whole archive once (one grouped query over the page table's narrow columns). The
    ``lastmod`` of each page is its newest article's last publication: nothing older is known.
    """
    from wagtail.models import Page

    grouped = (
        public(Page.objects.live())
        .type(ArticlePage)
        .order_by()
        .annotate(sitemap_page=(F("pk") - 1) / Value(size))
        .values("sitemap_page")
        .annotate(articles=Count("pk"), lastmod=Max("last_published_at"))
        .values_list("sitemap_page", "articles", "lastmod")
    )
    rows = [
        ArticleSitemapPage(page_size=size, number=int(page) + 1, articles=articles, lastmod=lastmod)
        for page, articles, lastmod in grouped
    ]
    with transaction.atomic():
        ArticleSitemapPage.objects.all().delete()
        ArticleSitemapPage.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def refresh(pks: Iterable[int], size: int) -> None:
    """Recount the pages listing the articles ``pks`` (as they are now: live or not, still there
    or deleted) and mark them changed now."""
    numbers = sorted({page_of(pk, size) for pk in pks})
    if not numbers:
        return
    now = timezone.now()
    with transaction.atomic():
        locked = {
            row.number: row
            for row in ArticleSitemapPage.objects.select_for_update().filter(page_size=size, number__in=numbers)
        }
        if not locked and not ArticleSitemapPage.objects.filter(page_size=size).exists():
            rebuild(size)  # built for another size, or never: count every page once
            return
        for number in numbers:
            counted = (
                listed_articles()
                .filter(pk__gt=(number - 1) * size, pk__lte=number * size)
                .aggregate(articles=Count("pk"), newest=Max("last_published_at"))
            )
            row = locked.get(number) or ArticleSitemapPage(page_size=size, number=number)
            row.articles = counted["articles"]
            row.lastmod = _newest(row.lastmod, counted["newest"], now)
            row.save()


def listed_pages(size: int) -> list[tuple[int, datetime | None]]:
    """Each page listing at least one article, with its ``lastmod``, in page order: one query
    (two, and a rebuild, the first time a page size is used on an archive with articles)."""
    rows = list(
        ArticleSitemapPage.objects.filter(page_size=size)
        .order_by("number")
        .values_list("number", "articles", "lastmod")
    )
    if not rows and listed_articles().exists():
        rebuild(size)
        return listed_pages(size)
    return [(number, lastmod) for number, articles, lastmod in rows if articles]
