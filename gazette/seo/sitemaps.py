"""Sitemap sections: what each lists, in pages small enough to build quickly from an archive of any size.

``/sitemap.xml`` is an index over every section's pages (``/sitemap-<section>-<n>.xml``).
Sections read only the columns they print (``values()``), a fixed number of queries per page
whatever its length: one for the rows, one for the pictures of all its articles.

Django's ``django.contrib.sitemaps`` views are not used: they take the host from the request
(canonical URLs here come from ``GAZETTE_BASE_URL``), render every section with one template,
and compute an index's ``lastmod`` by walking every item; the news and image extensions need
their own entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import DateTimeField, F, Max, Window
from django.db.models.functions import RowNumber
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from gazette.articles.models import ArticlePage, Contributor

from .services import absolute_url, body_image_uses, iso

# Google reads up to 50,000 URLs per file; smaller pages keep each response quick to build.
DEFAULT_PAGE_SIZE = 2000
# Google News: articles published in the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


def page_size() -> int:
    return int(getattr(settings, "GAZETTE_SITEMAP_PAGE_SIZE", DEFAULT_PAGE_SIZE))


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
    """One sitemap section: a queryset of rows, paginated; subclasses turn a page of rows into entries."""

    name = ""

    def rows(self):
        raise NotImplementedError

    def lastmod_field(self) -> str | None:
        return None

    def entries(self, rows: list[dict[str, Any]]) -> list[UrlEntry]:
        raise NotImplementedError

    def paginator(self) -> Paginator:
        return Paginator(self.rows(), page_size())

    def page_lastmods(self) -> list[str]:
        """The newest ``lastmod`` of each page, in page order: one grouped query, whatever the archive's size.

        Each row is numbered in the section's order; the database groups the numbers by page and
        returns one maximum per page, so no row travels to Python.
        """
        size, name = page_size(), self.lastmod_field()
        if name is None:
            return [""] * self.paginator().num_pages
        rows = self.rows()
        ordering = [F(o[1:]).desc() if o.startswith("-") else F(o).asc() for o in rows.query.order_by]
        numbered = (
            rows.order_by()
            .annotate(sitemap_row=Window(RowNumber(), order_by=ordering))
            .values_list("sitemap_row", name)
        )
        sql, params = numbered.query.sql_with_params()
        column = connection.ops.quote_name(name)
        grouped = (
            # Only Django's compiled SQL and a quoted model field name are interpolated; values are parameters.
            f"SELECT (sitemap_row - 1) / %s AS sitemap_page, MAX({column}) FROM ({sql}) numbered"  # noqa: S608
            " GROUP BY sitemap_page ORDER BY sitemap_page"
        )
        with connection.cursor() as cursor:
            cursor.execute(grouped, (size, *params))
            found = dict(cursor.fetchall())
        pages = max(found, default=0) + 1
        return [iso(_aware(found.get(page))) for page in range(pages)]


def _aware(value):
    """A raw ``MAX()`` of a datetime column: SQLite gives text in UTC, PostgreSQL a datetime."""
    if value is None:
        return None
    value = DateTimeField().to_python(value)
    if settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


class ArticleSection(Section):
    """Every live, public article, oldest first (so a page's content only changes when edited)."""

    name = "articles"

    def rows(self):
        return (
            ArticlePage.objects.live()
            .public()
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

    def paginator(self) -> Paginator:
        rows = list(self.rows()[:NEWS_LIMIT])
        return Paginator(rows, NEWS_LIMIT)

    def page_lastmods(self) -> list[str]:
        latest = self.rows().aggregate(latest=Max("last_published_at"))["latest"]
        return [iso(latest)]

    def decorate(self, entry: UrlEntry, row: dict[str, Any]) -> None:
        entry.news_title = row["title"]
        entry.news_date = iso(row["first_published_at"])


class PageSection(Section):
    """Every other live, public page: the front page, /news/, standard pages."""

    name = "pages"

    def rows(self):
        return (
            Page.objects.live()
            .public()
            .filter(depth__gt=1)
            .not_type(ArticlePage)
            .order_by("path")
            .values("pk", "url_path", "last_published_at")
        )

    def lastmod_field(self) -> str:
        return "last_published_at"

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
