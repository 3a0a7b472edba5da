"""Turning a WordPress post's HTML into the blocks of an article body.

WordPress stores three generations of markup, often mixed in one archive:

* classic posts with no paragraph tags at all, where blank lines are paragraphs and single
  newlines are line breaks (``wpautop`` adds the tags when the page is shown);
* shortcodes: ``[caption]<img ...> text[/caption]`` for a captioned picture, ``[gallery ids=...]``;
* block-editor posts, whose HTML is wrapped in ``<!-- wp:paragraph -->`` comments.

:func:`convert` maps what has a Gazette equivalent (paragraphs, subheadings, quotes, pictures
with captions, galleries) onto the body blocks of :mod:`gazette.articles.blocks`; containers
(columns, groups, covers) are opened and their content kept; everything else becomes a
paragraph of sanitised rich text (Wagtail's own whitelister, limited to the features the
paragraph block allows), and active or embedded content (scripts, iframes, forms, video) is
dropped and reported. The converter never touches the database: pictures are looked up
through the ``resolve_image`` callable the caller passes.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from django.utils.html import escape
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

from gazette.articles.blocks import RICH_TEXT_FEATURES

# (attachment id or None, image URL or "") -> the imported image, or None when unknown.
ImageResolver = Callable[[int | None, str], Any]

_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd details div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CONTAINERS = frozenset({"div", "section", "article", "main", "header", "footer", "aside", "details", "center"})
_DROPPED = frozenset(
    "script style iframe object embed form input button select textarea video audio source track noscript svg "
    "canvas map template link meta".split()
)
_SHORTCODE_RE = re.compile(r"\[(/?)([A-Za-z_][\w-]*)((?:[^\]\"']|\"[^\"]*\"|'[^']*')*)\]")
_ATTR_RE = re.compile(r"([\w-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"']+))")
_WP_IMAGE_RE = re.compile(r"\bwp-image-(\d+)\b")
_ATTACHMENT_ID_RE = re.compile(r"attachment_(\d+)")
_BLANK_LINES_RE = re.compile(r"\n\s*\n")
_STARTS_WITH_BLOCK_RE = re.compile(r"^\s*<(" + "|".join(sorted(_BLOCK_TAGS)) + r")[\s>/]", re.IGNORECASE)
_BLOCK_ALT = "|".join(sorted(_BLOCK_TAGS))
_ENDS_WITH_BLOCK_RE = re.compile(r"</?(" + _BLOCK_ALT + r")\b[^>]*>\s*$", re.IGNORECASE)
_STARTS_WITH_ANY_BLOCK_RE = re.compile(r"^\s*</?(" + _BLOCK_ALT + r")\b", re.IGNORECASE)
_LEADING_BREAKS_RE = re.compile(r"^<p>(?:\s|<br/>)+")
_TRAILING_BREAKS_RE = re.compile(r"(?:\s|<br/>)+</p>$")
# Shortcodes whose content is kept as text when the markers are removed.
_TEXT_SHORTCODES = frozenset({"embed", "wp_caption", "code", "sourcecode", "pullquote"})
# Shortcodes of media Gazette has no block for (removed with their content).
_MEDIA_SHORTCODES = frozenset({"audio", "video", "playlist", "soundcloud", "youtube", "vimeo", "wpvideo"})

_rich_text = EditorHTMLConverter(features=RICH_TEXT_FEATURES)
# A paragraph of text and line breaks only (its ``&``, ``<`` and ``>`` written as the parser
# writes them back): what the rich text converter would make of it is known without parsing it,
# the text escaped as its formatter escapes it and the breaks as ``<br/>``.
_TEXT_PARAGRAPH_RE = re.compile(r"<p>((?:[^<&]|&(?:amp|lt|gt);|<br\s*/?>)*)</p>")
_BREAK_RE = re.compile(r"<br\s*/?>")


def _text_markup(text: str) -> str:
    """Text as the rich text converter writes it (``text`` holds no tags and no entities other
    than ``&amp;``, ``&lt;`` and ``&gt;``)."""
    return escape(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


_TAG_RE = re.compile(r"<[^>]*>")
_SPACES_RE = re.compile(r"\s+")


@dataclass
class Conversion:
    """The body blocks of one post and what could not be carried over."""

    blocks: list[tuple[str, Any]] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    missing_images: list[str] = field(default_factory=list)
    #: Pictures not among the imported ones, kept as a link to their address on the old site.
    linked_images: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The plain text of the paragraphs (for a standfirst when the post has no excerpt)."""
        parts = []
        for kind, value in self.blocks:
            if kind == "paragraph":
                parts.append(_markup_text(str(value)))
        return " ".join(p for p in parts if p)


def plain_text(markup: str) -> str:
    """Markup as one line of readable text: tags removed, entities decoded, spaces collapsed."""
    if not markup:
        return ""
    if "<" not in markup and "&" not in markup:
        return _SPACES_RE.sub(" ", markup).strip()  # already text: no parser needed
    text = BeautifulSoup(markup, "html.parser").get_text(" ")
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _markup_text(markup: str) -> str:
    """:func:`plain_text` of markup this module made with Wagtail's rich text converter
    (well-formed, attribute values escaped), without a parser: tags become spaces."""
    return _SPACES_RE.sub(" ", html.unescape(_TAG_RE.sub(" ", markup))).strip()


def multiline_text(markup: str) -> str:
    """Markup as text keeping its line and paragraph breaks (comments, quotes)."""
    if not markup:
        return ""
    markup = re.sub(r"(?i)<br\s*/?>", "\n", markup)
    markup = re.sub(r"(?i)</p>\s*", "\n\n", markup)
    if "<" in markup or "&" in markup:
        text = html.unescape(BeautifulSoup(markup, "html.parser").get_text())
    else:
        text = markup  # already text: no parser needed
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in _ATTR_RE.finditer(text)}


def expand_shortcodes(content: str, conversion: Conversion) -> str:
    """Replace the shortcodes with HTML the block walker understands (or remove them).

    ``[caption]`` becomes ``<figure><img><figcaption>``; ``[gallery]`` a marker figure naming
    its attachment ids (none means "the post's own attachments"). Unknown names in square
    brackets that are not shortcodes ("[1]", "[sic]") are left alone.
    """

    def caption(match: re.Match[str]) -> str:
        attrs, inner = _attrs(match.group(1)), match.group(2)
        soup = BeautifulSoup(inner, "html.parser")
        image = soup.find("img")
        caption_text = attrs.get("caption", "")
        if image is not None:
            holder = image.parent if image.parent is not None and image.parent.name == "a" else image
            holder.extract()
        caption_html = caption_text or str(soup).strip()
        attachment = _ATTACHMENT_ID_RE.search(attrs.get("id", ""))
        image_html = str(image) if image is not None else ""
        data = f' data-attachment="{attachment.group(1)}"' if attachment else ""
        return f"<figure{data}>{image_html}<figcaption>{caption_html}</figcaption></figure>"

    content = re.sub(
        r"\[(?:wp_)?caption([^\]]*)\](.*?)\[/(?:wp_)?caption\]", caption, content, flags=re.DOTALL | re.IGNORECASE
    )

    def gallery(match: re.Match[str]) -> str:
        ids = _attrs(match.group(1)).get("ids", "")
        clean = ",".join(p.strip() for p in ids.split(",") if p.strip().isdigit())
        return f'<figure data-gallery="{clean}"></figure>'

    content = re.sub(r"\[gallery([^\]]*)\]", gallery, content, flags=re.IGNORECASE)

    for name in _MEDIA_SHORTCODES:
        pattern = rf"\[{name}\b[^\]]*\](?:.*?\[/{name}\])?"
        content, n = re.subn(pattern, "", content, flags=re.DOTALL | re.IGNORECASE)
        if n:
            conversion.dropped[f"[{name}]"] += n

    def other(match: re.Match[str]) -> str:
        name = match.group(2).lower()
        if name in _TEXT_SHORTCODES:
            return ""
        return match.group(0)

    return _SHORTCODE_RE.sub(other, content)


def autop(content: str) -> str:
    """WordPress's ``wpautop`` in short: blank lines separate paragraphs, newlines are breaks.

    Block-editor content is already marked up and is returned as it is, as WordPress does.
    """
    if "<!-- wp:" in content:
        return content
    chunks = _BLANK_LINES_RE.split(content.replace("\r\n", "\n").strip())
    out = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_WITH_BLOCK_RE.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + _line_breaks(chunk) + "</p>")
    return "\n".join(out)


def _line_breaks(chunk: str) -> str:
    """Single newlines become ``<br />``, except next to a block tag (as ``wpautop`` does)."""
    lines = chunk.split("\n")
    out = [lines[0]]
    for before, after in zip(lines, lines[1:], strict=False):
        if _ENDS_WITH_BLOCK_RE.search(before) or _STARTS_WITH_ANY_BLOCK_RE.match(after):
            out.append("\n" + after)
        else:
            out.append("<br />\n" + after)
    return "".join(out)


def _contains(node: Tag, names: frozenset[str]) -> bool:
    """Whether an element named in ``names`` is inside ``node`` (``node.find(names)``, without
    building a search filter for each call)."""
    return any(isinstance(child, Tag) and child.name in names for child in node.descendants)


_IMG = frozenset({"img"})
_IMG_OR_BLOCK = _BLOCK_TAGS | _IMG
_MEDIA = frozenset({"video", "audio", "iframe"})


class _Walker:
    def __init__(self, conversion: Conversion, resolve_image: ImageResolver, own_images: Callable[[], list[Any]]):
        self.conversion = conversion
        self.resolve_image = resolve_image
        self.own_images = own_images
        self.inline: list[str] = []

    # Output -----------------------------------------------------------------------------
    def paragraph(self, markup: str) -> None:
        text = _TEXT_PARAGRAPH_RE.fullmatch(markup)
        if text is not None:
            cleaned = "<p>" + "<br/>".join(_text_markup(part) for part in _BREAK_RE.split(text.group(1))) + "</p>"
        else:
            cleaned = _rich_text.to_database_format(markup).strip()
        cleaned = _LEADING_BREAKS_RE.sub("<p>", _TRAILING_BREAKS_RE.sub("</p>", cleaned))
        if re.search(r"\w", _markup_text(cleaned)):
            self.conversion.blocks.append(("paragraph", cleaned))

    def flush(self) -> None:
        if self.inline:
            self.paragraph("<p>" + "".join(self.inline) + "</p>")
            self.inline = []

    def image_for(self, img: Tag, attachment_id: int | None = None) -> Any:
        if attachment_id is None:
            match = _WP_IMAGE_RE.search(" ".join(img.get("class") or []))
            attachment_id = int(match.group(1)) if match else None
        src = str(img.get("src") or "")
        image = self.resolve_image(attachment_id, src)
        if image is None:
            self.conversion.missing_images.append(src or f"attachment {attachment_id}")
        return image

    def figure(self, img: Tag, caption: str, attachment_id: int | None = None) -> None:
        image = self.image_for(img, attachment_id)
        if image is None:
            src = str(img.get("src") or "")
            if src.startswith(("http://", "https://")):
                # Still on the old site: keep it one click away, titled as the reader knew it.
                self.conversion.missing_images.pop()
                self.conversion.linked_images.append(src)
                label = caption or str(img.get("alt") or "") or "Picture"
                self.paragraph(f'<p><a href="{html.escape(src)}">{html.escape(label)}</a></p>')
            elif caption:
                self.paragraph(f"<p>{html.escape(caption)}</p>")
            return
        self.flush()
        self.conversion.blocks.append(("image", {"image": image, "caption": caption, "credit": ""}))

    def group(self, images: list[Any], caption: str) -> None:
        images = [i for i in images if i is not None]
        unique = list({image.pk: image for image in images}.values())
        if len(unique) >= 2:
            self.conversion.blocks.append(
                ("image_group", {"images": unique[:8], "caption": caption or "Pictures", "credit": ""})
            )
        elif unique:
            self.conversion.blocks.append(("image", {"image": unique[0], "caption": caption, "credit": ""}))

    # Walking ----------------------------------------------------------------------------
    def walk(self, node: Tag) -> None:
        for child in list(node.children):
            self.visit(child)

    def visit(self, node: Any) -> None:
        if isinstance(node, Comment):
            return
        if isinstance(node, NavigableString):
            if str(node).strip() or self.inline:
                self.inline.append(html.escape(str(node), quote=False))
            return
        if not isinstance(node, Tag):
            return
        name = node.name.lower()
        if name == "img":
            self.flush()
            self.figure(node, "")
            return
        if name not in _BLOCK_TAGS:
            if _contains(node, _IMG_OR_BLOCK):
                self.walk(node)  # an inline wrapper (a link) around a picture or a block
                return
            self.inline.append(str(node))
            return
        self.flush()
        if name in _HEADINGS:
            text = plain_text(node.decode_contents())
            if text:
                self.conversion.blocks.append(("subheading", text[:255]))
        elif name == "figure":
            self.visit_figure(node)
        elif name == "blockquote":
            self.visit_quote(node)
        elif name == "p":
            if _contains(node, _IMG_OR_BLOCK):
                self.walk(node)
                self.flush()
            else:
                self.paragraph(str(node))
        elif name in ("ul", "ol"):
            self.visit_list(node)
        elif name == "pre":
            text = html.escape(node.get_text())
            self.paragraph("<p>" + text.strip().replace("\n", "<br/>") + "</p>")
        elif name == "table":
            self.visit_table(node)
        elif name == "hr":
            return
        elif name in ("dl",):
            for item in node.find_all(["dt", "dd"]):
                self.paragraph(f"<p>{item.decode_contents()}</p>")
        else:
            self.walk(node)
            self.flush()

    def visit_list(self, node: Tag) -> None:
        if _contains(node, _IMG):
            self.walk(node)
            self.flush()
            return
        self.paragraph(str(node))

    def visit_table(self, node: Tag) -> None:
        rows = []
        for row in node.find_all("tr"):
            cells = [plain_text(cell.decode_contents()) for cell in row.find_all(["th", "td"])]
            if any(cells):
                rows.append(html.escape(" | ".join(cells)))
        if rows:
            self.paragraph("<p>" + "<br/>".join(rows) + "</p>")

    def visit_quote(self, node: Tag) -> None:
        attribution = ""
        for cite in node.find_all("cite"):
            attribution = attribution or plain_text(cite.decode_contents())
            cite.decompose()
        text = multiline_text(node.decode_contents())
        if text:
            self.conversion.blocks.append(("quote", {"quote": text, "attribution": attribution[:255]}))

    def visit_figure(self, node: Tag) -> None:
        if node.has_attr("data-gallery"):
            ids = [int(i) for i in str(node["data-gallery"]).split(",") if i]
            images = [self.resolve_image(i, "") for i in ids] if ids else self.own_images()
            if not images:
                self.conversion.missing_images.append("[gallery]")
            self.group(images, "")
            return
        if node.find("blockquote") is not None:  # a pull quote
            self.visit_quote(node.find("blockquote"))
            return
        caption_node = node.find("figcaption", recursive=False) or node.find("figcaption")
        images = node.find_all("img")
        if len(images) > 1:
            caption = ""
            own = node.find("figcaption", recursive=False)
            if own is not None:
                caption = plain_text(own.decode_contents())
            self.group([self.image_for(img) for img in images], caption)
            return
        caption = plain_text(caption_node.decode_contents()) if caption_node is not None else ""
        if images:
            attachment = node.get("data-attachment")
            self.figure(images[0], caption, int(attachment) if attachment else None)
            return
        if _contains(node, _MEDIA):
            self.conversion.dropped["embedded media"] += 1
            return
        self.walk(node)
        self.flush()


def convert(content: str, resolve_image: ImageResolver, own_images: Callable[[], list[Any]] = list) -> Conversion:
    """Body blocks for a post's ``content:encoded`` (see the module docstring for the mapping).

    ``own_images`` returns the pictures attached to the post, for a ``[gallery]`` without ids
    (WordPress then shows the post's own attachments).
    """
    conversion = Conversion()
    if not content or not content.strip():
        return conversion
    markup = autop(expand_shortcodes(content, conversion))
    soup = BeautifulSoup(markup, "html.parser")
    for element in [e for e in soup.descendants if isinstance(e, Tag) and e.name in _DROPPED]:
        if element.decomposed:  # inside an element already removed
            continue
        conversion.dropped[f"<{element.name}>"] += 1
        element.decompose()
    walker = _Walker(conversion, resolve_image, own_images)
    walker.walk(soup)
    walker.flush()
    return conversion
