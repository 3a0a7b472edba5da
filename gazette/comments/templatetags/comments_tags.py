"""The comments under an article (part of the cached article HTML) and a comment's text.

The list holds only published comments and carries the ``article:<pk>`` cache tag, which
moderation purges, and ``comment-settings``, which a change of the site's comment rules
purges. Conversations are paginated in SQL by their first comment (a COUNT and a LIMIT/OFFSET
query), and the replies of the page's conversations come in one more query, shown one level
indented in the order they were written. A reply to a reply names whom it answers; a reply
whose comment is no longer shown says so (and shows at the first level if the conversation's
first comment is gone). The count and the JSON-LD (``commentCount``, ``Comment`` items) include
replies. The article's template keeps it in a fragment with the story's text.
"""

import json
from urllib.parse import urljoin

from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.urls import reverse
from django.utils.html import escape, format_html, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from wagtail.models import Site

from gazette.core import dates, sitewide, tags
from gazette.core.caching import page_number_key
from gazette.core.invalidation import add_cache_expiry, add_cache_tags
from gazette.core.prepared import PreparedQuery

from ..choices import CommentStatus
from ..models import CommentSettings, ReaderComment
from ..services import TOP_LEVEL, closed_message, closes_at, rules_for, top_level

register = template.Library()

LIST_FIELDS = (
    "pk",
    "author_name",
    "author_location",
    "body",
    "created_at",
    "links_allowed",
    "parent_id",
    "thread_id",
    "parent_removed",
    "parent__author_name",
    "parent__status",
)
# The characters that could end a <script> element, as JSON escapes (what ``json_script`` does).
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _site_rules(site):
    """The site's comment rules, from :mod:`gazette.core.sitewide` (a change of them purges
    ``comment-settings``). None: ``rules_for`` reads them."""
    if site is None:
        return None
    return sitewide.memoised_copy(f"comment-settings:{site.pk}", lambda: CommentSettings.for_site(site))


def _in_reply_to(comment, shown_under: int | None) -> dict | None:
    """What a reply says about whom it answers: a name, "removed", or nothing (its parent is just above)."""
    if not comment.parent_id:
        return {"removed": True} if comment.parent_removed else None
    if comment.parent.status != CommentStatus.PUBLISHED:
        return {"removed": True}
    if comment.parent_id == shown_under:
        return None
    return {"name": comment.parent.author_name, "pk": comment.parent_id}


# One query counts both: every published comment of an article (the heading) and the first-level
# ones (pages); its SQL built once per process (no row: none published).
_COUNTS = PreparedQuery(
    lambda article_id: (
        ReaderComment.objects.published()
        .filter(article_id=article_id)
        .values("article_id")
        .annotate(all=Count("pk"), top=Count("pk", filter=TOP_LEVEL))
        .order_by()
    ),
    kinds=(int,),
)


def _threads(article, request, rules, counts: dict, notice, form_url: str, closed: str):
    """The page of first-level comments a reader asked for, and each of them with its replies
    and markup."""
    published = ReaderComment.objects.published().filter(article_id=article.pk)
    listed = published.select_related("parent").only(*LIST_FIELDS).order_by("created_at", "pk")
    paginator = Paginator(top_level(listed), rules.per_page)
    paginator.count = counts["top"]
    # Only what keys the article's cached fragment (``page_number_key``) chooses a page: anything
    # else shares the first page's fragment, so it must render the first page.
    number = page_number_key(request.GET.get("comments_page")) if request else ""
    if notice == "published" and not number:
        number = paginator.num_pages  # the reader's own comment is the newest: show the last page
    comments = paginator.get_page(number)
    replies: dict[int, list] = {}
    if counts["all"] > counts["top"]:  # some published comment is a reply
        for reply in listed.filter(thread_id__in=[c.pk for c in comments]):
            replies.setdefault(reply.thread_id, []).append(reply)
    entry = _CommentEntries(form_url, closed)
    threads = []
    for c in comments:
        thread = {"comment": c, "in_reply_to": _in_reply_to(c, None), "replies": []}
        thread["html"] = entry(c, thread["in_reply_to"])
        for r in replies.get(c.pk, []):
            in_reply_to = _in_reply_to(r, c.pk)
            thread["replies"].append({"comment": r, "in_reply_to": in_reply_to, "html": entry(r, in_reply_to)})
        threads.append(thread)
    return comments, threads


@register.inclusion_tag("comments/includes/comments_section.html", takes_context=True)
def article_comments(context, article):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    rules = rules_for(article, site, _site_rules(site))
    rows = _COUNTS.all((), (article.pk,))
    counts = rows[0] if rows else {"all": 0, "top": 0}
    notice = request.GET.get("comment") if request else None
    count = counts["all"]
    closed = closed_message(article, rules)
    form_url = reverse("comments:form", args=[article.pk])
    # An article nobody commented on (most of an archive) asks nothing more of the database,
    # nor builds the querysets that would.
    comments, threads = (
        _threads(article, request, rules, counts, notice, form_url, closed) if counts["top"] else ([], [])
    )
    if request is not None:
        add_cache_tags(request, tags.article(article.pk), tags.comment_settings())
        closing = None if closed else closes_at(article, rules)
        if closing is not None:
            add_cache_expiry(request, closing)  # the form turns into a notice then
    return {
        "article": article,
        "comments": comments,
        "threads": threads,
        "count": count,
        "notice": notice if notice in ("published", "pending") else "",
        "closed": closed,
        "form_url": form_url,
        # Said only of a discussion there is: an article without comments needs no second item.
        "json_ld": _comments_json_ld(article, request, threads, count) if count else "",
    }


def _comments_json_ld(article, request, threads: list[dict], count: int):
    """schema.org data for the article's discussion: ``commentCount`` and this page's ``Comment`` items.

    Under the article's ``@id`` (what ``gazette.seo`` gives it), so consumers merge it with the
    article's own ``NewsArticle``.
    """
    base = (getattr(settings, "GAZETTE_BASE_URL", None) or getattr(settings, "WAGTAILADMIN_BASE_URL", "")).rstrip("/")
    url = urljoin((base or "http://localhost") + "/", article.get_url(request) or article.url_path)

    def item(comment) -> dict:
        data = {
            "@type": "Comment",
            "@id": f"{url}#comment-{comment.pk}",
            "text": comment.body,
            "dateCreated": comment.created_at.isoformat(),
            "author": {"@type": "Person", "name": comment.author_name},
        }
        if comment.parent_id and comment.parent.status == CommentStatus.PUBLISHED:
            data["parentItem"] = {"@id": f"{url}#comment-{comment.parent_id}"}
        return data

    items = []
    for thread in threads:
        items.append(item(thread["comment"]))
        items.extend(item(r["comment"]) for r in thread["replies"])
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url + "#article",
        "commentCount": count,
        "comment": items,
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above


@register.simple_tag
def comment_paragraphs(comment):
    """The text as typed: escaped, blank lines make paragraphs, single newlines line breaks.

    Links become clickable (with ``rel="nofollow"``) only when a moderator allowed it.
    """
    paragraphs = [p.strip("\n") for p in comment.body.replace("\r\n", "\n").split("\n\n")]
    html = []
    for paragraph in paragraphs:
        if not paragraph.strip():
            continue
        text = urlize(paragraph, nofollow=True, autoescape=True) if comment.links_allowed else escape(paragraph)
        html.append("<p>" + text.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(html))  # noqa: S308 - every piece was escaped above


class _CommentEntries:
    """Builds each comment of an article's list: who wrote it and when, whom it answers, its
    text, and its links (to reply, while comments are open, and to report it).

    Built in Python rather than with a template included per comment: an article shows dozens
    of comments, and the include cost more than everything else in the list. The labels are
    translated once per list. Their markup is the catalogue's own (as ``{% blocktranslate %}``
    trusts it); every value put into them is escaped.
    """

    def __init__(self, form_url: str, closed: str):
        self.form_url = form_url
        self.closed = closed
        self.removed = gettext("in reply to a comment that was removed")
        self.answers = gettext('in reply to <a href="#comment-%(pk)s">%(name)s</a>')
        self.reply = gettext('Reply<span class="visually-hidden"> to %(name)s</span>')
        self.report = gettext('Report<span class="visually-hidden"> the comment by %(name)s</span>')

    @staticmethod
    def _fill(label: str, **values) -> str:
        return mark_safe(label % {k: escape(v) for k, v in values.items()})  # noqa: S308 - values escaped

    def __call__(self, comment, in_reply_to: dict | None) -> str:
        # Name and place are one item of the meta line's flex row, so the comma follows the name.
        author = format_html('<span class="comment__author">{}</span>', comment.author_name)
        if comment.author_location:
            author = format_html(
                '<span class="comment__by">{}, <span class="comment__location">{}</span></span>',
                author,
                comment.author_location,
            )
        answers = ""
        if in_reply_to and in_reply_to.get("removed"):
            answers = format_html('<span class="comment__reply-to">{}</span>', mark_safe(self.removed))  # noqa: S308
        elif in_reply_to:
            label = self._fill(self.answers, pk=in_reply_to["pk"], name=in_reply_to["name"])
            answers = format_html('<span class="comment__reply-to">{}</span>', label)
        reply = ""
        if not self.closed:
            reply = format_html(
                '<a class="comment__reply" href="{}?reply_to={}" rel="nofollow">{}</a>',
                self.form_url,
                comment.pk,
                self._fill(self.reply, name=comment.author_name),
            )
        return format_html(
            '<p class="comment__meta">{}\n  <time class="comment__time" datetime="{}">{}</time>\n  {}</p>\n'
            '<div class="comment__body">{}</div>\n'
            '<p class="comment__actions">{}\n  <a class="comment__report" href="{}" rel="nofollow">{}</a></p>\n',
            author,
            dates.iso_datetime(comment.created_at),
            dates.timestamp(comment.created_at),
            answers,
            comment_paragraphs(comment),
            reply,
            reverse("comments:report", args=[comment.pk]),
            self._fill(self.report, name=comment.author_name),
        )


@register.simple_tag
def held_reasons(comment) -> list[dict]:
    """A comment's stored reasons for the queue: ``[{"text": ..., "words": [...]}]``, translated."""
    from ..services import describe_reason, reason_words

    return [
        {"text": describe_reason(r), "words": reason_words(r), "code": r.get("code", "")}
        for r in comment.reasons or []
        if isinstance(r, dict)
    ]


@register.inclusion_tag("comments/admin/includes/reports.html")
def comment_reports(comment):
    """For moderators: whom a comment answers and what readers reported about it."""
    from ..services import report_summary

    return {"comment": comment, "reports": report_summary(comment)}
