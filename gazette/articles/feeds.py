"""RSS 2.0 and Atom feeds for the whole site, each city edition and each contributor.

What peers get wrong and these feeds do not:

- every co-author is named: one ``dc:creator`` per author in RSS, one ``<author>`` (name and
  page URL) per author in Atom, in byline order;
- the lead picture travels with the story: an RSS ``enclosure`` / Atom ``link rel=enclosure``
  (with its byte length) and a Media RSS ``media:content`` carrying the caption
  (``media:description``) and the credit (``media:credit``);
- the summary is the whole standfirst, never a truncated excerpt;
- dates are time-zone aware, written in the site's zone with its offset;
- ids are ``tag:`` URIs built from the site's host, the first publication date and the page id,
  so renaming a story's slug never makes readers see it twice;
- each story carries its count of published reader comments, replies included (RSS
  ``slash:comments``, Atom ``thr:total`` of RFC 4685), when an app above articles registers a
  counter (:func:`register_comment_counter`; the comments app does);
- a story in another language than the feed's says so: ``xml:lang`` on its Atom ``<entry>``
  (RFC 4287 allows it on any element), ``<dc:language>`` in its RSS ``<item>`` (RSS 2.0 has a
  ``<language>`` for the channel only; Dublin Core's element is the usual extension).

Feeds carry the cache tags ``feeds`` plus ``city:<slug>`` or ``contributor:<pk>``, and each
listed article's tag when comments are counted (a comment published changes the count).
"""

from collections.abc import Callable

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext, gettext_lazy
from wagtail.models import Site

from gazette.cities.models import City
from gazette.core import tags
from gazette.core.invalidation import add_cache_tags
from gazette.images.credits import credit_name

from .models import ArticlePage, Contributor

FEED_LENGTH = 30
# The picture sent to feed readers: a JPEG every reader shows, one of the renditions already
# made when the article was published (gazette/images/renditions.py), so feeds make none.
FEED_RENDITION = "width-960|format-jpeg"
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"
SLASH_NS = "http://purl.org/rss/1.0/modules/slash/"
THREAD_NS = "http://purl.org/syndication/thread/1.0"

# Counts each listed story's reader comments: given the articles' ids, {id: count}. Articles know
# nothing of comments (they sit above), so the comments app registers it.
_comment_counter: Callable[[list[int]], dict[int, int]] | None = None


def register_comment_counter(counter: Callable[[list[int]], dict[int, int]]) -> None:
    """Make the feeds give each story the count ``counter`` returns for it (one call per feed)."""
    global _comment_counter  # one registration, at app start
    _comment_counter = counter


def _add_media(handler, item) -> None:
    """``media:content`` with the picture's size, caption and credit (Media RSS)."""
    picture = item.get("picture")
    if not picture:
        return
    handler.startElement(
        "media:content",
        {
            "url": picture["url"],
            "type": "image/jpeg",
            "medium": "image",
            "fileSize": str(picture["length"]),
            "width": str(picture["width"]),
            "height": str(picture["height"]),
        },
    )
    if picture["caption"]:
        handler.addQuickElement("media:description", picture["caption"], {"type": "plain"})
    if picture["credit"]:
        handler.addQuickElement("media:credit", credit_name(picture["credit"]))
    handler.endElement("media:content")


def _item_language(feed, item) -> str | None:
    """The item's language when it differs from the feed's (``en`` on an ``en-gb`` feed does not)."""
    language = item.get("language")
    feed_language = (feed.feed.get("language") or "").lower()
    if not language or feed_language.split("-")[0] == language.lower().split("-")[0]:
        return None
    return language


class GazetteRssFeed(Rss201rev2Feed):
    """RSS 2.0 with a ``dc:creator`` per co-author and Media RSS pictures."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DC_NS, "xmlns:media": MEDIA_NS, "xmlns:slash": SLASH_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item.get("authors", []):
            handler.addQuickElement("dc:creator", author["name"])
        language = _item_language(self, item)
        if language:
            handler.addQuickElement("dc:language", language)
        if item.get("comment_count") is not None:
            handler.addQuickElement("comments", item["link"] + "#comments")
            handler.addQuickElement("slash:comments", str(item["comment_count"]))
        _add_media(handler, item)


class GazetteAtomFeed(Atom1Feed):
    """Atom with an ``<author>`` per co-author and Media RSS pictures."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS, "xmlns:thr": THREAD_NS}

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        language = _item_language(self, item)
        if language:
            attributes["xml:lang"] = language
        return attributes

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item.get("authors", []):
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            handler.addQuickElement("uri", author["uri"])
            handler.endElement("author")
        if item.get("comment_count") is not None:
            handler.addQuickElement("thr:total", str(item["comment_count"]))
        _add_media(handler, item)


class ArticleFeed(Feed):
    """The site's newest stories; subclasses narrow them to a city or a contributor."""

    feed_type = GazetteRssFeed
    description = gettext_lazy("The latest stories from Siberia's cities.")

    @classmethod
    def as_view(cls):
        """A view making a fresh feed per request: the feed keeps the request on ``self``."""

        def view(request, *args, **kwargs):
            return cls()(request, *args, **kwargs)

        view.__name__ = view.__qualname__ = cls.__name__
        return view

    def __call__(self, request, *args, **kwargs):
        self.request = request
        self.site = Site.find_for_request(request)
        response = super().__call__(request, *args, **kwargs)
        add_cache_tags(request, tags.feeds(), *self.cache_tags(getattr(self, "object", None)))
        return response

    def get_object(self, request, *args, **kwargs):
        self.object = None
        return None

    def cache_tags(self, obj) -> list[str]:
        return []

    @property
    def site_name(self) -> str:
        return (self.site.site_name if self.site else "") or gettext("The Siberian Gazette")

    def title(self, obj):
        return self.site_name

    def link(self, obj):
        return "/"

    def feed_copyright(self, obj):
        return f"© {timezone.localtime().year} {self.site_name}"

    def article_queryset(self, obj):
        return ArticlePage.objects.for_listing()

    def items(self, obj):
        articles = list(self.article_queryset(obj)[:FEED_LENGTH])
        self.comment_counts = None
        if _comment_counter is not None:
            self.comment_counts = _comment_counter([a.pk for a in articles])
            add_cache_tags(self.request, *(tags.article(a.pk) for a in articles))
        return articles

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Both formats treat the summary as HTML; the standfirst is plain text, so escape it.
        return escape(item.standfirst)

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_guid(self, item):
        host = self.site.hostname if self.site else self.request.get_host().split(":")[0]
        return f"tag:{host},{timezone.localtime(item.published_at):%Y-%m-%d}:/article/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item):
        return timezone.localtime(item.updated_at or item.last_published_at or item.published_at)

    def item_categories(self, item):
        return [city.display_name for city in item.cities.all()]

    def _picture(self, item) -> dict | None:
        if not hasattr(item, "_feed_picture"):
            item._feed_picture = None
            if item.lead_image is not None:
                rendition = item.lead_image.get_rendition(FEED_RENDITION)
                item._feed_picture = {
                    "url": self.request.build_absolute_uri(rendition.url),
                    "length": rendition.file.size,
                    "width": rendition.width,
                    "height": rendition.height,
                    "caption": item.lead_caption_text,
                    "credit": item.lead_credit_text,
                }
        return item._feed_picture

    def item_enclosures(self, item):
        picture = self._picture(item)
        if picture is None:
            return []
        return [Enclosure(picture["url"], str(picture["length"]), "image/jpeg")]

    def item_extra_kwargs(self, item):
        authors = [
            {"name": c.name, "uri": self.request.build_absolute_uri(c.get_absolute_url())} for c in item.contributors
        ]
        count = None if self.comment_counts is None else self.comment_counts.get(item.pk, 0)
        return {"authors": authors, "picture": self._picture(item), "language": item.language, "comment_count": count}


class SiteAtomFeed(ArticleFeed):
    feed_type = GazetteAtomFeed
    subtitle = ArticleFeed.description


class CityFeed(ArticleFeed):
    """One city edition's stories."""

    def get_object(self, request, slug):
        self.object = get_object_or_404(City.objects.visible(), slug=slug)
        return self.object

    def cache_tags(self, obj):
        return [tags.city(obj.slug)]

    def title(self, obj):
        return f"{obj.display_name} | {self.site_name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return gettext("The latest stories from %(city)s.") % {"city": obj.display_name}

    def article_queryset(self, obj):
        return ArticlePage.objects.for_listing().in_city(obj)


class CityAtomFeed(CityFeed):
    feed_type = GazetteAtomFeed

    def subtitle(self, obj):
        return self.description(obj)


class ContributorFeed(ArticleFeed):
    """Every story a contributor has a byline on, alone or with co-authors."""

    def get_object(self, request, slug):
        self.object = get_object_or_404(Contributor, slug=slug)
        return self.object

    def cache_tags(self, obj):
        return [tags.contributor(obj.pk)]

    def title(self, obj):
        return gettext("Stories by %(name)s") % {"name": obj.name} + f" | {self.site_name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return gettext("The latest stories by %(name)s.") % {"name": obj.name}

    def article_queryset(self, obj):
        return ArticlePage.objects.for_listing().filter(bylines__contributor=obj)


class ContributorAtomFeed(ContributorFeed):
    feed_type = GazetteAtomFeed

    def subtitle(self, obj):
        return self.description(obj)


def feed_links(kind: str = "site", obj=None) -> list[dict]:
    """The RSS and Atom URLs of a feed, for ``<link rel="alternate">`` in a page's head."""
    if kind == "city":
        args, title = {"slug": obj.slug}, gettext("%(city)s stories") % {"city": obj.name}
    elif kind == "contributor":
        args, title = {"slug": obj.slug}, gettext("Stories by %(name)s") % {"name": obj.name}
    else:
        args, title = {}, gettext("Latest stories")
    return [
        {"type": "application/rss+xml", "title": f"{title} (RSS)", "href": reverse(f"feeds:{kind}-rss", kwargs=args)},
        {
            "type": "application/atom+xml",
            "title": f"{title} (Atom)",
            "href": reverse(f"feeds:{kind}-atom", kwargs=args),
        },
    ]
