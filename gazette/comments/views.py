"""The comment form, at its own never-cached URL.

A cached article page is the same for every reader, so it holds no CSRF token and no CAPTCHA;
it embeds ``/comments/<article_pk>/form/`` in a lazy ``<iframe>``. The form posts with
``target="_top"``: success redirects to the article with ``?comment=published`` or
``?comment=pending``; any error answers with a full page (the headline, the form with the
reader's text, the message), so nothing the reader typed is lost.
"""

import logging

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_protect
from django_ratelimit.core import is_ratelimited
from wagtail.models import Site

from gazette.articles.models import ArticlePage

from . import services
from .choices import CommentStatus
from .forms import CommentForm, make_stamp
from .models import CommentSettings
from .write_gate import comment_writes

logger = logging.getLogger(__name__)


def _article_key(article_pk: int):
    return lambda group, request: str(article_pk)


def _rate_limited(request: HttpRequest, article_pk: int) -> bool:
    """Per address and per article, counted in the shared cache so all processes agree."""
    by_ip = is_ratelimited(
        request,
        group="comments:ip",
        key="ip",
        rate=getattr(settings, "GAZETTE_COMMENT_RATE_PER_IP", "5/10m"),
        method="POST",
        increment=True,
    )
    by_article = is_ratelimited(
        request,
        group="comments:article",
        key=_article_key(article_pk),
        rate=getattr(settings, "GAZETTE_COMMENT_RATE_PER_ARTICLE", "30/m"),
        method="POST",
        increment=True,
    )
    return by_ip or by_article


def _render(request, article, form, *, embedded: bool, message: str = "", closed: str = "", status: int = 200):
    site = Site.find_for_request(request)
    context = {
        "article": article,
        "form": form,
        "embedded": embedded,
        "message": message,
        "closed": closed,
        "policy": CommentSettings.for_site(site).policy if site else "",
        "masthead": _masthead(site),
    }
    return render(request, "comments/comment_form.html", context, status=status)


def _masthead(site):
    from gazette.core.models import MastheadSettings

    return MastheadSettings.for_site(site) if site else None


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@never_cache
@xframe_options_sameorigin
@csrf_protect
def comment_form(request: HttpRequest, article_pk: int) -> HttpResponse:
    article = get_object_or_404(ArticlePage.objects.live().public(), pk=article_pk)
    site = Site.find_for_request(request)
    closed = services.closed_message(article, services.rules_for(article, site))

    if request.method != "POST":
        form = CommentForm(article_pk=article.pk, initial={"stamp": make_stamp(article.pk)})
        return _render(request, article, form, embedded=True, closed=closed)

    if closed:
        return _render(request, article, None, embedded=False, closed=closed)

    if "new_code" in request.POST:
        # Only a fresh CAPTCHA: show the reader's text again, untouched, without errors.
        initial = {k: request.POST.get(k, "") for k in ("name", "location", "email", "body", "stamp")}
        form = CommentForm(article_pk=article.pk, initial=initial)
        return _render(request, article, form, embedded=False)

    if _rate_limited(request, article.pk):
        initial = {k: request.POST.get(k, "") for k in ("name", "location", "email", "body")}
        initial["stamp"] = make_stamp(article.pk, retry=True)
        message = "You have sent several comments in a short time. Please wait a few minutes; your text is kept below."
        form = CommentForm(article_pk=article.pk, initial=initial)
        return _render(request, article, form, embedded=False, message=message, status=429)
    form = CommentForm(request.POST, article_pk=article.pk)
    if not form.is_valid():
        return _again(request, article, form, "Your comment was not sent yet. Please correct what is marked below.")
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
    outcome = "published" if comment.status == CommentStatus.PUBLISHED else "pending"
    return HttpResponseRedirect(f"{article.get_url(request)}?comment={outcome}#comments")


def _again(request, article, form, message: str, status: int = 200) -> HttpResponse:
    """The form shown again with the reader's text, a new control code and a fresh stamp."""
    data = form.data.copy()
    data["stamp"] = make_stamp(article.pk, retry=True)
    data["captcha_1"] = ""
    form.data = data
    return _render(request, article, form, embedded=False, message=message, status=status)
