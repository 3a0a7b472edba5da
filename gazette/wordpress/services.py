"""Importing a WordPress export (WXR) into Gazette: posts, authors, pictures and comments.

What :func:`import_wordpress` does:

* **Posts** become :class:`~gazette.articles.models.ArticlePage` under the news index (created,
  with a home page, when the site has none). Published posts keep their WordPress publication
  date; drafts and pending posts are saved as drafts (a revision, not live); private posts stay
  unpublished; scheduled posts are scheduled; password-protected posts are published behind a
  Wagtail password restriction with the same password. A post that cannot be published in
  Gazette (no usable author, no content, no date) is imported as a draft and reported, because
  publishing without a byline is refused.
* **Authors** (``wp:author``) and Co-Authors Plus co-authors (``category domain="author"``,
  ``cap-`` slugs, guest authors) become contributors, in byline order. A name that is not a
  real name falls back to first and last name, then to the login; a malformed login in a post
  (``themereviewteam>``) is read as the listed author it spells, and reported.
* **Categories and tags** naming a known city (its name, slug or an alternate spelling) put the
  article in that city's edition, and their old archives lead to it. The others become the
  article's topics (Wagtail tags), and their old archives lead to the archive search for the
  topic (``Uncategorized``, WordPress's default, is no topic and leads to the front page).
* **Attachments** that are pictures become :class:`~gazette.images.models.GazetteImage` with
  their caption, alt text, credit and source; the file is read from ``media_dir`` (matched by
  the uploads path) or downloaded when the host answers. Featured images become lead pictures.
* **Comments** become :class:`~gazette.comments.models.ReaderComment` (``source="wordpress"``)
  with their moderation status; pingbacks and trackbacks are skipped. Commenters get the
  identity the comment form gives them (:func:`~gazette.comments.identity.commenter_key`), so
  one with approved comments on WordPress is a returning commenter on the new site.

Re-running is safe: every object is keyed on its WordPress id (:class:`ImportedItem`, and the
comment's ``external_id``), an unchanged item is left alone, a changed one is updated. Each
post is written in its own transaction, so one bad item is reported and the rest go in. With
``dry_run`` everything runs inside a transaction that is rolled back, and picture files written
on the way are removed. Published posts also get a permanent redirect from their old permalink.

Settings (optional): ``GAZETTE_WORDPRESS_MAX_IMAGE_BYTES`` (default 25 MB, larger pictures are
skipped) and ``GAZETTE_WORDPRESS_DOWNLOAD_TIMEOUT`` (seconds, default 15). A host that does not
answer is not asked again during the run, so an archive whose old site is gone does not wait
out one timeout per picture.
"""

from __future__ import annotations

import hashlib
import io
import ipaddress
import json
import re
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import unquote, urlencode, urlsplit

import httpx
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.validators import validate_email
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from PIL import Image as PILImage
from taggit.models import Tag
from tqdm import tqdm
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site

from gazette.articles.models import ArticleByline, ArticleIndexPage, ArticlePage, ArticleTopic, Contributor
from gazette.articles.purges import article_tags
from gazette.articles.tasks import warm_article_renditions
from gazette.articles.validators import has_real_name
from gazette.cities.models import City
from gazette.comments.choices import CommentSource, CommentStatus
from gazette.comments.identity import commenter_key
from gazette.comments.models import ReaderComment
from gazette.comments.services import truncate_ip
from gazette.core import tags as content_tags
from gazette.core.invalidation import purge_tags
from gazette.editorial.services import proofread_page
from gazette.home.models import HomePage
from gazette.search import index as search_index
from gazette.search.models import SearchEntry

from . import bulk
from .content import convert, multiline_text, plain_text
from .models import ImportedItem, ImportedItemKind
from .parser import WxrAuthor, WxrChannel, WxrComment, WxrItem, comment_state, iter_items, read_channel
from .tasks import index_imported_articles

IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif", "webp", "avif"})
STANDFIRST_LENGTH = 400
_COMMENT_STATUS = {
    "1": CommentStatus.PUBLISHED,
    "approve": CommentStatus.PUBLISHED,
    "approved": CommentStatus.PUBLISHED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.REJECTED,
    "post-trashed": CommentStatus.REJECTED,
}
_SIZE_SUFFIX_RE = re.compile(r"-\d+x\d+(?=\.[a-z0-9]+$)")
_LOGIN_JUNK_RE = re.compile(r"[^\w.@+-]")
_CREDIT_RE = re.compile(r's:\d+:"(?:credit|copyright)";s:\d+:"([^"]+)"')


OUTCOMES = ("created", "updated", "unchanged", "skipped")
# The report's ``reasons`` key counting what each post's conversion left out (scripts, embeds...).
CONTENT_LEFT_OUT = "content left out"
# Posts per transaction: a batch's new posts are written with a few statements per table.
BATCH_SIZE = 500


def kind_label(post_type: str) -> str:
    """How reports name the items of a post type: ``posts``, ``pages``, ``attachments``..."""
    return f"{post_type}s" if post_type else gettext("items with no post type")


@dataclass
class ImportReport:
    """What an import did, per kind (posts, authors, attachments, comments, other items).

    ``outcomes[kind]`` counts created / updated / unchanged / skipped; ``reasons[kind]`` says
    why items were skipped; ``problems`` lists individual findings (malformed names, missing
    files) a person should look at.

    Reconciliation: ``expected[kind][state]`` is how many items (and comments) of each state
    the export holds, ``by_state[kind][state]`` the outcomes given to them. Every item and
    comment gets exactly one outcome, so the two agree; :meth:`mismatches` lists where they
    do not, and the command then fails.
    """

    source: str = ""
    dry_run: bool = False
    outcomes: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    reasons: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    expected: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_state: dict[str, dict[str, Counter[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter))
    )
    post_states: Counter[str] = field(default_factory=Counter)
    comment_states: Counter[str] = field(default_factory=Counter)
    unmatched_terms: Counter[str] = field(default_factory=Counter)
    linked_images: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, kind: str, outcome: str, reason: str = "", *, state: str | None = None, n: int = 1) -> None:
        """Count ``n`` items of ``kind`` (in ``state``, for the kinds the export's counts check)."""
        self.outcomes[kind][outcome] += n
        if reason:
            self.reasons[kind][reason] += n
        if state is not None:
            self.by_state[kind][state][outcome] += n

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def count(self, kind: str, outcome: str) -> int:
        return self.outcomes.get(kind, Counter())[outcome]

    def merge(self, other: ImportReport) -> None:
        """Add ``other``'s counts and findings to this report (one post's, once it is saved)."""
        for kind, counts in other.outcomes.items():
            self.outcomes[kind].update(counts)
        for kind, counts in other.reasons.items():
            self.reasons[kind].update(counts)
        for kind, states in other.by_state.items():
            for state, counts in states.items():
                self.by_state[kind][state].update(counts)
        self.post_states.update(other.post_states)
        self.comment_states.update(other.comment_states)
        self.unmatched_terms.update(other.unmatched_terms)
        self.linked_images += other.linked_images
        self.problems.extend(other.problems)

    def mismatches(self) -> list[str]:
        """Where the outcomes do not add up to the export's counts (empty when they all do)."""
        out = []
        for kind in sorted(set(self.expected) | set(self.by_state)):
            for state in sorted(set(self.expected.get(kind, {})) | set(self.by_state.get(kind, {}))):
                expected = self.expected.get(kind, Counter())[state]
                accounted = sum(self.by_state.get(kind, {}).get(state, Counter()).values())
                if expected != accounted:
                    out.append(
                        gettext("%(kind)s (%(state)s): %(expected)d in the export, %(accounted)d accounted for")
                        % {"kind": kind, "state": state, "expected": expected, "accounted": accounted}
                    )
        return out


@dataclass
class _Plan:
    """What one post will become, computed before anything is written."""

    title: str
    slug: str
    standfirst: str
    body: list[tuple[str, Any]]
    lead_image: Any
    byline: list[Contributor]
    cities: list[City]
    topics: list[str]  # the names of its categories and tags naming no city
    state: str  # published, scheduled, draft, private
    date: datetime | None
    password: str
    old_path: str = ""

    def checksum(self) -> str:
        def default(value: Any) -> Any:
            return getattr(value, "pk", None) if hasattr(value, "pk") else str(value)

        data = {
            "title": self.title,
            "slug": self.slug,
            "standfirst": self.standfirst,
            "body": self.body,
            "lead": self.lead_image.pk if self.lead_image else None,
            "byline": [c.pk for c in self.byline],
            "cities": sorted(c.pk for c in self.cities),
            "topics": self.topics,
            "state": self.state,
            "date": self.date.isoformat() if self.date else None,
            "password": self.password,
            "old_path": self.old_path,
        }
        return hashlib.sha256(json.dumps(data, default=default, sort_keys=True).encode()).hexdigest()


def _truncate_words(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


def _normalise_url(url: str, strip_size: bool = False) -> str:
    """An image URL without scheme or query, lower-cased; ``strip_size`` also drops the
    ``-300x200`` suffix WordPress gives the smaller copies it makes of an upload."""
    parts = urlsplit(url.strip())
    path = unquote(parts.path).lower()
    if strip_size:
        path = _SIZE_SUFFIX_RE.sub("", path)
    return f"{parts.netloc.lower()}{path}"


def _clean_name(value: str) -> str:
    return re.sub(r"\s+", " ", plain_text(value)).strip()


def _extension(name: str) -> str:
    return PurePosixPath(urlsplit(name).path).suffix.lower().lstrip(".")


class _Importer:
    def __init__(
        self,
        path: Path,
        channel: WxrChannel,
        report: ImportReport,
        media_dir: Path | None,
        client: httpx.Client | None,
        progress: bool,
        progress_file: IO[str] | None,
    ):
        self.path = path
        self.channel = channel
        self.report = report
        self.source = channel.site_url or path.name
        self.site_key = (urlsplit(self.source).netloc + urlsplit(self.source).path).strip("/") or self.source
        self.media_dir = media_dir.resolve() if media_dir else None
        self.client = client
        self.progress = progress
        self.progress_file = progress_file
        self.batch_size = BATCH_SIZE
        self.zone = zoneinfo.ZoneInfo(getattr(settings, "GAZETTE_SITE_TIME_ZONE", settings.TIME_ZONE))
        self.max_bytes = getattr(settings, "GAZETTE_WORDPRESS_MAX_IMAGE_BYTES", 25 * 1024 * 1024)
        self.contributors: dict[str, Contributor | None] = {}
        self.images: dict[int, Any] = {}
        self.image_urls: dict[str, int] = {}
        self.resized_image_urls: dict[str, int] = {}
        self.unreachable_hosts: set[str] = set()
        self.created_images: list[Any] = []
        self.written_files: list[tuple[Any, str]] = []
        self.touched_articles: set[int] = set()
        self.created_articles: set[int] = set()
        # The slugs of the news section's articles (loaded once, then kept up to date).
        self.sibling_slugs: set[str] | None = None
        self.cities = self._city_lookup()
        self.city_archives: dict[tuple[str, str], City] = {}
        # Categories and tags naming no city, by (archive base, slug): their names, the topics.
        self.term_archives: dict[tuple[str, str], str] = {}
        # Topics by lower-case name, as they are found or made.
        self.topic_tags: dict[str, Tag] = {}
        self.content_types = {
            ArticlePage: ContentType.objects.get_for_model(ArticlePage),
            Contributor: ContentType.objects.get_for_model(Contributor),
            get_image_model(): ContentType.objects.get_for_model(get_image_model()),
        }

    # Mapping ------------------------------------------------------------------------------
    def _mapped(self, kind: str, wp_id: str, model: type[models.Model]) -> tuple[ImportedItem | None, Any]:
        item = ImportedItem.objects.filter(source=self.source, kind=kind, wp_id=wp_id).first()
        if item is None:
            return None, None
        return item, model.objects.filter(pk=item.object_id).first()

    def _remember(
        self, item: ImportedItem | None, kind: str, wp_id: str, obj: Any, guid: str = "", checksum: str = ""
    ) -> None:
        if item is None:
            item = ImportedItem(source=self.source, kind=kind, wp_id=wp_id)
        item.guid = guid[:500]
        item.content_type = self.content_types[type(obj)]
        item.object_id = obj.pk
        item.checksum = checksum
        item.save()

    def _isolated(self, work: Callable[[], Any]) -> tuple[Any, Exception | None]:
        """Run one item's ``work`` in its own transaction; its outcomes count only if it is saved.

        Returns ``(result, None)``, or ``(None, error)`` when it failed and was rolled back; the
        problems it found are kept either way.
        """
        main = self.report
        self.report = ImportReport(source=main.source, dry_run=main.dry_run)
        try:
            with transaction.atomic():
                result = work()
        except Exception as err:  # noqa: BLE001 - one bad item must not stop the import
            main.problems.extend(self.report.problems)
            return None, err
        else:
            main.merge(self.report)
            return result, None
        finally:
            self.report = main

    def _bar(self, total: int, desc: str):
        return tqdm(total=total, desc=desc, unit=" items", disable=not self.progress, file=self.progress_file)

    # Site tree ----------------------------------------------------------------------------
    def news_index(self) -> ArticleIndexPage:
        """The news section, created (with a home page when there is none) if the site lacks it."""
        news = ArticleIndexPage.objects.first()
        if news is not None:
            return news
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            # Wagtail's "Welcome to your new Wagtail site!" placeholder holds the slug 'home'
            # (the demo loader replaces it the same way).
            for placeholder in root.get_children().filter(content_type__model="page", numchild=0):
                Site.objects.filter(root_page=placeholder).delete()
                placeholder.delete()
            slug = "home" if not root.get_children().filter(slug="home").exists() else "gazette-home"
            home = root.add_child(instance=HomePage(title=settings.WAGTAIL_SITE_NAME, slug=slug))
            home.save_revision().publish()
            if not Site.objects.filter(is_default_site=True).exists():
                Site.objects.create(
                    hostname="localhost",
                    port=80,
                    root_page=home,
                    is_default_site=True,
                    site_name=settings.WAGTAIL_SITE_NAME,
                )
        news = home.add_child(instance=ArticleIndexPage(title="News", slug="news"))
        news.save_revision().publish()
        return news

    # Cities -------------------------------------------------------------------------------
    def _city_lookup(self) -> dict[str, City]:
        lookup: dict[str, City] = {}
        for city in City.objects.all():
            for spelling in [*city.spellings, city.slug]:
                lookup.setdefault(spelling.lower(), city)
                if slugify(spelling):  # a Cyrillic name slugifies to "": no key for every term
                    lookup.setdefault(slugify(spelling), city)
        return lookup

    def cities_and_topics(self, item: WxrItem) -> tuple[list[City], list[str]]:
        """The cities its categories and tags name, and the names of the others: its topics
        (``Uncategorized``, WordPress's default, is none). Notes their old archives on the way."""
        found: dict[int, City] = {}
        topics: dict[str, str] = {}
        for term in item.terms:
            if term.domain not in ("category", "post_tag"):
                continue
            city = (
                self.cities.get(term.name.lower())
                or self.cities.get(unquote(term.slug).lower())
                or self.cities.get(slugify(term.name))
            )
            base = "category" if term.domain == "category" else "tag"
            if city is not None:
                found[city.pk] = city
                if term.slug:
                    self.city_archives[(base, term.slug)] = city
                continue
            name = " ".join(term.name.split())[:100]  # a tag's name is at most 100 characters
            if not name:
                continue
            if term.slug:
                self.term_archives.setdefault((base, term.slug), name)
            if name.lower() != "uncategorized":
                topics.setdefault(name.lower(), name)
                self.report.unmatched_terms[f"{term.name} ({'tag' if term.domain == 'post_tag' else 'category'})"] += 1
        return list(found.values()), sorted(topics.values(), key=str.lower)

    def topic(self, name: str) -> Tag:
        """The tag named ``name`` (whatever its case), made the first time it is needed."""
        key = name.lower()
        if key not in self.topic_tags:
            tag = Tag.objects.filter(name__iexact=name).order_by("pk").first()
            self.topic_tags[key] = tag if tag is not None else Tag.objects.create(name=name)
        return self.topic_tags[key]

    # Authors ------------------------------------------------------------------------------
    def contributor_name(self, author: WxrAuthor) -> str | None:
        """The first real name among display name, first + last name and login, or None."""
        display = _clean_name(author.display_name)
        for candidate in (display, _clean_name(f"{author.first_name} {author.last_name}"), author.login):
            if has_real_name(candidate):
                if candidate != display:
                    self.report.problem(
                        gettext("author %(login)r: display name %(display)r is not a name; named %(name)r")
                        % {"login": author.login, "display": author.display_name, "name": candidate}
                    )
                return candidate[:150]
        return None

    def import_authors(self) -> None:
        for author in [*self.channel.authors.values(), *self.channel.guest_authors.values()]:
            try:
                with transaction.atomic():
                    self.contributor(author)
            except Exception as err:  # noqa: BLE001 - one bad author must not stop the import
                self.report.add("authors", "skipped", gettext("error"))
                self.report.problem(
                    gettext("author %(login)r failed: %(error)s") % {"login": author.login, "error": err}
                )

    def contributor(self, author: WxrAuthor) -> Contributor | None:
        if author.login in self.contributors:
            return self.contributors[author.login]
        name = self.contributor_name(author)
        if name is None:
            self.report.add("authors", "skipped", gettext("no usable name"))
            self.report.problem(
                gettext("author %(login)r has no usable name (display name %(display)r)")
                % {"login": author.login, "display": author.display_name}
            )
            self.contributors[author.login] = None
            return None
        mapping, contributor = self._mapped(ImportedItemKind.AUTHOR, author.login, Contributor)
        if contributor is not None:
            self.report.add("authors", "unchanged")
        else:
            contributor = Contributor.objects.filter(name__iexact=name).first()
            if contributor is None:
                contributor = Contributor(name=name, slug=self._contributor_slug(name, author.login))
                contributor.full_clean()
                contributor.save()
                self.report.add("authors", "created")
            else:
                self.report.add("authors", "updated", gettext("matched an existing contributor by name"))
            self._remember(mapping, ImportedItemKind.AUTHOR, author.login, contributor)
        self.contributors[author.login] = contributor
        return contributor

    def _contributor_slug(self, name: str, login: str) -> str:
        base = (slugify(name) or slugify(login) or "contributor")[:140]
        slug, n = base, 2
        while Contributor.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _find_author(self, ref: str, label: str, item: WxrItem) -> WxrAuthor | None:
        known = {**self.channel.guest_authors, **self.channel.authors}
        if ref in known:
            return known[ref]
        cleaned = _LOGIN_JUNK_RE.sub("", ref)
        if cleaned in known:
            self.report.problem(
                gettext("%(item)s: author %(ref)r is malformed; read as %(cleaned)r")
                % {"item": item.label, "ref": ref, "cleaned": cleaned}
            )
            return known[cleaned]
        for author in known.values():
            if ref and ref in (slugify(author.display_name), slugify(author.login)):
                return author
        term = self.channel.author_terms.get(ref) or self.channel.author_terms.get(f"cap-{ref}")
        if term is not None and term.name in known:
            return known[term.name]
        name = _clean_name(label) or _clean_name(ref)
        if not cleaned and not name:
            return None
        self.report.problem(
            gettext("%(item)s: author %(ref)r is not listed in the export; added from the post")
            % {"item": item.label, "ref": ref or label}
        )
        return WxrAuthor(login=cleaned or slugify(name), display_name=name)

    def byline_for(self, item: WxrItem) -> list[Contributor]:
        coauthors = [t for t in item.terms if t.domain == "author"]
        refs = [(t.slug.removeprefix("cap-"), t.name) for t in coauthors] or [(item.creator, "")]
        byline: list[Contributor] = []
        for ref, label in refs:
            author = self._find_author(ref.strip(), label, item)
            contributor = self.contributor(author) if author is not None else None
            if contributor is None:
                self.report.problem(
                    gettext("%(item)s: byline entry %(ref)r has no usable name; left out")
                    % {"item": item.label, "ref": ref or label}
                )
            elif contributor not in byline:
                byline.append(contributor)
        return byline

    # Pictures -----------------------------------------------------------------------------
    def import_attachments(self) -> None:
        attachments = list(self.channel.attachments.values())
        for attachment in attachments:
            for url in (attachment.attachment_url, attachment.guid):
                if url.startswith("http"):
                    self.image_urls.setdefault(_normalise_url(url), attachment.wp_id)
                    self.resized_image_urls.setdefault(_normalise_url(url, strip_size=True), attachment.wp_id)
        for (state, reason), n in self.channel.dropped_attachments.items():
            self.report.add("attachments", "skipped", reason, state=state, n=n)
        with self._bar(len(attachments), "attachments") as bar:
            for attachment in attachments:
                image, err = self._isolated(lambda attachment=attachment: self.import_attachment(attachment))
                if err is not None:
                    self.report.add("attachments", "skipped", gettext("error"), state=attachment.state)
                    self.report.problem(
                        gettext("%(item)s failed: %(error)s") % {"item": attachment.label, "error": err}
                    )
                if image is not None:
                    self.images[attachment.wp_id] = image
                bar.update()

    def _attachment_fields(self, attachment: WxrItem) -> dict[str, str]:
        credit = _CREDIT_RE.search(attachment.meta.get("_wp_attachment_metadata", ""))
        url = attachment.attachment_url
        return {
            "title": (plain_text(attachment.title) or PurePosixPath(urlsplit(url).path).name or "Picture")[:255],
            "caption": multiline_text(attachment.excerpt),
            "description": plain_text(attachment.meta.get("_wp_attachment_image_alt", ""))[:255],
            "credit": credit.group(1)[:255] if credit else "",
            "source_url": url if len(url) <= 200 and url.startswith("http") else "",
        }

    def import_attachment(self, attachment: WxrItem) -> Any:
        url = attachment.attachment_url or attachment.guid
        extension = _extension(attachment.meta.get("_wp_attached_file", "") or url)
        if extension not in IMAGE_EXTENSIONS:
            reason = gettext("not a picture (.%(extension)s)") % {"extension": extension or "?"}
            self.report.add("attachments", "skipped", reason, state=attachment.state)
            return None
        fields = self._attachment_fields(attachment)
        Image = get_image_model()
        mapping, image = self._mapped(ImportedItemKind.ATTACHMENT, str(attachment.wp_id), Image)
        if image is not None:
            changed = [name for name, value in fields.items() if getattr(image, name) != value]
            for name in changed:
                setattr(image, name, fields[name])
            if changed:
                image.save(update_fields=changed)
            self.report.add("attachments", "updated" if changed else "unchanged", state=attachment.state)
            return image
        data, reason = self.fetch(attachment, url)
        if data is None:
            self.report.add("attachments", "skipped", reason, state=attachment.state)
            self.report.problem(f"{attachment.label}: {reason} ({url})")  # reason: translated by fetch()
            return None
        try:
            with PILImage.open(io.BytesIO(data)) as probe:
                probe.verify()
        except Exception:  # noqa: BLE001 - Pillow raises many types for a damaged file
            self.report.add("attachments", "skipped", gettext("not a readable picture"), state=attachment.state)
            self.report.problem(
                gettext("%(item)s: the file is not a readable picture (%(url)s)")
                % {"item": attachment.label, "url": url}
            )
            return None
        digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()  # Wagtail's own file_hash is SHA-1
        image = Image.objects.filter(file_hash=digest).first()
        if image is None:
            image = Image(**fields)
            name = PurePosixPath(urlsplit(url).path).name or f"wordpress-{attachment.wp_id}.{extension}"
            image.file = ImageFile(io.BytesIO(data), name=name)
            image._set_file_hash()
            image.save()
            self.created_images.append(image)
            self.report.add("attachments", "created", state=attachment.state)
        else:
            self.report.add(
                "attachments", "updated", gettext("same file already in the library"), state=attachment.state
            )
        self._remember(mapping, ImportedItemKind.ATTACHMENT, str(attachment.wp_id), image, attachment.guid)
        return image

    def _local_candidates(self, attachment: WxrItem, url: str) -> list[str]:
        path = unquote(urlsplit(url).path).lstrip("/")
        candidates = [attachment.meta.get("_wp_attached_file", ""), path]
        for marker in ("wp-content/uploads/", "files/"):
            if marker in path:
                candidates.append(path.split(marker, 1)[1])
        candidates.append(PurePosixPath(path).name)
        return [c for c in dict.fromkeys(candidates) if c]

    def fetch(self, attachment: WxrItem, url: str) -> tuple[bytes | None, str]:
        """The picture's bytes from the media folder, else from the web; or None and why."""
        if self.media_dir is not None:
            for candidate in self._local_candidates(attachment, url):
                path = (self.media_dir / candidate).resolve()
                if path.is_relative_to(self.media_dir) and path.is_file():
                    if path.stat().st_size > self.max_bytes:
                        return None, gettext("file too large")
                    return path.read_bytes(), ""
        if self.client is None or not url.startswith(("http://", "https://")):
            return None, gettext("file not found in the media folder") if self.media_dir else gettext(
                "file not available"
            )
        host = urlsplit(url).netloc
        if host in self.unreachable_hosts:
            return None, gettext("download failed (host unreachable)")
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code != 200:
                    return None, gettext("download failed (HTTP %(status)s)") % {"status": response.status_code}
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        return None, gettext("file too large")
                    chunks.append(chunk)
                return b"".join(chunks), ""
        except httpx.TransportError:
            self.unreachable_hosts.add(host)
            return None, gettext("download failed (host unreachable)")

    def resolve_image(self, wp_id: int | None, src: str) -> Any:
        if wp_id is not None and wp_id in self.images:
            return self.images[wp_id]
        if src:
            found = self.image_urls.get(_normalise_url(src))
            if found is None:
                found = self.resized_image_urls.get(_normalise_url(src, strip_size=True))
            if found is not None:
                return self.images.get(found)
        return None

    def own_images(self, item: WxrItem) -> list[Any]:
        attached = sorted(
            (a for a in self.channel.attachments.values() if a.parent_id == item.wp_id),
            key=lambda a: (a.menu_order, a.wp_id),
        )
        return [self.images[a.wp_id] for a in attached if a.wp_id in self.images]

    # Posts --------------------------------------------------------------------------------
    def import_posts(self) -> None:
        for (post_type, status), n in self.channel.item_states.items():
            if post_type not in ("post", "attachment"):
                self.report.add(
                    kind_label(post_type),
                    "skipped",
                    gettext("only posts and their pictures are imported"),
                    state=status,
                    n=n,
                )
        for (post_type, state), n in self.channel.comment_states.items():
            if post_type != "post":
                reason = gettext("on %(kind)s, which are not imported") % {"kind": kind_label(post_type)}
                self.report.add("comments", "skipped", reason, state=state, n=n)
        news = self.news_index()
        size = self.batch_size
        with self._bar(self.channel.item_counts.get("post", 0), "posts") as bar:
            batch: list[WxrItem] = []
            for item in iter_items(self.path):
                batch.append(item)
                if len(batch) >= size:
                    self.import_post_batch(batch, news)
                    bar.update(len(batch))
                    batch = []
            if batch:
                self.import_post_batch(batch, news)
                bar.update(len(batch))

    def import_post_batch(self, items: list[WxrItem], news: ArticleIndexPage) -> None:
        """Import ``items`` in one transaction, new posts written in bulk (``bulk.py``).

        When anything in the batch fails, the batch is rolled back and its posts are imported
        again one by one, each in its own transaction, so the one bad post is reported and
        the others go in.
        """
        main, known_authors = self.report, set(self.contributors)
        self.report = ImportReport(source=main.source, dry_run=main.dry_run)
        try:
            with transaction.atomic():
                self.write_post_batch(items, news)
        except Exception:  # noqa: BLE001 - the posts are retried one by one, each error reported
            failed = True
        else:
            failed = False
            main.merge(self.report)
        finally:
            self.report = main
        if not failed:
            return
        for login in set(self.contributors) - known_authors:
            del self.contributors[login]  # rolled back with the batch
        self.sibling_slugs = None  # the batch's slugs were rolled back with it
        self.topic_tags.clear()  # and the topics it made
        news.refresh_from_db()
        for item in items:
            known_authors = set(self.contributors)
            _, err = self._isolated(lambda item=item: self.import_post(item, news))
            if err is not None:
                # Contributors first met in this post, and its slug, were rolled back with it.
                for login in set(self.contributors) - known_authors:
                    del self.contributors[login]
                self.sibling_slugs = None
                self.topic_tags.clear()
                self.report.add("posts", "skipped", gettext("error"), state=item.state)
                self.skip_comments(item, gettext("its post failed"))
                self.report.problem(gettext("%(item)s failed: %(error)s") % {"item": item.label, "error": err})

    def write_post_batch(self, items: list[WxrItem], news: ArticleIndexPage) -> None:
        """Import ``items``: the ones already imported, scheduled, password-protected or empty
        one by one through Wagtail, the other new posts in bulk."""
        keys = [str(item.wp_id) for item in items if item.wp_id is not None]
        mapped = set(
            ImportedItem.objects.filter(source=self.source, kind=ImportedItemKind.POST, wp_id__in=keys).values_list(
                "wp_id", flat=True
            )
        )
        new: list[tuple[WxrItem, _Plan]] = []
        for item in items:
            if not self.importable(item):
                continue
            if str(item.wp_id) in mapped:
                self.import_post(item, news)
                continue
            plan = self.plan(item, None, news)
            if plan.state in ("published", "draft", "private") and not plan.password and plan.body:
                new.append((item, plan))
            else:
                self.import_planned(item, news, None, None, plan)
        if new:
            self.write_new_posts(new, news)

    def write_new_posts(self, new: list[tuple[WxrItem, _Plan]], news: ArticleIndexPage) -> None:
        """Create the articles of ``new`` posts in bulk, with their mapping, redirects and comments,
        and do what Wagtail's publication signals would have done for each (see ``bulk.py``)."""
        articles = []
        for _item, plan in new:
            live = plan.state == "published"
            article = ArticlePage(
                title=plan.title,
                slug=plan.slug,
                standfirst=plan.standfirst,
                body=plan.body,
                lead_image=plan.lead_image,
                live=live,
                has_unpublished_changes=not live,
                first_published_at=plan.date if live else None,
                last_published_at=plan.date if live else None,
            )
            article.bylines = [ArticleByline(contributor=c, sort_order=i) for i, c in enumerate(plan.byline)]
            article.cities = plan.cities
            article.tagged_topics = [ArticleTopic(tag=self.topic(name)) for name in plan.topics]
            articles.append(article)
        bulk.insert_articles(news, articles)
        news_url = news.url or ""
        bulk.rows_for(ImportedItem).insert_objects(
            [
                ImportedItem(
                    source=self.source,
                    kind=ImportedItemKind.POST,
                    wp_id=str(item.wp_id),
                    guid=item.guid[:500],
                    content_type=self.content_types[ArticlePage],
                    object_id=article.pk,
                    checksum=plan.checksum(),
                )
                for (item, plan), article in zip(new, articles, strict=True)
            ]
        )
        redirects: list[tuple[str, ArticlePage]] = []
        comments: list[tuple[ReaderComment, ReaderComment | None]] = []
        for (item, plan), article in zip(new, articles, strict=True):
            self.report.add("posts", "created", state=item.state)
            self.report.post_states[plan.state] += 1
            if article.live:
                redirects.append((f"/?p={item.wp_id}", article))
                own_url = Redirect.normalise_path(f"{news_url}{article.slug}/") if news_url else ""
                if plan.old_path and plan.old_path != own_url:
                    redirects.append((plan.old_path, article))
            self.import_comments(item, article, plan.date, new_comments=comments)
        self.bulk_redirects(redirects)
        bulk.insert_comments(comments)
        live = [article.pk for article in articles if article.live]
        if live:
            bulk.rows_for(SearchEntry).insert_objects([search_index.entry_for(a) for a in articles if a.live])
            transaction.on_commit(lambda: index_imported_articles.enqueue(live))
            for article in articles:
                if article.live and (article.lead_image_id or any(b.block_type != "paragraph" for b in article.body)):
                    warm_article_renditions.enqueue(article.pk)
        self.created_articles.update(article.pk for article in articles)
        self.touched_articles.update(article.pk for article in articles)

    def bulk_redirects(self, redirects: list[tuple[str, ArticlePage]]) -> None:
        """:meth:`redirect` for many new pages: one query for the addresses already taken."""
        wanted: dict[str, ArticlePage] = {}
        for old_path, page in redirects:
            old_path = Redirect.normalise_path(old_path)
            if len(old_path) > 255:
                self.report.add("redirects", "skipped", gettext("the old address is too long"))
            elif old_path in wanted:
                self.redirect_taken(old_path)
            else:
                wanted[old_path] = page
        taken = set()
        paths = list(wanted)
        for start in range(0, len(paths), 500):
            taken |= set(
                Redirect.objects.filter(site=None, old_path__in=paths[start : start + 500]).values_list(
                    "old_path", flat=True
                )
            )
        for old_path in sorted(taken):
            self.redirect_taken(old_path)
        created = [
            Redirect(old_path=old_path, site=None, redirect_page=page, redirect_link="", is_permanent=True)
            for old_path, page in wanted.items()
            if old_path not in taken
        ]
        if created:
            bulk.rows_for(Redirect).insert_objects(created)
            self.report.add("redirects", "created", n=len(created))

    def skip_comments(self, item: WxrItem, reason: str) -> None:
        """Count the comments of a post that was not imported as skipped, by state."""
        for comment in item.comments:
            self.report.add("comments", "skipped", reason, state=comment_state(comment.approved, comment.comment_type))

    def post_date(self, item: WxrItem) -> datetime | None:
        for problem in item.problems:
            self.report.problem(f"{item.label}: {problem}")
        if item.date_gmt is not None:
            return item.date_gmt
        if item.date_local is not None:
            return timezone.make_aware(item.date_local, self.zone)
        return None

    def plan(self, item: WxrItem, page: ArticlePage | None, news: ArticleIndexPage) -> _Plan:
        key = str(item.wp_id)
        title = _clean_name(item.title)[:255]
        if not title:
            title = gettext("Untitled (WordPress post %(id)s)") % {"id": key}
            self.report.problem(gettext("%(item)s: no title; named %(title)r") % {"item": item.label, "title": title})
        conversion = convert(item.content, self.resolve_image, lambda: self.own_images(item))
        for dropped, n in conversion.dropped.items():
            self.report.reasons[CONTENT_LEFT_OUT][dropped] += n
        self.report.linked_images += len(conversion.linked_images)
        for src in conversion.missing_images:
            self.report.problem(
                gettext("%(item)s: picture %(src)s is not among the imported attachments; left out")
                % {"item": item.label, "src": src}
            )
        lead_image = None
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        if thumbnail:
            lead_image = self.images.get(int(thumbnail)) if thumbnail.isdigit() else None
            if lead_image is None:
                self.report.problem(
                    gettext("%(item)s: featured image %(id)s was not imported") % {"item": item.label, "id": thumbnail}
                )
        standfirst = _truncate_words(plain_text(item.excerpt) or conversion.text(), STANDFIRST_LENGTH) or title
        byline = self.byline_for(item)
        date = self.post_date(item)
        state = {"publish": "published", "future": "scheduled", "private": "private"}.get(item.status, "draft")
        if state == "scheduled" and (date is None or date <= timezone.now()):
            state = "published"
        if state in ("published", "scheduled"):
            reasons = []
            if not byline:
                reasons.append(gettext("no usable author"))
            if date is None:
                reasons.append(gettext("no usable date"))
            if reasons:
                self.report.problem(
                    gettext("%(item)s: %(reasons)s; imported as a draft")
                    % {"item": item.label, "reasons": ", ".join(reasons)}
                )
                state = "draft"
        if not conversion.blocks:
            # Kept as it was on the old site (a published post stays published); the proofing
            # checks show the editor an empty-body finding on the article.
            self.report.problem(
                gettext("%(item)s: no body; imported as it was, with a proofing finding") % {"item": item.label}
            )
        slug = page.slug if page is not None else self._slug(item, title, news)
        cities, topics = self.cities_and_topics(item)
        return _Plan(
            title=title,
            slug=slug,
            standfirst=standfirst,
            body=conversion.blocks,
            lead_image=lead_image,
            byline=byline,
            cities=cities,
            topics=topics,
            state=state,
            date=date,
            password=item.password if state == "published" else "",
            old_path=self._old_path(item),
        )

    def _old_path(self, item: WxrItem) -> str:
        """The post's permalink path on the old site, for a redirect; empty for ``/?p=123``
        links, whose path is the front page (Wagtail redirects only what would be a 404)."""
        link = urlsplit(item.link)
        if not item.link.startswith(("http://", "https://")) or link.path in ("", "/"):
            return ""
        path = Redirect.normalise_path(item.link)
        return path if len(path) <= 255 else ""

    def _slug(self, item: WxrItem, title: str, news: ArticleIndexPage) -> str:
        base = (slugify(unquote(item.post_name), allow_unicode=True) or slugify(title, allow_unicode=True))[:240]
        base = base or f"post-{item.wp_id}"
        if self.sibling_slugs is None:
            self.sibling_slugs = set(news.get_children().values_list("slug", flat=True))
        slug, n = base, 2
        while slug in self.sibling_slugs:
            slug, n = f"{base}-{n}", n + 1
        self.sibling_slugs.add(slug)  # taken from now on, whether the post goes in in bulk or alone
        return slug

    def importable(self, item: WxrItem) -> bool:
        """Whether the post is imported at all; when not, it and its comments are counted as skipped."""
        if item.wp_id is None:
            self.report.add("posts", "skipped", gettext("no post id"), state=item.state)
            self.report.problem(gettext("%(item)s: no wp:post_id; skipped") % {"item": item.label})
            self.skip_comments(item, gettext("its post has no id"))
            return False
        if item.status in ("trash", "auto-draft", "inherit"):
            self.report.add(
                "posts", "skipped", gettext("status %(status)s") % {"status": item.status}, state=item.state
            )
            self.skip_comments(item, gettext("its post's status is %(status)s") % {"status": item.status})
            return False
        return True

    def import_post(self, item: WxrItem, news: ArticleIndexPage) -> None:
        """Import one post through Wagtail (``add_child``, ``save_revision``, ``publish``)."""
        if not self.importable(item):
            return
        mapping, page = self._mapped(ImportedItemKind.POST, str(item.wp_id), ArticlePage)
        self.import_planned(item, news, mapping, page, self.plan(item, page, news))

    def import_planned(
        self, item: WxrItem, news: ArticleIndexPage, mapping: ImportedItem | None, page: ArticlePage | None, plan: _Plan
    ) -> None:
        key = str(item.wp_id)
        checksum = plan.checksum()
        if page is not None and mapping.checksum == checksum:
            self.report.add("posts", "unchanged", state=item.state)
        else:
            updating = page is not None
            page = self.write_page(plan, page, news)
            self.report.add("posts", "updated" if updating else "created", state=item.state)
            self._remember(mapping, ImportedItemKind.POST, key, page, item.guid, checksum)
            self.touched_articles.add(page.pk)
            if not plan.body:
                proofread_page(page.get_latest_revision_as_object())
        if plan.state == "published":
            # Plain permalinks (and every WordPress shortlink) are /?p=ID; see middleware.py. Both
            # redirects are checked for an unchanged post too, so a second run counts (and, if one
            # was deleted, restores) every redirect the first one made.
            self.redirect(f"/?p={item.wp_id}", page)
            if plan.old_path and plan.old_path != Redirect.normalise_path(page.url or ""):
                self.redirect(plan.old_path, page)
        self.report.post_states[plan.state] += 1
        self.import_comments(item, page, plan.date)

    def write_page(self, plan: _Plan, page: ArticlePage | None, news: ArticleIndexPage) -> ArticlePage:
        new = page is None
        if new:
            page = ArticlePage(slug=plan.slug, live=False)
        page.title = plan.title
        page.standfirst = plan.standfirst
        page.body = plan.body
        page.lead_image = plan.lead_image
        page.bylines = [ArticleByline(contributor=c, sort_order=i) for i, c in enumerate(plan.byline)]
        page.cities = plan.cities
        page.tagged_topics = [ArticleTopic(tag=self.topic(name)) for name in plan.topics]
        live = plan.state == "published"
        page.go_live_at = plan.date if plan.state == "scheduled" else None
        if new:
            news.add_child(instance=page)
        revision = page.save_revision(clean=bool(plan.body) and (live or plan.state == "scheduled"))
        if plan.state in ("published", "scheduled"):
            revision.publish()
        elif page.live:
            page.unpublish()
        if live:
            ArticlePage.objects.filter(pk=page.pk).update(
                first_published_at=plan.date, last_published_at=plan.date, updated_at=None
            )
        restriction = PageViewRestriction.objects.filter(page=page).first()
        if plan.password:
            if restriction is None:
                restriction = PageViewRestriction(page=page)
            restriction.restriction_type = PageViewRestriction.PASSWORD
            restriction.password = plan.password
            restriction.save()
        elif restriction is not None and restriction.restriction_type == PageViewRestriction.PASSWORD:
            restriction.delete()
        return page

    def redirect(self, old_path: str, page: ArticlePage | None = None, link: str = "") -> None:
        """Send readers and search engines from an old address to ``page`` or ``link`` (301).

        An address that already redirects elsewhere (set by hand, or by another import) is left
        as it is, and reported."""
        old_path = Redirect.normalise_path(old_path)
        if len(old_path) > 255:
            self.report.add("redirects", "skipped", gettext("the old address is too long"))
            return
        target = {"redirect_page": page, "redirect_link": ""} if page is not None else {"redirect_link": link}
        redirect, created = Redirect.objects.get_or_create(
            old_path=old_path, site=None, defaults={**target, "is_permanent": True}
        )
        if created:
            self.report.add("redirects", "created")
        elif (page is not None and redirect.redirect_page_id != page.pk) or (
            page is None and redirect.redirect_link != link
        ):
            self.redirect_taken(old_path)
        else:
            self.report.add("redirects", "unchanged")

    def redirect_taken(self, old_path: str) -> None:
        self.report.add("redirects", "skipped", gettext("the old address already redirects elsewhere"))
        self.report.problem(gettext("redirect %(path)s already points elsewhere; left as it is") % {"path": old_path})

    def redirect_archives(self) -> None:
        """The old site's feeds, and the archives of its authors, categories and tags."""
        self.redirect("/feed", link=reverse("feeds:site-rss"))
        self.redirect("/feed/rss2", link=reverse("feeds:site-rss"))
        for author in [*self.channel.authors.values(), *self.channel.guest_authors.values()]:
            contributor = self.contributors.get(author.login)
            if contributor is None:
                continue
            slug = slugify(author.login)
            if slug:
                self.redirect(f"/author/{slug}", link=contributor.get_absolute_url())
                self.redirect(f"/author/{slug}/feed", link=reverse("feeds:contributor-rss", args=[contributor.slug]))
            if author.wp_id is not None:
                self.redirect(f"/?author={author.wp_id}", link=contributor.get_absolute_url())
        archives = {
            key: (city.get_absolute_url(), reverse("feeds:city-rss", args=[city.slug]))
            for key, city in self.city_archives.items()
        }
        # A topic's old archive becomes the archive search for the topic (its stories, newest
        # first), and its feed the site's feed.
        for key, name in self.term_archives.items():
            if key in archives:
                continue  # the same slug also named a city on another post
            if name.lower() == "uncategorized":
                link = "/"  # WordPress's default category: every post without one
            else:
                link = f"{reverse('search:search')}?{urlencode({'topic': self.topic(name).slug})}"
            archives[key] = (link, reverse("feeds:site-rss"))
        for (base, slug), (link, feed) in sorted(archives.items()):
            self.redirect(f"/{base}/{slug}", link=link)
            self.redirect(f"/{base}/{slug}/feed", link=feed)
            # The same archives under plain permalinks (WordPress's default).
            if base == "tag":
                self.redirect(f"/?tag={slug}", link=link)
            elif slug in self.channel.category_ids:
                self.redirect(f"/?cat={self.channel.category_ids[slug]}", link=link)

    # Comments -----------------------------------------------------------------------------
    def import_comments(
        self,
        item: WxrItem,
        page: ArticlePage,
        post_date: datetime | None,
        new_comments: list[tuple[ReaderComment, ReaderComment | None]] | None = None,
    ) -> None:
        """Import the post's comments, parents before their replies, each reply linked to its parent.

        A reply whose parent is not imported (a ping, an empty or unreadable comment, or one
        missing from the export) is kept as a reply to a removed comment. For a new article,
        ``new_comments`` collects the unsaved comments with their parents instead, for
        :func:`bulk.insert_comments`.
        """
        fallback = post_date or timezone.now()
        by_id = {c.wp_id: c for c in item.comments if c.wp_id is not None}

        def depth(comment: WxrComment) -> int:
            seen, n = set(), 0
            while comment.parent_id in by_id and comment.parent_id not in seen:
                seen.add(comment.parent_id)
                comment, n = by_id[comment.parent_id], n + 1
            return n

        def order(comment: WxrComment) -> tuple[int, datetime, int]:
            local = timezone.make_aware(comment.date_local, self.zone) if comment.date_local else None
            return (depth(comment), comment.date_gmt or local or fallback, comment.wp_id or 0)

        saved: dict[int, ReaderComment] = {}
        for comment in sorted(item.comments, key=order):
            state = comment_state(comment.approved, comment.comment_type)
            if comment.comment_type in ("pingback", "trackback"):
                # A ping is a link from another site, not a reader's words: Gazette has no place
                # for it, and the referring page is still on the web.
                self.report.add("comments", "skipped", comment.comment_type, state=state)
                continue
            if comment.wp_id is None:
                self.report.add("comments", "skipped", gettext("no comment id"), state=state)
                continue
            status = _COMMENT_STATUS.get(comment.approved)
            if status is None:
                reason = gettext("unknown status %(status)r") % {"status": comment.approved}
                self.report.add("comments", "skipped", reason, state=state)
                continue
            body = multiline_text(comment.content)
            if not body:
                self.report.add("comments", "skipped", gettext("empty"), state=state)
                continue
            parent = saved.get(comment.parent_id) if comment.parent_id else None
            if comment.parent_id and parent is None:
                self.report.problem(
                    gettext(
                        "%(item)s: comment %(id)s answers comment %(parent)s, which was not imported; "
                        "kept as a reply to a removed comment"
                    )
                    % {"item": item.label, "id": comment.wp_id, "parent": comment.parent_id}
                )
            if new_comments is None:
                saved[comment.wp_id] = self.save_comment(item, page, comment, status, body, post_date, parent, state)
            else:
                values = self.comment_values(item, page, comment, body, post_date, parent)
                saved[comment.wp_id] = new = self.new_comment(item, comment, status, values, state)
                new_comments.append((new, parent))

    def comment_ip(self, raw: str, created: datetime) -> tuple[str | None, bool]:
        """The commenter's address as stored: IPv4-mapped IPv6 unwrapped, and truncated (with
        the flag set) when the comment is older than ``GAZETTE_COMMENT_IP_RETENTION_DAYS``,
        as the comments app does for its own. None for no or an unreadable address."""
        try:
            address = ipaddress.ip_address(raw.strip())
        except ValueError:
            return None, False
        if address.version == 6 and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        retention = getattr(settings, "GAZETTE_COMMENT_IP_RETENTION_DAYS", 30)
        if created < timezone.now() - timedelta(days=retention):
            return truncate_ip(str(address)), True
        return str(address), False

    def comment_values(
        self,
        item: WxrItem,
        page: ArticlePage,
        comment: WxrComment,
        body: str,
        post_date: datetime | None,
        parent: ReaderComment | None,
    ) -> dict[str, Any]:
        """The fields of the comment as Gazette stores it (all but its source, id and status)."""
        created = comment.date_gmt
        if created is None and comment.date_local is not None:
            created = timezone.make_aware(comment.date_local, self.zone)
        if created is None:
            created = post_date or timezone.now()
            self.report.problem(
                gettext("%(item)s: comment %(id)s has no usable date; dated %(date)s")
                % {"item": item.label, "id": comment.wp_id, "date": f"{created:%Y-%m-%d}"}
            )
        email = comment.email.strip()
        try:
            validate_email(email)
        except ValidationError:
            email = ""
        ip, ip_truncated = self.comment_ip(comment.ip, created)
        values = {
            "article": page,
            "author_name": (_clean_name(comment.author) or "Anonymous")[:100],
            "author_email": email,
            "email_hash": commenter_key(email),
            "body": body,
            "created_at": created,
            "ip_address": ip,
            "ip_truncated": ip_truncated,
            "parent": parent,
            "parent_removed": bool(comment.parent_id) and parent is None,
        }
        return values

    def new_comment(
        self, item: WxrItem, comment: WxrComment, status: str, values: dict[str, Any], state: str
    ) -> ReaderComment:
        """An unsaved comment, counted as created."""
        values = {**values}
        parent = values.pop("parent")
        new = ReaderComment(
            source=CommentSource.WORDPRESS,
            external_id=f"{self.site_key}:{comment.wp_id}",
            status=status,
            published_at=values["created_at"] if status == CommentStatus.PUBLISHED else None,
            **values,
        )
        if parent is not None and parent.pk is not None:
            new.parent = parent
        self.report.add("comments", "created", state=state)
        self.report.comment_states[status] += 1
        return new

    def save_comment(
        self,
        item: WxrItem,
        page: ArticlePage,
        comment: WxrComment,
        status: str,
        body: str,
        post_date: datetime | None,
        parent: ReaderComment | None,
        state: str,
    ) -> ReaderComment:
        values = self.comment_values(item, page, comment, body, post_date, parent)
        external_id = f"{self.site_key}:{comment.wp_id}"
        existing = ReaderComment.objects.filter(source=CommentSource.WORDPRESS, external_id=external_id).first()
        if existing is None:
            created_comment = self.new_comment(item, comment, status, values, state)
            if parent is not None:
                created_comment.parent = parent
            created_comment.save()
            self.touched_articles.add(page.pk)
            return created_comment
        # The moderation status is Gazette's from the first import on: a re-run never
        # republishes a comment a moderator has since rejected.
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        for name in changed:
            setattr(existing, name, values[name])
        if changed:
            if "parent" in changed:
                existing.thread = None  # recomputed from the new parent on save
                changed.append("thread")
            existing.save(update_fields=changed)
            self.touched_articles.add(page.pk)
        self.report.add("comments", "updated" if changed else "unchanged", state=state)
        self.report.comment_states[existing.status] += 1
        return existing

    # Run ----------------------------------------------------------------------------------
    def run(self) -> None:
        for (post_type, status), n in self.channel.item_states.items():
            self.report.expected[kind_label(post_type)][status] += n
        for (_post_type, state), n in self.channel.comment_states.items():
            self.report.expected["comments"][state] += n
        self.import_authors()
        self.import_attachments()
        self.import_posts()
        self.redirect_archives()
        purge_tags(self.purged_tags())

    def purged_tags(self) -> set[str]:
        """The cache tags of every article this run created or changed, read a thousand at a time.

        A new article's own page tag is left out: nothing was cached under it.
        """
        tags: set[str] = set()
        touched = sorted(self.touched_articles)
        for start in range(0, len(touched), 1000):
            chunk = touched[start : start + 1000]
            articles = ArticlePage.objects.filter(pk__in=chunk).only("pk").prefetch_related("cities", "bylines")
            for article in articles:
                found = article_tags(article)
                if article.pk in self.created_articles:
                    found.discard(content_tags.article(article.pk))
                tags |= found
        return tags

    def note_written_files(self) -> None:
        """Remember the picture files (originals and renditions) this run wrote, for a dry run
        to delete after rolling the database back. Call before the rollback."""
        for image in self.created_images:
            self.written_files.append((image.file.storage, image.file.name))
            for rendition in image.renditions.all():
                self.written_files.append((rendition.file.storage, rendition.file.name))

    def discard_files(self) -> None:
        for storage, name in self.written_files:
            storage.delete(name)


def import_wordpress(
    path: Path | str,
    *,
    media_dir: Path | str | None = None,
    dry_run: bool = False,
    download: bool = True,
    progress: bool = False,
    progress_file: IO[str] | None = None,
    http_client: httpx.Client | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import the WXR export at ``path``; see the module docstring for what becomes what.

    Raises :class:`~gazette.wordpress.parser.WxrError` (before writing anything) when the file
    is not a readable WordPress export; every other problem is in the returned report.
    ``batch_size`` posts are written per transaction: an interrupted import keeps every batch
    it finished, and a re-run carries on from there.
    """
    path = Path(path)
    channel = read_channel(path)
    report = ImportReport(source=channel.site_url or path.name, dry_run=dry_run)
    own_client = None
    if download and http_client is None:
        own_client = http_client = httpx.Client(
            timeout=getattr(settings, "GAZETTE_WORDPRESS_DOWNLOAD_TIMEOUT", 15),
            follow_redirects=True,
            headers={"User-Agent": "Gazette WordPress importer"},
        )
    importer = _Importer(
        path,
        channel,
        report,
        Path(media_dir) if media_dir else None,
        http_client if download else None,
        progress,
        progress_file,
    )
    importer.batch_size = max(batch_size, 1)
    try:
        if dry_run:
            try:
                with transaction.atomic():
                    importer.run()
                    importer.note_written_files()
                    transaction.set_rollback(True)
            finally:
                importer.discard_files()
        else:
            importer.run()
    finally:
        if own_client is not None:
            own_client.close()
    return report
