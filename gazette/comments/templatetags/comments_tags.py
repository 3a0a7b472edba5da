"""The comments under an article (part of the cached article HTML) and a comment's text.

The list holds only published comments and carries the ``article:<pk>`` cache tag, which
moderation purges, and ``comment-settings``, which a change of the site's comment rules
purges. It is paginated in SQL: one COUNT and one LIMIT/OFFSET query per render, however long
the thread. The article's template keeps it in a fragment with the story's text.
"""

from django import template
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe
from wagtail.models import Site

from gazette.core import tags
from gazette.core.caching import page_number_key
from gazette.core.invalidation import add_cache_expiry, add_cache_tags

from ..models import ReaderComment
from ..services import closed_message, closes_at, rules_for

register = template.Library()

LIST_FIELDS = ("pk", "author_name", "author_location", "body", "created_at", "links_allowed")


@register.inclusion_tag("comments/includes/comments_section.html", takes_context=True)
def article_comments(context, article):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    rules = rules_for(article, site)
    published = ReaderComment.objects.published().filter(article_id=article.pk).only(*LIST_FIELDS)
    paginator = Paginator(published.order_by("created_at", "pk"), rules.per_page)
    notice = request.GET.get("comment") if request else None
    # Only what keys the article's cached fragment (``page_number_key``) chooses a page: anything
    # else shares the first page's fragment, so it must render the first page.
    number = page_number_key(request.GET.get("comments_page")) if request else ""
    if notice == "published" and not number:
        number = paginator.num_pages  # the reader's own comment is the newest: show the last page
    comments = paginator.get_page(number)
    closed = closed_message(article, rules)
    if request is not None:
        add_cache_tags(request, tags.article(article.pk), tags.comment_settings())
        closing = None if closed else closes_at(article, rules)
        if closing is not None:
            add_cache_expiry(request, closing)  # the form turns into a notice then
    return {
        "article": article,
        "comments": comments,
        "count": paginator.count,
        "notice": notice if notice in ("published", "pending") else "",
        "closed": closed,
        "form_url": reverse("comments:form", args=[article.pk]),
    }


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


@register.simple_tag
def held_reasons(comment) -> list[dict]:
    """A comment's stored reasons for the queue: ``[{"text": ..., "words": [...]}]``, translated."""
    from ..services import describe_reason, reason_words

    return [
        {"text": describe_reason(r), "words": reason_words(r), "code": r.get("code", "")}
        for r in comment.reasons or []
        if isinstance(r, dict)
    ]
