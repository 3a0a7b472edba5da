"""Admin views behind the findings panel's buttons: apply a fix, add a word, dismiss.

Each takes a POST (Wagtail's ``w-action`` controller sends the CSRF token and ``next``), checks
that the user may edit the article, acts, and returns to the editor with a message.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import services
from .models import ArticleFinding


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
            f"Replaced '{finding.text}' with '{replacement}' in {count} place{'s' if count != 1 else ''}; "
            "the change is saved as a draft.",
        )
    else:
        messages.warning(request, f"'{finding.text}' is no longer in the article; nothing was changed.")
    return _back(request, finding)


@require_POST
def dismiss(request, pk: int):
    finding = _finding_for_editor(request, pk)
    if not finding.dismissible:
        messages.error(request, "This finding blocks publishing and cannot be dismissed: fix it instead.")
        return _back(request, finding)
    services.dismiss(finding, user=request.user)
    messages.success(request, "Warning dismissed for this article.")
    return _back(request, finding)


@require_POST
def add_word(request, pk: int):
    finding = _finding_for_editor(request, pk)
    if not finding.text:
        raise Http404("Nothing to add")
    services.add_desk_word(finding.text)
    services.proofread_page(finding.page.get_latest_revision_as_object())
    messages.success(request, f"'{finding.text}' is now on the desk's word list.")
    return _back(request, finding)
