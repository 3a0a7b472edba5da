"""Reading a WordPress eXtended RSS (WXR) export, safely and as a stream.

The file is parsed with ``defusedxml`` (entity bombs and external entities are refused) and
with ``iterparse``, one ``<item>`` at a time, so an archive of any size is read in bounded
memory. Reading is split in two passes because WordPress writes items in ID order, not in the
order an importer needs them: a post's featured image or gallery is often an attachment that
comes *after* the post. :func:`read_channel` makes the first pass (site, authors, terms,
attachments, Co-Authors Plus guest authors, counts); :func:`iter_items` the second.

WXR versions 1.0 to 1.2 differ only in their namespace URIs (``http://`` or ``https://``,
``/export/1.x/``), so elements are matched on a namespace *family*, never on an exact URI.

Nothing here touches the database: the parser returns plain dataclasses, and a field that
cannot be read (a bad date, a missing id) is ``None`` with the reason in ``problems``.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext

_NAMESPACE_PREFIXES = (
    ("wordpress.org/export/", "wp"),
    ("purl.org/rss/1.0/modules/content", "content"),
    ("purl.org/dc/elements/1.1", "dc"),
    ("wellformedweb.org/CommentAPI", "wfw"),
)


class WxrError(Exception):
    """The file is not a readable WordPress export (bad XML, forbidden entities, wrong root)."""


@dataclass(frozen=True)
class WxrAuthor:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    wp_id: int | None = None


@dataclass(frozen=True)
class WxrTerm:
    """A ``<category>`` of an item: ``domain`` is the taxonomy (category, post_tag, author...)."""

    domain: str
    slug: str
    name: str


@dataclass
class WxrComment:
    wp_id: int | None
    author: str
    email: str
    url: str
    ip: str
    date_gmt: datetime | None
    date_local: datetime | None
    content: str
    approved: str
    comment_type: str
    parent_id: int | None


@dataclass
class WxrItem:
    """One ``<item>``: a post, page, attachment or any other post type."""

    wp_id: int | None
    guid: str
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    post_type: str
    status: str
    post_name: str
    date_gmt: datetime | None
    date_local: datetime | None
    password: str = ""
    parent_id: int | None = None
    menu_order: int = 0
    attachment_url: str = ""
    terms: list[WxrTerm] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WxrComment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        """How reports name the item's state: its WordPress status, or ``(no status)``."""
        return self.status or "(no status)"

    @property
    def label(self) -> str:
        """How reports name the item: its type, id and title."""
        return f"{self.post_type or 'item'} {self.wp_id if self.wp_id is not None else '?'} ({self.title[:60]!r})"


@dataclass
class WxrChannel:
    """Everything the first pass learns about an export."""

    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    authors: dict[str, WxrAuthor] = field(default_factory=dict)
    author_terms: dict[str, WxrTerm] = field(default_factory=dict)
    #: Category ids by slug (``wp:category``), for the old ``/?cat=<id>`` archive addresses.
    category_ids: dict[str, int] = field(default_factory=dict)
    attachments: dict[int, WxrItem] = field(default_factory=dict)
    guest_authors: dict[str, WxrAuthor] = field(default_factory=dict)
    item_counts: Counter[str] = field(default_factory=Counter)
    comment_counts: Counter[str] = field(default_factory=Counter)
    #: Items by (post type, status) and comments by (their item's post type, comment state):
    #: what the import report must account for, one outcome each.
    item_states: Counter[tuple[str, str]] = field(default_factory=Counter)
    comment_states: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: Attachments the first pass could not keep: no id, or an id already seen (counted by reason).
    dropped_attachments: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def site_url(self) -> str:
        """The blog's own address, which names the export's source in mappings and comment ids."""
        return (self.base_blog_url or self.link or self.base_site_url).strip().rstrip("/")


def _tag(element: Element) -> str:
    """``{https://wordpress.org/export/1.2/}post_id`` -> ``wp:post_id``; excerpt -> ``excerpt:``."""
    tag = element.tag
    return _short_tag(tag) if isinstance(tag, str) else ""


@functools.lru_cache(maxsize=512)
def _short_tag(tag: str) -> str:
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    for fragment, prefix in _NAMESPACE_PREFIXES:
        if fragment in uri:
            if prefix == "wp" and "excerpt" in uri:
                return f"excerpt:{local}"
            return f"{prefix}:{local}"
    return local


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _int(value: str) -> int | None:
    try:
        return int(value.strip())
    except (ValueError, AttributeError):
        return None


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def parse_wp_date(value: str) -> tuple[datetime | None, str | None]:
    """A WordPress ``YYYY-MM-DD HH:MM:SS`` as a naive datetime, or ``None`` and why.

    WordPress writes ``0000-00-00 00:00:00`` for "no date" (drafts that were never scheduled);
    that is ``None`` without a problem.
    """
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None, None
    if not _DATE_RE.match(value):
        return None, f"unreadable date {value!r}"
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S"), None
    except ValueError:
        return None, f"impossible date {value!r}"


def _dates(gmt: str, local: str, problems: list[str]) -> tuple[datetime | None, datetime | None]:
    date_gmt, problem = parse_wp_date(gmt)
    if problem:
        problems.append(f"post_date_gmt: {problem}")
    date_local, problem = parse_wp_date(local)
    if problem:
        problems.append(f"post_date: {problem}")
    return (date_gmt.replace(tzinfo=UTC) if date_gmt else None), date_local


def comment_state(approved: str, comment_type: str) -> str:
    """How reports name a comment's state: ``pingback``/``trackback`` for pings, else its
    moderation state (``approved``, ``pending``, ``spam``, ``trash`` or WordPress's own word)."""
    comment_type = (comment_type or "").strip().lower()
    if comment_type in ("pingback", "trackback"):
        return comment_type
    approved = (approved or "").strip().lower()
    return {"1": "approved", "approve": "approved", "0": "pending", "hold": "pending", "": "pending"}.get(
        approved, approved
    )


def _read_comment(element: Element) -> WxrComment:
    values: dict[str, str] = {}
    for child in element:
        values[_tag(child)] = (child.text or "").strip()
    ignored: list[str] = []
    date_gmt, date_local = _dates(values.get("wp:comment_date_gmt", ""), values.get("wp:comment_date", ""), ignored)
    return WxrComment(
        wp_id=_int(values.get("wp:comment_id", "")),
        author=html.unescape(values.get("wp:comment_author", "")),
        email=values.get("wp:comment_author_email", ""),
        url=values.get("wp:comment_author_url", ""),
        ip=values.get("wp:comment_author_IP", ""),
        date_gmt=date_gmt,
        date_local=date_local,
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", "").lower(),
        comment_type=values.get("wp:comment_type", "").lower(),
        parent_id=_int(values.get("wp:comment_parent", "")) or None,
    )


def read_item(element: Element) -> WxrItem:
    """Turn one ``<item>`` element into a :class:`WxrItem` (never raises on bad values)."""
    values: dict[str, str] = {}
    terms: list[WxrTerm] = []
    meta: dict[str, str] = {}
    comments: list[WxrComment] = []
    for child in element:
        tag = _tag(child)
        if tag == "category":
            name = html.unescape((child.text or "").strip())
            terms.append(WxrTerm(domain=child.get("domain", ""), slug=child.get("nicename", ""), name=name))
        elif tag == "wp:postmeta":
            key = value = ""
            for part in child:
                if _tag(part) == "wp:meta_key":
                    key = _text(part)
                elif _tag(part) == "wp:meta_value":
                    value = (part.text or "").strip()
            if key and key not in meta:
                meta[key] = value
        elif tag == "wp:comment":
            comments.append(_read_comment(child))
        else:
            values[tag] = child.text or ""
    problems: list[str] = []
    wp_id = _int(values.get("wp:post_id", ""))
    if wp_id is None:
        problems.append("no wp:post_id")
    date_gmt, date_local = _dates(values.get("wp:post_date_gmt", ""), values.get("wp:post_date", ""), problems)
    return WxrItem(
        wp_id=wp_id,
        guid=values.get("guid", "").strip(),
        title=values.get("title", "").strip(),
        link=values.get("link", "").strip(),
        creator=values.get("dc:creator", "").strip(),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", "").strip(),
        post_type=values.get("wp:post_type", "").strip(),
        status=values.get("wp:status", "").strip(),
        post_name=values.get("wp:post_name", "").strip(),
        date_gmt=date_gmt,
        date_local=date_local,
        password=values.get("wp:post_password", "").strip(),
        parent_id=_int(values.get("wp:post_parent", "")),
        menu_order=_int(values.get("wp:menu_order", "")) or 0,
        attachment_url=values.get("wp:attachment_url", "").strip(),
        terms=terms,
        meta=meta,
        comments=comments,
        problems=problems,
    )


def _read_author(element: Element) -> WxrAuthor:
    values = {_tag(child): (child.text or "").strip() for child in element}
    return WxrAuthor(
        login=values.get("wp:author_login", ""),
        email=values.get("wp:author_email", ""),
        display_name=html.unescape(values.get("wp:author_display_name", "")),
        first_name=html.unescape(values.get("wp:author_first_name", "")),
        last_name=html.unescape(values.get("wp:author_last_name", "")),
        wp_id=_int(values.get("wp:author_id", "")),
    )


def _read_term(element: Element) -> WxrTerm:
    values = {_tag(child): (child.text or "").strip() for child in element}
    return WxrTerm(
        domain=values.get("wp:term_taxonomy", ""),
        slug=values.get("wp:term_slug", ""),
        name=html.unescape(values.get("wp:term_name", "")),
    )


def _guest_author(item: WxrItem) -> WxrAuthor:
    """A Co-Authors Plus guest author (post type ``guest-author``, fields in ``cap-*`` meta)."""
    return WxrAuthor(
        login=item.meta.get("cap-user_login", "") or item.post_name.removeprefix("cap-"),
        email=item.meta.get("cap-user_email", ""),
        display_name=item.meta.get("cap-display_name", "") or item.title,
        first_name=item.meta.get("cap-first_name", ""),
        last_name=item.meta.get("cap-last_name", ""),
        wp_id=item.wp_id,
    )


def _events(path: Path) -> Iterator[tuple[str, Element]]:
    try:
        yield from iterparse(str(path), events=("start", "end"), forbid_dtd=False)
    except ParseError as err:
        raise WxrError(
            gettext("%(file)s is not well-formed XML (%(error)s)") % {"file": path.name, "error": err}
        ) from err
    except DefusedXmlException as err:
        raise WxrError(
            gettext("%(file)s was refused as unsafe XML (%(error)s)")
            % {"file": path.name, "error": err.__class__.__name__}
        ) from err
    except OSError as err:
        raise WxrError(gettext("%(file)s cannot be read (%(error)s)") % {"file": path.name, "error": err}) from err


def _items(path: Path, channel_sink: dict[str, str] | None = None) -> Iterator[tuple[str, Element]]:
    """Yield ``(kind, element)`` for each top-level channel child, then forget it (bounded memory)."""
    depth = 0
    root_seen = False
    channel: Element | None = None
    in_channel = False
    for event, element in _events(path):
        if event == "start":
            depth += 1
            if depth == 1:
                root_seen = True
                if _tag(element) != "rss":
                    raise WxrError(
                        gettext("%(file)s is not a WordPress export (its root element is <%(element)s>)")
                        % {"file": path.name, "element": _tag(element)}
                    )
            elif depth == 2:
                in_channel = _tag(element) == "channel" and channel is None
                if in_channel:
                    channel = element
            continue
        depth -= 1
        if depth == 2 and in_channel and channel is not None:
            tag = _tag(element)
            if tag in ("item", "wp:author", "wp:term", "wp:category", "wp:tag"):
                yield tag, element
            elif channel_sink is not None:
                channel_sink[tag] = (element.text or "").strip()
            channel.remove(element)
    if not root_seen or channel is None:
        raise WxrError(gettext("%(file)s is not a WordPress export (no <rss><channel>)") % {"file": path.name})


def read_channel(path: Path) -> WxrChannel:
    """First pass: everything but the posts' bodies. Raises :class:`WxrError` on unusable XML.

    Reading the whole file here means malformed XML is found before anything is written.
    """
    values: dict[str, str] = {}
    channel = WxrChannel()
    for tag, element in _items(path, values):
        if tag == "wp:author":
            author = _read_author(element)
            if author.login:
                channel.authors.setdefault(author.login, author)
        elif tag == "wp:term":
            term = _read_term(element)
            if term.domain == "author" and term.slug:
                channel.author_terms[term.slug] = term
        elif tag == "wp:category":
            fields = {_tag(child): (child.text or "").strip() for child in element}
            term_id, slug = _int(fields.get("wp:term_id", "")), fields.get("wp:category_nicename", "")
            if term_id is not None and slug:
                channel.category_ids.setdefault(slug, term_id)
        elif tag == "item":
            post_type = _post_type(element)
            status = _child_text(element, "wp:status") or "(no status)"
            channel.item_counts[post_type] += 1
            channel.item_states[post_type, status] += 1
            for child in element:
                if _tag(child) == "wp:comment":
                    channel.comment_counts[post_type] += 1
                    state = comment_state(
                        _child_text(child, "wp:comment_approved"), _child_text(child, "wp:comment_type")
                    )
                    channel.comment_states[post_type, state] += 1
            if post_type == "attachment":
                item = read_item(element)
                if item.wp_id is None:
                    channel.dropped_attachments[status, "no post id"] += 1
                elif item.wp_id in channel.attachments:
                    channel.dropped_attachments[status, "an attachment with the same id came first"] += 1
                else:
                    channel.attachments[item.wp_id] = item
            elif post_type == "guest-author":
                guest = _guest_author(read_item(element))
                if guest.login:
                    channel.guest_authors[guest.login] = guest
    channel.title = values.get("title", "")
    channel.link = values.get("link", "")
    channel.base_site_url = values.get("wp:base_site_url", "")
    channel.base_blog_url = values.get("wp:base_blog_url", "")
    channel.wxr_version = values.get("wp:wxr_version", "")
    if not channel.wxr_version and not channel.item_counts and not channel.authors:
        raise WxrError(
            gettext("%(file)s is not a WordPress export (no wp:wxr_version, authors or items)") % {"file": path.name}
        )
    return channel


def iter_items(path: Path, post_types: frozenset[str] = frozenset({"post"})) -> Iterator[WxrItem]:
    """Second pass: yield the items of ``post_types`` one at a time, in file order."""
    for tag, element in _items(path):
        if tag == "item" and _post_type(element) in post_types:
            yield read_item(element)


def _child_text(element: Element, tag: str) -> str:
    for child in element:
        if _tag(child) == tag:
            return (child.text or "").strip()
    return ""


def _post_type(item: Element) -> str:
    return _child_text(item, "wp:post_type")
