"""The moderation queue and the audit log in the Wagtail admin.

Only users with ``comments.moderate_readercomment`` (the ``Moderators`` group, superusers)
may see or change anything here; an editor without it is sent back to the dashboard.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from wagtail.admin.auth import permission_denied

from . import services
from .choices import CommentStatus
from .models import CommentStatusChange, ReaderComment

PERMISSION = "comments.moderate_readercomment"
PER_PAGE = 50
REASON_FILTERS = {
    "links": ("link", "Links"),
    "promotion": ("promotion", "Looks like promotion"),
    "offensive": ("offensive", "Offensive language"),
    "spam": ("spam", "Looks like spam"),
    "first": ("from this person", "New commenter"),
}
ACTION_LABELS = {
    services.APPROVE: "approved",
    services.REJECT: "rejected",
    services.SPAM: "marked as spam",
    services.ALLOW_LINKS: "allowed to show links",
}


def can_moderate(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


def _filtered(request: HttpRequest):
    status = request.GET.get("status", CommentStatus.PENDING)
    comments = ReaderComment.objects.select_related("article").order_by("-created_at", "-pk")
    if status in CommentStatus.values:
        comments = comments.filter(status=status)
    else:
        status = "all"
    reason = request.GET.get("reason", "")
    if reason in REASON_FILTERS:
        comments = comments.filter(reasons__icontains=REASON_FILTERS[reason][0])
    article = request.GET.get("article", "")
    if article.isdigit():
        comments = comments.filter(article_id=int(article))
    q = request.GET.get("q", "").strip()[:200]
    if q:
        comments = comments.filter(Q(body__icontains=q) | Q(author_name__icontains=q))
    return comments, {"status": status, "reason": reason, "article": article, "q": q}


@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest) -> HttpResponse:
    if not can_moderate(request.user):
        return permission_denied(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        if action not in (*services.ACTIONS, services.ALLOW_LINKS):
            messages.error(request, "Choose an action.")
        elif not ids:
            messages.error(request, "Select at least one comment.")
        else:
            n = services.moderate(ReaderComment.objects.filter(pk__in=ids), action, request.user)
            messages.success(request, f"{n} comment{'s' if n != 1 else ''} {ACTION_LABELS[action]}.")
        return redirect(reverse("comments_moderation:index") + "?" + request.POST.get("next_query", ""))
    comments, filters = _filtered(request)
    page = Paginator(comments, PER_PAGE).get_page(request.GET.get("p"))
    context = {
        "page_obj": page,
        "filters": filters,
        "statuses": [("all", "All"), *CommentStatus.choices],
        "reasons": [(k, label) for k, (_, label) in REASON_FILTERS.items()],
        "query": request.GET.urlencode(),
        "pending_count": ReaderComment.objects.pending().count(),
    }
    return render(request, "comments/admin/queue.html", context)


def history(request: HttpRequest) -> HttpResponse:
    if not can_moderate(request.user):
        return permission_denied(request)
    entries = CommentStatusChange.objects.select_related("comment", "comment__article")
    comment = request.GET.get("comment", "")
    if comment.isdigit():
        entries = entries.filter(comment_id=int(comment))
    who = request.GET.get("who", "").strip()[:150]
    if who:
        entries = entries.filter(user_name__iexact=who)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("p"))
    return render(request, "comments/admin/history.html", {"page_obj": page, "comment": comment, "who": who})
