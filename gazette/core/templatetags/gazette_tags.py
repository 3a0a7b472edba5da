"""Template tags every Gazette page uses: the masthead date, the date styles of
:mod:`gazette.core.dates` and cached fragments."""

import hashlib
import time

from django import template
from django.utils.safestring import mark_safe

from gazette.core import caching, dates
from gazette.core.invalidation import add_cache_expiry, add_cache_tags

register = template.Library()


@register.simple_tag
def masthead_date(iso=False):
    """Today's date in the site's time zone, as the reference page shows it (``iso=True``: for
    the ``datetime`` attribute)."""
    return dates.iso_date(dates.today()) if iso else dates.masthead_date()


# The date styles of gazette.core.dates, one filter each.
register.filter("long_date", dates.long_date)
register.filter("timestamp", dates.timestamp)
register.filter("comment_time", dates.timestamp)
register.filter("iso_date", dates.iso_date)
register.filter("iso_datetime", dates.iso_datetime)


register.filter("page_number_key", caching.page_number_key)


@register.filter
def one_of(value, choices):
    """``value`` if it is one of the space-separated ``choices``, else '' (a fragment key)."""
    return value if value in str(choices).split() else ""


class FragmentNode(template.Node):
    """See :func:`fragment`."""

    def __init__(self, name, vary, nodelist, tags=None, shared=False) -> None:
        self.name = name
        self.vary = vary
        self.nodelist = nodelist
        self.tags = tags
        self.shared = shared

    def render(self, context):
        request = context.get("request")
        if request is None or not caching.fragments_enabled() or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        parts = [self.name, request.get_host(), *(str(v.resolve(context, ignore_failures=True)) for v in self.vary)]
        key = "tpl:" + hashlib.md5("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()
        entry = caching.get_fragment(key)
        if entry is not None:
            # What the fragment depends on is part of what the page depends on.
            add_cache_tags(request, *entry["tags"])
            if entry.get("until") is not None:
                add_cache_expiry(request, entry["until"])
            return mark_safe(entry["value"])  # noqa: S308 - rendered and escaped by this template
        # The request's start (set by the page cache) is the safe start for the race check: the
        # page object in the context was read before this fragment began.
        started_at = getattr(request, "_page_cache_started", None) or time.time()
        before = set(getattr(request, "cache_tags", ()) or ())
        expiry_before = getattr(request, "cache_expires_at", None)
        # The content declares its tags into an empty set: a tag the page had declared already
        # (the front and the editions page declare ``cities`` before the masthead's selector
        # does) is still one this fragment depends on. The same for the moment it changes by
        # itself (``add_cache_expiry``).
        request.cache_tags = set()
        request.cache_expires_at = None
        try:
            html = self.nodelist.render(context)
        finally:
            added = set(getattr(request, "cache_tags", ()) or ())
            until = request.cache_expires_at
            request.cache_tags = set() if getattr(request, "cache_tags_refused", False) else before | added
            request.cache_expires_at = expiry_before
            if until is not None:
                add_cache_expiry(request, until)
        after = before | added
        declared = set(str(self.tags.resolve(context, ignore_failures=True) or "").split()) if self.tags else set()
        if declared:
            add_cache_tags(request, *declared)
        # Shared by every page: what it declares and what its content added. A page's own: every
        # tag the page had once it was rendered (over-tagging only purges more).
        tags = declared | added if self.shared else after | declared
        if tags and not getattr(request, "cache_tags_refused", False) and (self.shared or caching.worth_storing(key)):
            caching.store_fragment(key, str(html), tags, started_at, until=until)
        return html


@register.tag
def fragment(parser, token):
    """``{% fragment "name" var ... [tags=expr] [shared] %}...{% endfragment %}``: built once per change.

    The content is cached under the name, the host and the values of the ``var`` arguments
    (everything about the request it depends on, such as a comments page number). A page's own
    fragment is tagged with every cache tag the page had declared once it was rendered: the
    page's own tags plus whatever the content added (the comments, the rates widget). A
    ``shared`` fragment (the masthead, shown on every page) is tagged only with what its content
    added and the space-separated ``tags``. A purge of any of them rebuilds it; a hit
    re-declares them, so the page cache and the CDN keys stay exact. Nothing of a page with a
    view restriction, and nothing of a preview, is ever cached.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    name = bits[1].strip("\"'")
    vary, tags, shared = [], None, False
    for bit in bits[2:]:
        if bit == "shared":
            shared = True
        elif bit.startswith("tags="):
            tags = parser.compile_filter(bit.removeprefix("tags="))
        else:
            vary.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(name, vary, nodelist, tags, shared)
