"""Sitemap sections: what each lists, split into pages (never more than the protocol's 50,000 URLs).

``/sitemap.xml`` is an index over every section's pages (``/sitemap-<section>-<n>.xml``), each
page a range of primary keys, and a page reads its rows through the primary key's index. The
index reads the articles' pages and their ``lastmod`` from a table kept up to date as articles
change (:mod:`gazette.seo.article_pages`), the same at any archive size, and groups the other,
smaller sections' rows into pages with one query each.
Sections read only the columns they print (``values()``), a fixed number of queries per page
whatever its length: one for the rows, one for the pictures of all its articles.

Django's ``django.contrib.sitemaps`` views are not used: they take the host from the request
(canonical URLs here come from ``GAZETTE_BASE_URL``), render every section with one template,
and compute an index's ``lastmod`` by walking every item; the news and image extensions need
their own entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import InvalidPage
from django.db.models import Count, F, Max, Value
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site, get_page_models

from gazette.articles.models import ArticlePage, Contributor
from gazette.core.privacy import public

from . import article_pages
from .services import absolute_url, body_image_uses, iso

# The sitemap protocol's limit: at most 50,000 URLs in one file.
PROTOCOL_MAX_URLS = 50_000
# Smaller pages keep each response quick to build (a 50,000-URL page takes seconds).
DEFAULT_PAGE_SIZE = 2000
# Google News: articles published in the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


def page_size() -> int:
    """URLs per sitemap page: ``GAZETTE_SITEMAP_PAGE_SIZE``, never more than the protocol allows."""
    return min(int(getattr(settings, "GAZETTE_SITEMAP_PAGE_SIZE", DEFAULT_PAGE_SIZE)), PROTOCOL_MAX_URLS)


@dataclass
class ImageEntry:
    loc: str
    caption: str = ""
    title: str = ""


@dataclass
class UrlEntry:
    loc: str
    lastmod: str = ""
    images: list[ImageEntry] = field(default_factory=list)
    news_title: str = ""
    news_date: str = ""


class PagePaths:
    """Turns a page's ``url_path`` into its public path, as ``Page.get_url_parts`` does, without a query."""

    def __init__(self):
        self.roots = [(root.root_path, root.root_url) for root in Site.get_site_root_paths()]
        default = Site.objects.filter(is_default_site=True).first()
        self.root_path = default.root_page.url_path if default else "/"

    def path(self, url_path: str) -> str | None:
        if url_path.startswith(self.root_path):
            return url_path[len(self.root_path) - 1 :]
        return None


class Section:
    """One sitemap section: a queryset of rows in primary-key order, in pages of primary-key ranges.

    Page ``n`` holds the rows whose primary key lies in ``((n - 1) * size, n * size]``, ``size``
    being :func:`page_size`: at most ``size`` rows, found through the primary key's index, and a
    page's content changes only when one of its own rows does (a new article lands on the last
    page). Ranges with no row are not pages: the index leaves them out and they answer 404.
    """

    name = ""

    def rows(self):
        raise NotImplementedError

    def lastmod_field(self) -> str | None:
        return None

    def entries(self, rows: list[dict[str, Any]]) -> list[UrlEntry]:
        raise NotImplementedError

    def page_rows(self, number: int) -> list[dict[str, Any]]:
        """The rows of page ``number``; raises ``InvalidPage`` when it has none."""
        size = page_size()
        if number < 1:
            raise InvalidPage(number)
        found = list(self.rows().filter(pk__gt=(number - 1) * size, pk__lte=number * size).order_by("pk"))
        if not found:
            raise InvalidPage(number)
        return found

    def page_lastmods(self) -> list[tuple[int, str]]:
        """Each page's number and its newest ``lastmod`` ("" without one), in page order.

        One grouped query over the section's narrow columns (the small sections; the articles
        read a table instead): no row travels to Python and nothing is numbered or sorted but
        the pages themselves.
        """
        size, name = page_size(), self.lastmod_field()
        grouped = (
            self.rows()
            .order_by()
            .annotate(sitemap_page=(F("pk") - 1) / Value(size))
            .values("sitemap_page")
            .annotate(lastmod=Max(name) if name else Count("pk"))
            .order_by("sitemap_page")
            .values_list("sitemap_page", "lastmod")
        )
        return [(int(page) + 1, iso(lastmod) if name else "") for page, lastmod in grouped]


class ArticleSection(Section):
    """Every live, public article, oldest first (so a page's content only changes when edited)."""

    name = "articles"

    def rows(self):
        return (
            public(ArticlePage.objects.live())
            .order_by("pk")
            .values(
                "pk",
                "url_path",
                "title",
                "first_published_at",
                "last_published_at",
                "lead_image_id",
                "lead_caption",
                "body",
            )
        )

    def lastmod_field(self) -> str:
        return "last_published_at"

    def page_lastmods(self) -> list[tuple[int, str]]:
        """Read from the table of the articles sitemap's pages (:mod:`gazette.seo.article_pages`),
        one query whatever the archive's size."""
        return [(number, iso(lastmod)) for number, lastmod in article_pages.listed_pages(page_size())]

    def entries(self, rows: list[dict[str, Any]]) -> list[UrlEntry]:
        paths = PagePaths()
        uses: dict[int, list[tuple[int, str]]] = {}
        for row in rows:
            article_uses = [(row["lead_image_id"], row["lead_caption"])] if row["lead_image_id"] else []
            raw = row["body"].raw_data if row["body"] is not None else []
            article_uses.extend((image_id, caption) for image_id, caption, _credit in body_image_uses(raw))
            uses[row["pk"]] = article_uses
        image_ids = {image_id for article_uses in uses.values() for image_id, _ in article_uses}
        images = {
            image["pk"]: image
            for image in get_image_model()
            .objects.filter(pk__in=image_ids)
            .values("pk", "file", "title", "caption", "description")
        }
        entries = []
        for row in rows:
            path = paths.path(row["url_path"])
            if path is None:
                continue
            entry = UrlEntry(loc=absolute_url(path), lastmod=iso(row["last_published_at"]))
            seen: set[int] = set()
            for image_id, caption in uses[row["pk"]]:
                image = images.get(image_id)
                if image is None or image_id in seen:
                    continue
                seen.add(image_id)
                entry.images.append(
                    ImageEntry(
                        loc=absolute_url(media_url(image["file"])),
                        caption=caption or image["caption"],
                        title=image["description"] or image["title"],
                    )
                )
            self.decorate(entry, row)
            entries.append(entry)
        return entries

    def decorate(self, entry: UrlEntry, row: dict[str, Any]) -> None:
        """Hook for the news section."""


class NewsSection(ArticleSection):
    """Google News: articles first published in the last two days, newest first."""

    name = "news"

    def rows(self):
        since = timezone.now() - NEWS_WINDOW
        return super().rows().filter(first_published_at__gte=since).order_by("-first_published_at", "-pk")

    def page_rows(self, number: int) -> list[dict[str, Any]]:
        """One page, always there (``robots.txt`` names it), empty when nothing is that recent."""
        if number != 1:
            raise InvalidPage(number)
        return list(self.rows()[:NEWS_LIMIT])

    def page_lastmods(self) -> list[tuple[int, str]]:
        latest = self.rows().aggregate(latest=Max("last_published_at"))["latest"]
        return [(1, iso(latest))] if latest else []

    def decorate(self, entry: UrlEntry, row: dict[str, Any]) -> None:
        entry.news_title = row["title"]
        entry.news_date = iso(row["first_published_at"])


class PageSection(Section):
    """Every other live, public page: the front page, /news/, standard pages."""

    name = "pages"

    @staticmethod
    def page_types() -> list[int]:
        """The content types of every page model but articles (cached by Django after the first call)."""
        models = [model for model in get_page_models() if not issubclass(model, ArticlePage)]
        return sorted(ct.pk for ct in ContentType.objects.get_for_models(*models, for_concrete_models=False).values())

    def live_pages(self):
        return public(Page.objects.live()).filter(depth__gt=1)

    def rows(self):
        return (
            self.live_pages()
            .filter(content_type__in=self.page_types())
            .order_by("pk")
            .values("pk", "url_path", "last_published_at")
        )

    def lastmod_field(self) -> str:
        return "last_published_at"

    def page_lastmods(self) -> list[tuple[int, str]]:
        """One grouped query per page type, each read through the page table's content-type
        index: with all the types in one query (or "not an article") the database reads the
        whole page table, every article included, to find these few pages."""
        size, newest = page_size(), {}
        live = self.live_pages()
        for content_type in self.page_types():
            grouped = (
                live.filter(content_type_id=content_type)
                .order_by()
                .annotate(sitemap_page=(F("pk") - 1) / Value(size))
                .values("sitemap_page")
                .annotate(lastmod=Max("last_published_at"))
                .values_list("sitemap_page", "lastmod")
            )
            for page, lastmod in grouped:
                number = int(page) + 1
                if number not in newest or (lastmod and (not newest[number] or lastmod > newest[number])):
                    newest[number] = lastmod
        return [(number, iso(lastmod)) for number, lastmod in sorted(newest.items())]

    def entries(self, rows: list[dict[str, Any]]) -> list[UrlEntry]:
        paths = PagePaths()
        out = []
        for row in rows:
            path = paths.path(row["url_path"])
            if path is not None:
                out.append(UrlEntry(loc=absolute_url(path), lastmod=iso(row["last_published_at"])))
        return out


class ContributorSection(Section):
    """Contributors' pages (who wrote what: Google uses them to tell authors apart)."""

    name = "contributors"

    def rows(self):
        return Contributor.objects.order_by("pk").values("pk", "slug")

    def entries(self, rows: list[dict[str, Any]]) -> list[UrlEntry]:
        return [
            UrlEntry(loc=absolute_url(reverse("articles:contributor", kwargs={"slug": row["slug"]}))) for row in rows
        ]


class CitySection(Section):
    """City fronts (``cities:front``), listed when the site serves them."""

    name = "cities"

    def rows(self):
        from gazette.cities.models import City

        return City.objects.visible().order_by("pk").values("pk", "slug")

    def entries(self, rows: list[dict[str, Any]]) -> list[UrlEntry]:
        return [UrlEntry(loc=absolute_url(reverse("cities:front", kwargs={"slug": row["slug"]}))) for row in rows]

    @staticmethod
    def available() -> bool:
        try:
            reverse("cities:front", kwargs={"slug": "x"})
        except NoReverseMatch:
            return False
        return True


def media_url(name: str) -> str:
    return get_image_model()._meta.get_field("file").storage.url(name)


def sections() -> dict[str, Section]:
    """The sections in index order."""
    out: list[Section] = [PageSection(), ContributorSection()]
    if CitySection.available():
        out.append(CitySection())
    out += [NewsSection(), ArticleSection()]
    return {section.name: section for section in out}
