"""Running the editorial checks, storing their findings and acting on them.

Shared by the page editor (the findings panel and its buttons) and the ``proofread`` command.
Nothing here runs while an editor saves or opens an article: the panel asks for the findings
once the editor has loaded (:func:`current_findings`), and they are computed once per version
of the article's content and reused until it changes. Checking never raises into the editor:
a failure is logged and the panel says the checks could not run.
"""

import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.utils.translation import get_language, gettext

from .checks import ArticleDraft, Finding, run_checks
from .lexicon import load_gazetteer, load_site_words
from .models import ArticleFinding, DeskWord, DismissedFinding

logger = logging.getLogger(__name__)

# Which content the stored findings of a page were computed for (see current_findings).
CHECKED_CACHE_KEY = "gazette:editorial:checked:{page_id}"
CHECKED_TIMEOUT = 60 * 60 * 24 * 30

_TAG_RE = re.compile(r"(<[^>]*>)")


def store_findings(page, findings: Iterable[Finding]) -> list[ArticleFinding]:
    """Replace the page's stored findings with these (one row per check and text)."""
    rows = [
        ArticleFinding(
            page_id=page.pk,
            check_name=f.check,
            severity=f.severity,
            message=f.message,
            text=f.text[:255],
            where=f.where[:255],
            replacements=list(f.replacements),
            fingerprint=f.fingerprint,
            dismissible=f.dismissible,
        )
        for f in findings
    ]
    with transaction.atomic():
        ArticleFinding.objects.filter(page_id=page.pk).delete()
        return ArticleFinding.objects.bulk_create(rows)


def _image_facts(image) -> list:
    return [image.pk, image.title, getattr(image, "description", ""), getattr(image, "credit", "")]


def content_key(page) -> str:
    """A digest of everything the checks read for this version of ``page``.

    Its text (headline, standfirst, lead caption and credit, the body's raw data), the pictures
    it shows (their title, alt text and credit: the blocking checks read them), its byline, and
    the names the site knows (every city spelling, contributors, the desk's word list), and the
    language the findings are written in (the editor's: another editor's language checks again,
    so nobody reads findings in a language they did not choose). Two versions with the same
    digest get the same findings; any change to one of these changes it.
    """
    draft = ArticleDraft.from_page(page)
    images = page.get_images() if hasattr(page, "get_images") else []
    parts = {
        "text": [draft.headline, draft.standfirst, draft.lead_caption, draft.lead_credit],
        "body": page.body.get_prep_value() if page.body is not None else [],
        "images": [_image_facts(image) for image in images],
        "byline": [[c.pk, c.name] for c in draft.contributors or []],
        "gazetteer": sorted(load_gazetteer().items()),
        "words": sorted(load_site_words()),
        "language": get_language() or "",
    }
    raw = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def _remember_checked(page, key: str, rows: list[ArticleFinding]) -> None:
    marker = {"key": key, "ids": sorted(row.pk for row in rows)}
    cache.set(CHECKED_CACHE_KEY.format(page_id=page.pk), marker, CHECKED_TIMEOUT)


def _proofread(page, key: str | None = None) -> list[ArticleFinding]:
    _load_byline(page)
    key = key or content_key(page)
    rows = store_findings(page, run_checks(ArticleDraft.from_page(page)))
    _remember_checked(page, key, rows)
    return rows


def _load_byline(page) -> None:
    """Load the byline's contributors in one query, kept on ``page`` for every later read.

    A revision's bylines know only their contributors' ids; without this each author would
    be fetched on its own, by the digest and again by the checks.
    """
    bylines = list(page.bylines.all())
    prefetch_related_objects([b for b in bylines if b.contributor_id], "contributor")
    page.bylines = bylines


def proofread_page(page, key: str | None = None) -> list[ArticleFinding]:
    """Check this version of the page, store the findings and remember what they were computed for.

    ``key`` is the page's :func:`content_key` when the caller has it already. A failure is
    logged and gives no findings.
    """
    try:
        return _proofread(page, key)
    except Exception:  # checking must never break the editor
        logger.exception("Editorial checks failed on page %s", page.pk)
        return []


def current_findings(page) -> list[ArticleFinding] | None:
    """The findings of this version of ``page`` (an article, usually its latest revision).

    The stored findings are reused when they were computed for exactly this content (same
    :func:`content_key`) and nobody has replaced them since (the same rows); otherwise the page
    is checked now and the new findings replace them. So a changed article is never shown the
    findings of an earlier version, and an unchanged one is checked once. None when the checks
    could not run (logged).
    """
    if page is None or page.pk is None:
        return []
    try:
        _load_byline(page)
        key = content_key(page)
        rows = list(ArticleFinding.objects.filter(page_id=page.pk))
        marker = cache.get(CHECKED_CACHE_KEY.format(page_id=page.pk))
        if marker == {"key": key, "ids": sorted(row.pk for row in rows)}:
            return rows
        return _proofread(page, key)
    except Exception:  # checking must never break the editor
        logger.exception("Editorial checks failed on page %s", page.pk)
        return None


def shown_findings(page) -> list[ArticleFinding] | None:
    """The findings an editor still has to see for this version: blocking ones and undismissed warnings.

    None when the checks could not run.
    """
    findings = current_findings(page)
    if not findings:
        return findings
    dismissed = set(DismissedFinding.objects.filter(page_id=page.pk).values_list("fingerprint", flat=True))
    return [f for f in findings if not (f.dismissible and f.fingerprint in dismissed)]


def dismiss(finding: ArticleFinding, user=None) -> DismissedFinding:
    """Remember, for this article, that the editor judged this warning wrong."""
    dismissal, _ = DismissedFinding.objects.get_or_create(
        page_id=finding.page_id,
        fingerprint=finding.fingerprint,
        defaults={"check_name": finding.check_name, "text": finding.text, "dismissed_by": user},
    )
    return dismissal


def add_desk_word(word: str) -> DeskWord:
    """Add a word to the desk's list (case-insensitively unique), so no article flags it again."""
    existing = DeskWord.objects.filter(word__iexact=word).first()
    return existing or DeskWord.objects.create(word=word, note=gettext("Added from an article's editorial checks."))


def _replace_outside_tags(text: str, pattern: re.Pattern, new: str) -> tuple[str, int]:
    """Replace in the text of (rich) text, never inside an HTML tag or attribute."""
    total = 0
    parts = _TAG_RE.split(text)
    for i, part in enumerate(parts):
        if i % 2 == 0 and part:
            parts[i], n = pattern.subn(new, part)
            total += n
    return "".join(parts), total


def _replace_in_raw(value, pattern: re.Pattern, new: str) -> tuple[object, int]:
    if isinstance(value, str):
        return _replace_outside_tags(value, pattern, new)
    if isinstance(value, list):
        total, out = 0, []
        for item in value:
            item, n = _replace_in_raw(item, pattern, new)
            out.append(item)
            total += n
        return out, total
    if isinstance(value, dict):
        total, out = 0, {}
        for key, item in value.items():
            if key in ("id", "type"):
                out[key] = item
            else:
                out[key], n = _replace_in_raw(item, pattern, new)
                total += n
        return out, total
    return value, 0


def replace_in_page(page, old: str, new: str) -> int:
    """Replace the word ``old`` by ``new`` in every text the editor wrote; returns how often."""
    pattern = re.compile(rf"(?<![\w'’-]){re.escape(old)}(?![\w-])")
    total = 0
    for attr in ("title", "standfirst", "lead_caption"):
        value, n = _replace_outside_tags(getattr(page, attr) or "", pattern, new)
        if n:
            setattr(page, attr, value)
            total += n
    raw, n = _replace_in_raw(page.body.get_prep_value(), pattern, new)
    if n:
        page.body = raw
        total += n
    return total


def apply_fix(finding: ArticleFinding, replacement: str, user=None) -> int:
    """Apply a finding's replacement to the latest revision as a new draft revision.

    Returns the number of places changed (0 when the text is no longer there). The change is
    saved as a draft, never published: the editor reviews and publishes as usual.
    """
    page = finding.page.get_latest_revision_as_object()
    count = replace_in_page(page, finding.text, replacement)
    if count:
        page.save_revision(user=user, log_action=True)
        proofread_page(page)
    return count


@dataclass
class ArticleReport:
    page_id: int
    title: str
    url: str
    findings: list[Finding]


@dataclass
class ArchiveReport:
    """What ``manage.py proofread`` prints: the articles with findings and the totals."""

    checked: int = 0
    articles: list[ArticleReport] = field(default_factory=list)
    by_check: Counter = field(default_factory=Counter)
    dismissed: int = 0

    @property
    def blocking(self) -> int:
        return sum(1 for a in self.articles for f in a.findings if f.is_blocking)

    @property
    def warnings(self) -> int:
        return sum(1 for a in self.articles for f in a.findings if not f.is_blocking)


def archive_pages(since: date | None = None):
    """Live articles, oldest first, optionally only those published on or after ``since``."""
    from gazette.articles.models import ArticlePage

    pages = ArticlePage.objects.live().select_related("lead_image").prefetch_related("bylines__contributor")
    if since is not None:
        pages = pages.filter(Q(first_published_at__date__gte=since) | Q(last_published_at__date__gte=since))
    return pages.order_by("first_published_at", "pk")


def proofread_archive(pages: Iterable, report: ArchiveReport | None = None) -> Iterator[ArchiveReport]:
    """Check each page as published, yielding the growing report after each (for a progress bar).

    Dismissed warnings are counted but not listed: an editor already judged them.
    """
    report = report or ArchiveReport()
    dismissed_by_page: dict[int, set[str]] = {}
    for page_id, fingerprint in DismissedFinding.objects.values_list("page_id", "fingerprint"):
        dismissed_by_page.setdefault(page_id, set()).add(fingerprint)
    for page in pages:
        report.checked += 1
        dismissed = dismissed_by_page.get(page.pk, set())
        found = []
        for finding in run_checks(ArticleDraft.from_page(page)):
            if finding.dismissible and finding.fingerprint in dismissed:
                report.dismissed += 1
                continue
            found.append(finding)
            report.by_check[finding.check] += 1
        if found:
            report.articles.append(ArticleReport(page.pk, page.title, page.url or "", found))
        yield report
