"""The comment form, at its own never-cached URL.

A cached article page is the same for every reader, so it holds no CSRF token and no CAPTCHA;
it embeds ``/comments/<article_pk>/form/`` in a lazy ``<iframe>``. The form posts with
``target="_top"``: success redirects to the article with ``?comment=published`` or
``?comment=pending``; any error answers with a full page (the headline, the form with the
reader's text, the message), so nothing the reader typed is lost.

A reply is the same form with ``?reply_to=<comment id>`` (a link under each comment, no script
needed), shown on its own page with "Replying to <name>" and a way back.

What became of the reader's own comments is told in the form (never cached): each accepted
comment's id goes into a signed cookie (``MINE_COOKIE``, sent only to ``/comments/``), and the
form lists them as published, held for a moderator, or not published
(:func:`services.commenter_outcome`).

``/comments/report/<comment id>/`` is the "Report" page of a published comment.
"""

import logging

from django.core import signing
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_protect
from wagtail.models import Site

from gazette.articles.models import ArticlePage
from gazette.core.clients import client_address
from gazette.core.privacy import public
from gazette.core.throttles import over_rate

from . import services
from .choices import CommentStatus
from .forms import CommentForm, ReportForm, make_stamp
from .models import CommentSettings, ReaderComment
from .write_gate import comment_writes

logger = logging.getLogger(__name__)


def _article_key(article_pk: int):
    return lambda group, request: str(article_pk)


def _rate_limited(request: HttpRequest, article_pk: int) -> bool:
    """Per address and per article, counted in the shared cache so all processes agree."""
    by_ip = over_rate(request, "comments:ip", "GAZETTE_COMMENT_RATE_PER_IP", "5/10m")
    by_article = over_rate(
        request, "comments:article", "GAZETTE_COMMENT_RATE_PER_ARTICLE", "30/m", key=_article_key(article_pk)
    )
    return by_ip or by_article


MINE_COOKIE = "gazette_my_comments"
MINE_SALT = "gazette.comments.mine"
MINE_MAX_AGE = 30 * 86400
MINE_KEPT = 20


def _my_comment_ids(request: HttpRequest) -> list[int]:
    """The ids of the comments this browser sent (newest last), from the signed cookie."""
    try:
        value = request.get_signed_cookie(MINE_COOKIE, default="", salt=MINE_SALT, max_age=MINE_MAX_AGE)
    except signing.BadSignature:
        return []
    return [int(v) for v in value.split(",") if v.isdecimal()][-MINE_KEPT:]


def _remember_mine(request: HttpRequest, response: HttpResponse, comment) -> None:
    ids = [i for i in _my_comment_ids(request) if i != comment.pk] + [comment.pk]
    response.set_signed_cookie(
        MINE_COOKIE,
        ",".join(str(i) for i in ids[-MINE_KEPT:]),
        salt=MINE_SALT,
        max_age=MINE_MAX_AGE,
        path="/comments/",
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def _my_comments(request: HttpRequest, article) -> list[dict]:
    """This browser's comments on ``article``, each with what its author is told about it."""
    ids = _my_comment_ids(request)
    if not ids:
        return []
    comments = ReaderComment.objects.filter(pk__in=ids, article_id=article.pk).only(
        "pk", "article_id", "status", "created_at", "moderated_at", "thread_id"
    )
    mine = []
    per_page = None
    for comment in comments:
        item = {"comment": comment, "outcome": services.commenter_outcome(comment), "url": ""}
        if item["outcome"] == services.SHOWN:
            per_page = per_page or services.rules_for(article, Site.find_for_request(request)).per_page
            page = services.page_of(comment, per_page)
            item["url"] = f"{article.get_url(request)}?comments_page={page}#comment-{comment.pk}"
        mine.append(item)
    return mine


def _render(
    request,
    article,
    form,
    *,
    embedded: bool,
    message: str = "",
    closed: str = "",
    status: int = 200,
    parent=None,
):
    site = Site.find_for_request(request)
    context = {
        "article": article,
        "form": form,
        "embedded": embedded,
        "message": message,
        "closed": closed,
        "policy": CommentSettings.for_site(site).policy if site else "",
        "masthead": _masthead(site),
        "parent": parent,
        "mine": _my_comments(request, article),
    }
    return render(request, "comments/comment_form.html", context, status=status)


def _masthead(site):
    from gazette.core.models import MastheadSettings

    return MastheadSettings.for_site(site) if site else None


def _client_ip(request: HttpRequest) -> str | None:
    return client_address(request)


@never_cache
@xframe_options_sameorigin
@csrf_protect
def comment_form(request: HttpRequest, article_pk: int) -> HttpResponse:
    article = get_object_or_404(public(ArticlePage.objects.live()), pk=article_pk)
    site = Site.find_for_request(request)
    closed = services.closed_message(article, services.rules_for(article, site))

    if request.method != "POST":
        initial = {"stamp": make_stamp(article.pk)}
        if "reply_to" not in request.GET:
            form = CommentForm(article_pk=article.pk, initial=initial)
            return _render(request, article, form, embedded=True, closed=closed)
        # A reply, on its own page: the link under a comment leads here, framed or not.
        try:
            parent = services.reply_parent(article.pk, request.GET["reply_to"])
        except services.CommentRefused as err:
            form = CommentForm(article_pk=article.pk, initial=initial)
            return _render(request, article, form, embedded=False, closed=closed, message=str(err), status=400)
        initial["reply_to"] = str(parent.pk) if parent else ""
        form = CommentForm(article_pk=article.pk, initial=initial)
        return _render(request, article, form, embedded=False, closed=closed, parent=parent)

    if closed:
        return _render(request, article, None, embedded=False, closed=closed)

    if "new_code" in request.POST:
        # Only a fresh CAPTCHA: show the reader's text again, untouched, without errors.
        initial = {k: request.POST.get(k, "") for k in ("name", "location", "email", "body", "stamp", "reply_to")}
        parent = _parent_or_none(article, initial)
        form = CommentForm(article_pk=article.pk, initial=initial)
        return _render(request, article, form, embedded=False, parent=parent)

    if _rate_limited(request, article.pk):
        initial = {k: request.POST.get(k, "") for k in ("name", "location", "email", "body", "reply_to")}
        initial["stamp"] = make_stamp(article.pk, retry=True)
        parent = _parent_or_none(article, initial)
        message = gettext(
            "You have sent several comments in a short time. Please wait a few minutes; your text is kept below."
        )
        form = CommentForm(article_pk=article.pk, initial=initial)
        return _render(request, article, form, embedded=False, message=message, status=429, parent=parent)
    form = CommentForm(request.POST, article_pk=article.pk)
    if not form.is_valid():
        return _again(
            request, article, form, gettext("Your comment was not sent yet. Please correct what is marked below.")
        )
    data = form.cleaned_data
    busy = gettext("The site is busy; please try again in a moment.")
    ticket = comment_writes.enter()
    if ticket is None:
        return _again(request, article, form, busy)
    try:
        comment = services.submit_comment(
            article,
            name=data["name"],
            location=data["location"],
            email=data["email"],
            body=data["body"],
            ip=_client_ip(request),
            form_token=form.form_token,
            site=site,
            parent=form.parent,
        )
    except services.CommentRefused as err:
        return _again(request, article, form, str(err))
    except OperationalError as err:
        # A write lock held past the database's wait bound (SQLite busy timeout, PostgreSQL
        # lock_timeout/statement_timeout): nothing was stored; the reader keeps their text.
        ticket.met_lock()
        logger.warning("Comment on article %s not stored, the database is busy: %s", article.pk, err)
        return _again(request, article, form, busy)
    finally:
        comment_writes.leave(ticket)
    # Held and binned comments get the same notice ("held for a moderator"): both are in a
    # moderator's view (the queue, or Spam for the retention period) and neither is shown yet.
    if comment.status == CommentStatus.PUBLISHED:
        url = f"{article.get_url(request)}?comment=published#comments"
        if comment.parent_id:
            # A reply shows under the conversation it joined, which may be on an earlier page.
            page = services.page_of(comment, services.rules_for(article, site).per_page)
            url = f"{article.get_url(request)}?comment=published&comments_page={page}#comment-{comment.pk}"
        response = HttpResponseRedirect(url)
    else:
        response = HttpResponseRedirect(f"{article.get_url(request)}?comment=pending#comments")
    _remember_mine(request, response, comment)
    return response


def _parent_or_none(article, data) -> ReaderComment | None:
    """The comment being answered, for a form shown again (a bad value: none, the form says why on sending)."""
    try:
        return services.reply_parent(article.pk, data.get("reply_to"))
    except services.CommentRefused:
        return None


def _again(request, article, form, message: str, status: int = 200) -> HttpResponse:
    """The form shown again with the reader's text, a new control code and a fresh stamp.

    A reply whose comment can no longer be answered comes back as a comment on the article,
    with the reason: sending it again posts it so.
    """
    data = form.data.copy()
    data["stamp"] = make_stamp(article.pk, retry=True)
    data["captcha_1"] = ""
    if form.errors.get("reply_to"):
        data["reply_to"] = ""
    form.data = data
    parent = _parent_or_none(article, data)
    return _render(request, article, form, embedded=False, message=message, status=status, parent=parent)


def _report_rate_limited(request: HttpRequest) -> bool:
    """Reports per address, counted in the shared cache like the comment limits."""
    return over_rate(request, "comments:report", "GAZETTE_COMMENT_REPORT_RATE", "10/h")


@never_cache
@csrf_protect
def report_comment(request: HttpRequest, comment_pk: int) -> HttpResponse:
    """The "Report" page of a published comment: a reason and a few optional words, no account.

    Its own never-cached page, because the cached article holds no CSRF token.
    """
    comment = (
        ReaderComment.objects.published()
        .filter(pk=comment_pk, article__in=public(ArticlePage.objects.live()))
        .select_related("article")
        .first()
    )
    if comment is None:
        return _render_report(request, None, None, status=404, message=gettext("This comment is not shown."))
    if request.method != "POST":
        return _render_report(request, comment, ReportForm())
    form = ReportForm(request.POST)
    if _report_rate_limited(request):
        message = gettext("You have sent several reports in a short time. Please wait a while and try again.")
        return _render_report(request, comment, form, message=message, status=429)
    if not form.is_valid():
        message = gettext("Your report was not sent yet. Please correct what is marked below.")
        return _render_report(request, comment, form, message=message)
    try:
        services.report_comment(
            comment,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
            ip=_client_ip(request),
            site=Site.find_for_request(request),
        )
    except services.ReportRefused as err:
        return _render_report(request, comment, None, message=str(err), done=True)
    return _render_report(request, comment, None, done=True)


def _render_report(request, comment, form, *, message: str = "", status: int = 200, done: bool = False):
    site = Site.find_for_request(request)
    context = {
        "comment": comment,
        "article": comment.article if comment else None,
        "form": form,
        "message": message,
        "done": done,
        "masthead": _masthead(site),
    }
    return render(request, "comments/comment_report.html", context, status=status)
