"""Admin views of the findings panel: its content, and its buttons (apply a fix, add a word, dismiss).

The panel's content is asked for by the page editor once it has loaded (``findings``), so
checking an article never holds up opening it. Each button takes a POST (Wagtail's
``w-action`` controller sends the CSRF token and ``next``), checks that the user may edit the
article, acts, and returns to the editor with a message.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from gazette.articles.models import ArticlePage

from . import services
from .models import ArticleFinding

WORD_CHECKS = {"spelling", "place"}


def _finding_for_editor(request, pk: int) -> ArticleFinding:
    finding = get_object_or_404(ArticleFinding.objects.select_related("page"), pk=pk)
    if not finding.page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return finding


def _back(request, finding: ArticleFinding):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(reverse("wagtailadmin_pages:edit", args=(finding.page_id,)))


def _items(findings: list[ArticleFinding]) -> list[dict]:
    return [
        {
            "finding": finding,
            "fixes": [
                (text, reverse("gazette_editorial:fix", args=(finding.pk, index)))
                for index, text in enumerate(finding.replacements)
            ],
            "add_word_url": reverse("gazette_editorial:add_word", args=(finding.pk,))
            if finding.check_name in WORD_CHECKS and finding.text
            else "",
            "dismiss_url": reverse("gazette_editorial:dismiss", args=(finding.pk,)) if finding.dismissible else "",
        }
        for finding in findings
    ]


@require_GET
def findings(request, page_id: int):
    """The findings panel's content for the article's latest version (an HTML fragment).

    Checked once per version of its content (:func:`services.current_findings`), so opening
    the editor again, or another editor opening it, reuses the findings.
    """
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if not issubclass(page.specific_class or Page, ArticlePage):
        raise Http404("Only articles are checked")
    latest = page.get_latest_revision_as_object()
    shown = services.shown_findings(latest)
    context = {"failed": shown is None, "items": _items(shown or []), "page": page}
    if shown:
        context["blocking"] = sum(1 for f in shown if f.is_blocking)
        context["warnings"] = len(shown) - context["blocking"]
        context["checked_at"] = shown[0].checked_at
    return TemplateResponse(request, "editorial/panels/findings.html", context)


@require_POST
def fix(request, pk: int, choice: int):
    finding = _finding_for_editor(request, pk)
    try:
        replacement = finding.replacements[choice]
    except (IndexError, TypeError) as err:
        raise Http404("No such replacement") from err
    count = services.apply_fix(finding, replacement, user=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "Replaced '%(old)s' with '%(new)s' in %(count)d place; the change is saved as a draft.",
                "Replaced '%(old)s' with '%(new)s' in %(count)d places; the change is saved as a draft.",
                count,
            )
            % {"old": finding.text, "new": replacement, "count": count},
        )
    else:
        messages.warning(
            request, _("'%(old)s' is no longer in the article; nothing was changed.") % {"old": finding.text}
        )
    return _back(request, finding)


@require_POST
def dismiss(request, pk: int):
    finding = _finding_for_editor(request, pk)
    if not finding.dismissible:
        messages.error(request, _("This finding blocks publishing and cannot be dismissed: fix it instead."))
        return _back(request, finding)
    services.dismiss(finding, user=request.user)
    messages.success(request, _("Warning dismissed for this article."))
    return _back(request, finding)


@require_POST
def add_word(request, pk: int):
    finding = _finding_for_editor(request, pk)
    if not finding.text:
        raise Http404("Nothing to add")
    services.add_desk_word(finding.text)
    services.proofread_page(finding.page.get_latest_revision_as_object())
    messages.success(request, _("'%(word)s' is now on the desk's word list.") % {"word": finding.text})
    return _back(request, finding)
