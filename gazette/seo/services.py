"""What search engines and social networks read: absolute URLs, image credits, JSON-LD, meta tags.

Every absolute URL Gazette publishes (canonical links, Open Graph, JSON-LD, sitemaps, robots.txt)
is built from the configured public base URL (``GAZETTE_BASE_URL``, which also feeds
``WAGTAILADMIN_BASE_URL``), never from the request's Host header: a canonical link must not
change with the name a crawler happened to use, and a cached page must be the same for everyone.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy

from gazette.core.caching import page_number_key
from gazette.images.credits import credit_name

logger = logging.getLogger(__name__)

# One rendition every article page already has (gazette.images.renditions warms it on publish):
# 1280 px wide is above the 1200 px Google asks for in article images and large previews.
PREVIEW_SPEC = "width-1280|format-jpeg"
DESCRIPTION_LENGTH = 160
DEFAULT_DESCRIPTION = gettext_lazy("Regional news from Siberia's cities.")

# The characters that could end a <script> element or start an HTML comment inside it, written as
# JSON escapes: the data parses to the same value and cannot break out (what json_script does).
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def base_url() -> str:
    """The site's public origin without a trailing slash, e.g. ``https://news.example.org``."""
    url = getattr(settings, "GAZETTE_BASE_URL", None) or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    return (url or "http://localhost").rstrip("/")


def absolute_url(path_or_url: str) -> str:
    """``path_or_url`` made absolute against :func:`base_url` (absolute URLs pass through)."""
    if urlsplit(path_or_url).scheme:
        return path_or_url
    return urljoin(base_url() + "/", path_or_url)


def site_name(request=None) -> str:
    """The Wagtail site's name (what the masthead shows), else ``WAGTAIL_SITE_NAME``."""
    if request is not None:
        from wagtail.models import Site

        from gazette.core import tags
        from gazette.core.invalidation import add_cache_tags

        add_cache_tags(request, tags.sites())  # renaming the site purges what printed its name
        site = Site.find_for_request(request)
        if site is not None and site.site_name:
            return site.site_name
    return getattr(settings, "WAGTAIL_SITE_NAME", "") or gettext("The Siberian Gazette")


def language_code() -> str:
    """The ISO 639 code of the site's language (``en`` for ``en-gb``), as Google News wants it."""
    return settings.LANGUAGE_CODE.split("-")[0].lower()


def publisher_logo_url() -> str:
    return absolute_url(static(getattr(settings, "GAZETTE_PUBLISHER_LOGO", "seo/publisher-logo.png")))


def iso(value) -> str:
    """A datetime in the site's zone, W3C format (what sitemaps and schema.org expect)."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def plain_text(html: str, length: int = DESCRIPTION_LENGTH) -> str:
    """Visible text of ``html`` on one line, cut at a word boundary to ``length`` characters."""
    text = " ".join(strip_tags(html or "").split())
    return Truncator(text).chars(length)


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """``<script type="application/ld+json">`` whose content cannot close the element early."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above


@dataclass(frozen=True)
class CreditedImage:
    """A picture as one article uses it: the caption and credit shown under it there."""

    image: Any
    caption: str
    credit: str


def _raw_list_ids(items) -> list[int]:
    """Image ids of a ListBlock's raw value (``[{"type": "item", "value": id}]`` or bare ids)."""
    ids = []
    for item in items or []:
        value = item.get("value") if isinstance(item, dict) else item
        if isinstance(value, int):
            ids.append(value)
    return ids


def body_image_uses(raw_body: Iterable[dict]) -> Iterator[tuple[int, str, str]]:
    """``(image id, caption, credit)`` for each picture in a body's raw StreamField data.

    Works on the raw JSON so sitemaps can list thousands of articles' pictures without building
    block values (and without one query per image). Empty caption/credit means "the image's own".
    """
    for block in raw_body or []:
        kind, value = block.get("type"), block.get("value") or {}
        if kind in ("image", "document") and isinstance(value.get("image"), int):
            yield value["image"], value.get("caption") or "", value.get("credit") or ""
        elif kind == "image_group":
            for image_id in _raw_list_ids(value.get("images")):
                yield image_id, value.get("caption") or "", value.get("credit") or ""


def article_images(page) -> list[CreditedImage]:
    """The article's pictures in reading order, each once, with the caption and credit it carries."""
    uses: list[tuple[Any, str, str]] = []
    if page.lead_image:
        uses.append((page.lead_image, page.lead_caption_text, page.lead_credit_text))
    for block in page.body:
        value = block.value
        if block.block_type in ("image", "document"):
            uses.append((value["image"], value.get("caption") or "", value.get("credit") or ""))
        elif block.block_type == "image_group":
            uses.extend((image, value.get("caption") or "", value.get("credit") or "") for image in value["images"])
    seen: set[int] = set()
    out: list[CreditedImage] = []
    for image, caption, credit in uses:
        if image is None or image.pk in seen:
            continue
        seen.add(image.pk)
        out.append(CreditedImage(image, caption or image.caption, credit or image.credit))
    return out


def preview_rendition(image):
    """The preview-size rendition, or None when the picture's file is missing or unreadable:
    a broken picture must cost the page its preview image, not the whole page."""
    try:
        return image.get_rendition(PREVIEW_SPEC)
    except OSError:  # Wagtail raises SourceImageIOError, an OSError, for a missing file
        logger.warning("No preview rendition for image %s", image.pk, exc_info=True)
        return None


def image_object(use: CreditedImage) -> dict[str, Any] | None:
    """schema.org ImageObject with the credit Google shows next to the picture."""
    rendition = preview_rendition(use.image)
    if rendition is None:
        return None
    data: dict[str, Any] = {
        "@type": "ImageObject",
        "url": absolute_url(rendition.url),
        "contentUrl": absolute_url(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
    }
    if use.caption:
        data["caption"] = use.caption
    if use.credit:
        # The credit names who made or holds the picture; it is also the copyright holder's name.
        data["creditText"] = data["copyrightNotice"] = credit_name(use.credit)
    return data


def person(contributor) -> dict[str, Any]:
    data = {
        "@type": "Person",
        "name": contributor.name,
        "url": absolute_url(contributor.get_absolute_url()),
    }
    role = contributor.get_role_display()
    if role:
        data["jobTitle"] = role
    return data


def place(city) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Place", "name": city.display_name}
    if city.region:
        data["address"] = {"@type": "PostalAddress", "addressLocality": city.display_name, "addressRegion": city.region}
    if city.latitude is not None and city.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": float(city.latitude), "longitude": float(city.longitude)}
    return data


def publisher(request=None) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": site_name(request),
        "url": base_url() + "/",
        "logo": {"@type": "ImageObject", "url": publisher_logo_url()},
    }


def page_url(page, request=None) -> str:
    return absolute_url(page.get_url(request=request) or page.url_path)


def news_article(page, request=None, url: str = "") -> dict[str, Any]:
    """schema.org ``NewsArticle`` for an article: every co-author, credited pictures, its cities.
    ``url``: the article's absolute address, when the caller has it already."""
    url = url or page_url(page, request)
    modified = page.updated_at or page.last_published_at or page.published_at
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url + "#article",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": page.title,
        "description": page.search_description or page.standfirst,
        "datePublished": iso(page.published_at),
        "dateModified": iso(max(modified, page.published_at)),
        "inLanguage": getattr(page, "language", "") or settings.LANGUAGE_CODE,
        "isAccessibleForFree": True,
        "author": [person(c) for c in page.contributors],
        "publisher": publisher(request),
    }
    images = [data for data in map(image_object, article_images(page)) if data is not None]
    if images:
        data["image"] = images
    cities = page.city_list
    if cities:
        data["contentLocation"] = [place(city) for city in cities]
    topics = page.topic_list
    if topics:
        data["keywords"] = [topic.name for topic in topics]
    return data


@dataclass
class PageMeta:
    """Everything ``seo/head.html`` prints for one page."""

    title: str
    description: str
    site_name: str
    canonical: str
    og_type: str = "website"
    image_url: str = ""
    image_width: int | None = None
    image_height: int | None = None
    image_alt: str = ""
    robots: str = ""
    published: str = ""
    modified: str = ""
    authors: tuple[str, ...] = ()
    json_ld: SafeString | str = ""


def _first(*values) -> str:
    for value in values:
        if value:
            return str(value)
    return ""


def _canonical(request, url: str = "") -> str:
    """``url`` (default: the request's path), keeping only the request's ``page`` parameter:
    a listing's page N is a page of its own, while tracking or notice parameters are not.

    Only what keys the cached ``<head>`` counts (:func:`gazette.core.caching.page_number_key`):
    anything else shares the first page's head, so it must not print itself there."""
    if request is None:
        return absolute_url(url or "/")
    url = absolute_url(url or request.path)
    number = page_number_key(request.GET.get("page"))
    if number and number != "1":
        url += f"?page={number}"
    return url


def _description_of(page) -> str:
    if page is None:
        return ""
    body = getattr(page, "body", None)
    return _first(
        getattr(page, "search_description", ""),
        getattr(page, "standfirst", ""),
        getattr(page, "intro", ""),
        plain_text(body) if isinstance(body, str) else "",
    )


def page_meta(context, title: str = "", description: str = "") -> PageMeta:
    """The meta tags for the page being rendered, from its template context.

    ``title`` and ``description`` are what the page's template says in its ``title`` and
    ``meta_description`` blocks. Any view can set these context variables, which win over
    everything: ``seo_title``,
    ``meta_description``, ``canonical_url``, ``og_type``, ``seo_image`` (a Gazette image),
    ``robots`` (e.g. ``"noindex"``). Wagtail pages (``page``) supply their own title,
    search description or standfirst, and image; ``contributor`` and ``city`` objects in the
    context (the contributor and city-front views) are described too.
    """
    request = context.get("request")
    page = context.get("page")
    page = getattr(page, "specific", page) if page is not None and hasattr(page, "get_url") else None
    contributor = context.get("contributor")
    city = context.get("city")

    title = _first(
        context.get("seo_title"),
        title,
        getattr(page, "seo_title", ""),
        getattr(page, "title", ""),
        getattr(contributor, "name", ""),
        getattr(city, "name", ""),
        site_name(request),
    )
    description = _first(
        context.get("meta_description"),
        description,
        _description_of(page),
        contributor
        and gettext("Stories by %(name)s, %(role)s.")
        % {"name": contributor.name, "role": contributor.get_role_display().lower()},
        city and gettext("News from %(city)s.") % {"city": city.display_name},
        getattr(settings, "GAZETTE_DEFAULT_DESCRIPTION", DEFAULT_DESCRIPTION),
    )
    url = page_url(page, request) if page is not None and page.live else ""
    canonical = context.get("canonical_url") or _canonical(request, url)
    meta = PageMeta(
        title=title,
        description=plain_text(description),
        site_name=site_name(request),
        canonical=absolute_url(canonical),
        og_type=context.get("og_type") or "website",
        robots=context.get("robots") or "",
    )
    image = context.get("seo_image") or getattr(page, "lead_image", None) or getattr(contributor, "photo", None)
    image_alt = ""
    rendition = preview_rendition(image) if image is not None else None
    if rendition is not None:
        meta.image_url, meta.image_width, meta.image_height = (
            absolute_url(rendition.url),
            rendition.width,
            rendition.height,
        )
        image_alt = image.default_alt_text
    meta.image_alt = image_alt

    from gazette.articles.models import ArticlePage

    if isinstance(page, ArticlePage):
        meta.og_type = "article"
        meta.published = iso(page.published_at)
        meta.modified = iso(page.updated_at or page.last_published_at)
        meta.authors = tuple(absolute_url(c.get_absolute_url()) for c in page.contributors)
        meta.json_ld = json_ld_script(news_article(page, request, url))
    return meta
