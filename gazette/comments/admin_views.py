"""The moderator's screens in the Wagtail admin: the queue (with its Spam view), the audit log,
and a commenter's page with export and erasure.

Only users with ``comments.moderate_readercomment`` (the ``Moderators`` group, superusers) may
see or change anything here; an editor without it is sent back to the dashboard. Exporting and
erasing a commenter's data each need their own permission (``comments.export_commenter_data``,
``comments.erase_commenter_data``); without it the answer is 403 and the button is not shown.

The scorer's page says which model scores new comments, what it learnt, the thresholds it
decides with in words and every retraining so far, and asks the worker to retrain on demand.

The queue is a Wagtail listing view: its filters are a django-filter ``FilterSet`` shown in the
admin's own filter drop-down, and the results refresh in place like any Wagtail listing.
"""

import json
import secrets
from dataclasses import asdict

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.validators import validate_email
from django.db.models import FloatField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.defaults import permission_denied as forbidden
from django_filters.widgets import SuffixedMultiWidget
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets.button import Button, HeaderButton

from gazette.articles.models import ArticlePage

from . import classifier, services, tasks
from .choices import CommentStatus
from .identity import commenter_key
from .models import ClassifierModel, CommentStatusChange, ReaderComment

PERMISSION = "comments.moderate_readercomment"
EXPORT_PERMISSION = "comments.export_commenter_data"
ERASE_PERMISSION = "comments.erase_commenter_data"
PER_PAGE = 50
UNDO_SESSION_KEY = "comments_undo"
PENDING, PUBLISHED, BINNED, ALL = "pending", "published", "binned", "all"
STATUS_CHOICES = [
    (PENDING, _("Awaiting moderation")),
    (PUBLISHED, _("Published")),
    (BINNED, _("Spam and rejected")),
    (ALL, _("All")),
]


def action_done(action: str, n: int) -> str:
    """What a moderator is told after ``action`` changed ``n`` comments."""
    texts = {
        services.APPROVE: ngettext("%(count)s comment approved.", "%(count)s comments approved.", n),
        services.REJECT: ngettext("%(count)s comment rejected.", "%(count)s comments rejected.", n),
        services.SPAM: ngettext("%(count)s comment marked as spam.", "%(count)s comments marked as spam.", n),
        services.RESTORE: ngettext(
            "%(count)s comment restored to the queue.", "%(count)s comments restored to the queue.", n
        ),
        services.ALLOW_LINKS: ngettext(
            "%(count)s comment allowed to show links.", "%(count)s comments allowed to show links.", n
        ),
    }
    return texts[action] % {"count": n}


def can_moderate(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


class ScoreRangeWidget(SuffixedMultiWidget):
    """Two number boxes (0 to 1, in hundredths) for a score range, in Wagtail's range layout."""

    template_name = "wagtailadmin/widgets/range_input.html"
    suffixes = ["min", "max"]

    def __init__(self, attrs=None):
        number = {"min": "0", "max": "1", "step": "0.01", "inputmode": "decimal"}
        widgets = (
            forms.NumberInput(attrs={**number, "placeholder": _("From")}),
            forms.NumberInput(attrs={**number, "placeholder": _("To")}),
        )
        super().__init__(widgets, attrs)

    def decompress(self, value):
        return [value.start, value.stop] if value else [None, None]


def _commented_articles(request):
    return ArticlePage.objects.filter(reader_comments__isnull=False).distinct().order_by("title")


class CommentFilterSet(WagtailFilterSet):
    """The queue's filters; without a status it shows what awaits moderation."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, empty_label=None, initial=PENDING, method="filter_status"
    )
    reason = django_filters.ChoiceFilter(
        label=_("Reason held"),
        choices=[(key, label) for key, (label, _codes) in services.REASON_FILTERS.items()],
        empty_label=_("Any reason"),
        method="filter_reason",
    )
    article = django_filters.ModelChoiceFilter(
        label=_("Article"), queryset=_commented_articles, empty_label=_("Any article")
    )
    created_at = django_filters.DateFromToRangeFilter(label=_("Received"), widget=DateRangePickerWidget)
    spam_score = django_filters.RangeFilter(label=_("Spam score"), widget=ScoreRangeWidget, method="filter_spam")

    class Meta:
        model = ReaderComment
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = PENDING
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        if value == BINNED:
            return queryset.filter(status__in=services.BINNED)
        if value in (PENDING, PUBLISHED):
            return queryset.filter(status=value)
        return queryset

    def filter_reason(self, queryset, name, value):
        codes = services.REASON_FILTERS[value][1]
        match = queryset.none()
        for code in codes:
            match = match | queryset.filter(reason_codes__contains=f" {code} ")
        return match

    def filter_spam(self, queryset, name, value):
        queryset = queryset.annotate(spam_score=Cast(KeyTextTransform("spam", "scores"), FloatField()))
        if value.start is not None:
            queryset = queryset.filter(spam_score__gte=float(value.start))
        if value.stop is not None:
            queryset = queryset.filter(spam_score__lte=float(value.stop))
        return queryset


class ModerationQueueView(BaseListingView):
    """The queue: filter, search (text, name or e-mail), select, act, undo.

    A POST applies one action to the selected comments (``ids``) or to one comment (a row's
    own button, ``one``), then offers an Undo that puts each back as it was.
    """

    model = ReaderComment
    page_title = _("Reader comments")
    header_icon = "comment"
    template_name = "comments/admin/queue.html"
    results_template_name = "comments/admin/queue_results.html"
    index_url_name = "comments_moderation:index"
    index_results_url_name = "comments_moderation:index_results"
    filterset_class = CommentFilterSet
    is_searchable = True
    search_fields = ["body", "author_name", "author_email"]
    paginate_by = PER_PAGE
    page_kwarg = "p"
    verbose_name = _("comment")
    verbose_name_plural = _("comments")

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return (
            ReaderComment.objects.select_related("article", "parent")
            .prefetch_related("reports")
            .order_by("-created_at", "-pk")
        )

    def filter_queryset(self, queryset):
        # A bad value in one filter (an article that is gone, a mistyped date) drops that filter
        # alone; the others, and the default of showing what awaits moderation, still apply.
        filters = self.filters
        if filters is None:
            return queryset
        filters.is_valid()
        if "status" not in filters.form.cleaned_data:
            queryset = queryset.filter(status=CommentStatus.PENDING)
        return filters.filter_queryset(queryset)

    @cached_property
    def status(self) -> str:
        filters = self.filters
        if filters is not None and filters.is_valid():
            return filters.form.cleaned_data.get("status") or PENDING
        return PENDING

    def get_page_subtitle(self):
        return dict(STATUS_CHOICES).get(self.status, "")

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": self.page_title, "sublabel": self.get_page_subtitle()}]

    def get_header_buttons(self):
        # One switch between the queue and the Spam view beside the title, the rest in the
        # admin's "more" drop-down, so the header fits a phone.
        index = reverse("comments_moderation:index")
        if self.status == BINNED:
            label = _("Queue (%(count)s)") % {"count": ReaderComment.objects.pending().count()}
            switch = HeaderButton(label, url=index, icon_name="comment")
        else:
            binned = ReaderComment.objects.filter(status__in=services.BINNED).count()
            switch = HeaderButton(
                _("Spam (%(count)s)") % {"count": binned}, url=f"{index}?status={BINNED}", icon_name="bin"
            )
        return [switch, *super().get_header_buttons()]

    def get_header_more_buttons(self):
        return [
            Button(_("Find a commenter"), url=reverse("comments_moderation:commenter_lookup"), icon_name="user"),
            Button(_("Audit log"), url=reverse("comments_moderation:history"), icon_name="history"),
            Button(_("Comment scorer"), url=reverse("comments_moderation:scorer"), icon_name="cogs"),
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        context.update(
            {
                "status": self.status,
                "is_binned_view": self.status == BINNED,
                "query": query.urlencode(),
                "pending_count": ReaderComment.objects.pending().count(),
                "retention_days": services.bin_retention_days(),
                "commenter_match": self._commenter_match(),
            }
        )
        return context

    def _commenter_match(self) -> str:
        """The commenter's fingerprint when the search is an address someone commented with."""
        query = self.search_query.strip()
        try:
            validate_email(query)
        except ValidationError:
            return ""
        fingerprint = commenter_key(query)
        return fingerprint if ReaderComment.objects.filter(email_hash=fingerprint).exists() else ""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        action, ids = request.POST.get("action", ""), request.POST.getlist("ids")
        if "one" in request.POST:
            action, _sep, pk = request.POST["one"].partition(":")
            ids = [pk]
        ids = [int(i) for i in ids if i.isdecimal()]
        back = reverse("comments_moderation:index") + "?" + request.POST.get("next_query", "")
        if action not in (*services.ACTIONS, services.ALLOW_LINKS):
            messages.error(request, gettext("Choose an action."))
        elif not ids:
            messages.error(request, gettext("Select at least one comment."))
        else:
            changes = services.apply_action(ReaderComment.objects.filter(pk__in=ids), action, request.user)
            _offer_undo(request, action_done(action, len(changes)), changes, back)
        return redirect(back)


def _offer_undo(request, text: str, changes: list[services.Change], back: str) -> None:
    """Tell the moderator what changed, with an Undo button that puts it all back."""
    if not changes:
        messages.success(request, text)
        return
    token = secrets.token_urlsafe(12)
    request.session[UNDO_SESSION_KEY] = {"token": token, "changes": [asdict(c) for c in changes]}
    html = render_to_string(
        "comments/admin/includes/undo_message.html",
        {"text": text, "token": token, "next": back, "undo_url": reverse("comments_moderation:undo")},
        request=request,
    )
    messages.success(request, html)


@require_POST
def undo(request: HttpRequest) -> HttpResponse:
    """Undo the last bulk or single action of this moderator's session."""
    if not can_moderate(request.user):
        return permission_denied(request)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("comments_moderation:index")
    last = request.session.get(UNDO_SESSION_KEY) or {}
    if not last or not secrets.compare_digest(str(last.get("token", "")), request.POST.get("token", "")):
        messages.error(request, gettext("There is nothing to undo: only the last action can be undone, once."))
        return redirect(back)
    del request.session[UNDO_SESSION_KEY]
    n = services.undo([services.Change(**c) for c in last["changes"]], request.user)
    skipped = len(last["changes"]) - n
    text = ngettext("%(count)s comment put back as it was.", "%(count)s comments put back as they were.", n) % {
        "count": n
    }
    if skipped:
        text += " " + ngettext(
            "%(count)s was changed again since and was left alone.",
            "%(count)s were changed again since and were left alone.",
            skipped,
        ) % {"count": skipped}
    messages.success(request, text)
    return redirect(back)


def history(request: HttpRequest) -> HttpResponse:
    if not can_moderate(request.user):
        return permission_denied(request)
    entries = CommentStatusChange.objects.select_related("comment", "comment__article")
    comment = request.GET.get("comment", "")
    if comment.isdecimal():
        entries = entries.filter(comment_id=int(comment))
    who = request.GET.get("who", "").strip()[:150]
    if who:
        entries = entries.filter(user_name__iexact=who)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("p"))
    return render(request, "comments/admin/history.html", {"page_obj": page, "comment": comment, "who": who})


class CommenterLookupForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


@require_http_methods(["GET", "POST"])
def commenter_lookup(request: HttpRequest) -> HttpResponse:
    """Find a commenter by e-mail address (posted, so the address stays out of URLs and logs)."""
    if not can_moderate(request.user):
        return permission_denied(request)
    form = CommenterLookupForm(request.POST or None)
    not_found = False
    if request.method == "POST" and form.is_valid():
        fingerprint = commenter_key(form.cleaned_data["email"])
        if services.commenter_comments(form.cleaned_data["email"]).exists() and fingerprint:
            return redirect("comments_moderation:commenter", fingerprint=fingerprint)
        not_found = True
    return render(request, "comments/admin/commenter_lookup.html", {"form": form, "not_found": not_found})


def _forbidden(request: HttpRequest) -> HttpResponse:
    """A plain 403: the admin would turn ``PermissionDenied`` into a redirect to the dashboard."""
    return forbidden(request, PermissionDenied())


def _commenter_or_404(fingerprint: str) -> str:
    email = services.commenter_email(fingerprint)
    if not email:
        raise Http404(gettext("No comments from this commenter."))
    return email


def commenter(request: HttpRequest, fingerprint: str) -> HttpResponse:
    """All of a commenter's comments, with export and erasure for those allowed."""
    if not can_moderate(request.user):
        return permission_denied(request)
    email = _commenter_or_404(fingerprint)
    comments = (
        services.commenter_comments(email)
        .select_related("article", "parent")
        .prefetch_related("reports")
        .order_by("-created_at", "-pk")
    )
    latest = comments[0]
    context = {
        "fingerprint": fingerprint,
        "email": email,
        "name": latest.author_name,
        "comments": comments,
        "count": comments.count(),
        "can_export": request.user.has_perm(EXPORT_PERMISSION),
        "can_erase": request.user.has_perm(ERASE_PERMISSION),
    }
    return render(request, "comments/admin/commenter.html", context)


@require_POST
def commenter_export(request: HttpRequest, fingerprint: str) -> HttpResponse:
    """The commenter's data as a JSON download; written to the audit log."""
    if not (can_moderate(request.user) and request.user.has_perm(EXPORT_PERMISSION)):
        return _forbidden(request)
    email = _commenter_or_404(fingerprint)
    data = services.export_commenter(email, user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="commenter-{fingerprint[:12]}.json"'
    return response


@require_http_methods(["GET", "POST"])
def commenter_erase(request: HttpRequest, fingerprint: str) -> HttpResponse:
    """Ask, then erase every comment of the commenter; written to the audit log."""
    if not (can_moderate(request.user) and request.user.has_perm(ERASE_PERMISSION)):
        return _forbidden(request)
    email = _commenter_or_404(fingerprint)
    comments = services.commenter_comments(email)
    if request.method == "POST":
        n = services.erase_commenter(email, user=request.user)
        messages.success(
            request,
            ngettext("%(count)s comment and its history erased.", "%(count)s comments and their history erased.", n)
            % {"count": n},
        )
        return redirect("comments_moderation:index")
    context = {"fingerprint": fingerprint, "name": comments.order_by("-created_at").first().author_name}
    context["count"] = comments.count()
    context["email"] = email
    return render(request, "comments/admin/commenter_erase.html", context)


def thresholds_in_words(t: classifier.Thresholds) -> list[str]:
    """What the thresholds in force do to a comment, in the moderator's words."""
    budget = settings.GAZETTE_COMMENT_PUBLISH_WRONG_BUDGET
    if t.publish_nothing:
        needed = classifier.fewest_to_vouch(budget)
        lines = [
            ngettext(
                "The scores publish nothing by themselves yet: the %(count)s moderator decision they were checked "
                "on shows the settings publishing more than %(budget)s%% unwanted comments and vouches for no "
                "stricter thresholds. Every comment the bins leave waits for a moderator.",
                "The scores publish nothing by themselves yet: the %(count)s moderator decisions they were checked "
                "on show the settings publishing more than %(budget)s%% unwanted comments and vouch for no "
                "stricter thresholds. Every comment the bins leave waits for a moderator.",
                t.decisions,
            )
            % {"count": t.decisions, "budget": f"{budget * 100:g}"},
            ngettext(
                "At a budget of %(budget)s%% unwanted they need at least %(count)s decision on comments they "
                "would publish, none of them wrong, before they publish by themselves.",
                "At a budget of %(budget)s%% unwanted they need at least %(count)s decisions on comments they "
                "would publish, none of them wrong, before they publish by themselves.",
                needed,
            )
            % {"count": needed, "budget": f"{budget * 100:g}"},
        ]
    else:
        lines = [
            gettext(
                "A comment that no rule holds is published by itself when its spam score is under %(spam)s and "
                "its offensive score under %(abuse)s."
            )
            % {"spam": services.score_text(t.hold_spam), "abuse": services.score_text(t.hold_abuse)}
        ]
    for threshold, never, binned in (
        (
            t.bin_spam,
            gettext("The spam score never sends a comment to the bin."),
            gettext("A spam score of %(score)s or more sends it to the bin."),
        ),
        (
            t.bin_abuse,
            gettext("The abuse score never sends a comment to the bin."),
            gettext("An abuse score of %(score)s or more sends it to the bin."),
        ),
    ):
        # A bin threshold above 1 is one no score reaches.
        lines.append(never if threshold > 1 else binned % {"score": services.score_text(threshold)})
    if t.settings_stand:
        lines.append(
            ngettext(
                "These publish thresholds are the site's settings: the %(count)s moderator decision checked at the "
                "latest retraining does not show them publishing more than %(budget)s%% unwanted comments. The "
                "bins were chosen on it.",
                "These publish thresholds are the site's settings: the %(count)s moderator decisions checked at the "
                "latest retraining do not show them publishing more than %(budget)s%% unwanted comments. The "
                "bins were chosen on them.",
                t.decisions,
            )
            % {"count": t.decisions, "budget": f"{budget * 100:g}"}
        )
    elif t.publish_nothing:
        lines.append(
            ngettext(
                "The bins were chosen at the latest retraining on %(count)s moderator decision.",
                "The bins were chosen at the latest retraining on %(count)s moderator decisions.",
                t.decisions,
            )
            % {"count": t.decisions}
        )
    elif t.from_site:
        lines.append(
            ngettext(
                "Chosen at the latest retraining on %(count)s moderator decision, so that at most %(budget)s%% of "
                "the comments the scores publish are unwanted (at a 95%% bound).",
                "Chosen at the latest retraining on %(count)s moderator decisions, so that at most %(budget)s%% of "
                "the comments the scores publish are unwanted (at a 95%% bound).",
                t.decisions,
            )
            % {"count": t.decisions, "budget": f"{budget * 100:g}"}
        )
    else:
        lines.append(
            gettext("These are the site's settings: no retraining has chosen thresholds from moderator decisions yet.")
        )
    return lines


def _thresholds_cell(stored) -> str:
    if not stored:
        return gettext("the settings")
    try:
        t = classifier.Thresholds.from_dict(stored)
    except ValueError:
        return ""
    held = gettext("held from spam %(spam)s or abuse %(abuse)s") % {
        "spam": services.score_text(t.hold_spam),
        "abuse": services.score_text(t.hold_abuse),
    }
    parts = [
        gettext("%(thresholds)s (the settings, not shown wrong)") % {"thresholds": held} if t.settings_stand else held,
        gettext("spam never binned")
        if t.bin_spam > 1
        else gettext("spam binned from %(score)s") % {"score": services.score_text(t.bin_spam)},
        gettext("abuse never binned")
        if t.bin_abuse > 1
        else gettext("abuse binned from %(score)s") % {"score": services.score_text(t.bin_abuse)},
    ]
    return "; ".join(parts)


@require_http_methods(["GET", "POST"])
def scorer(request: HttpRequest) -> HttpResponse:
    """The scorer in force and its retrainings; a POST asks the worker to retrain now."""
    if not can_moderate(request.user):
        return permission_denied(request)
    runs = tasks.retrain_runs()
    if request.method == "POST":
        if runs.get("waiting"):
            messages.info(request, gettext("A retraining is already waiting for the worker or running."))
        else:
            tasks.retrain_comment_classifier.enqueue()
            messages.success(
                request,
                gettext(
                    "Retraining asked for. The worker does it in the background in a few minutes; reload this page "
                    "to see the result."
                ),
            )
        return redirect("comments_moderation:scorer")
    version = classifier.current_version()
    history = [
        {"record": record, "thresholds": _thresholds_cell(record.thresholds)}
        for record in ClassifierModel.objects.all()[:30]
    ]
    return render(
        request,
        "comments/admin/scorer.html",
        {
            "version": version,
            "base": version == classifier.base_version(),
            "record": ClassifierModel.objects.filter(version=version).first(),
            "rules": thresholds_in_words(classifier.thresholds_for(version)),
            "decisions": classifier.site_decision_count(),
            "history": history,
            "runs": runs,
            "next_retrain": tasks.next_scheduled_retrain(),
        },
    )
