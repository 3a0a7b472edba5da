"""Small admin views behind the 'Suggested cities' panel: its content, and accepting or dismissing one suggestion."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET
from wagtail.models import Page

from . import services
from .models import CitySuggestion


@require_GET
def suggestions(request, page_id):
    """The panel's content for the article's latest version (an HTML fragment).

    Fetched by the page editor once it has loaded; the article is searched once per version of
    its content (:func:`services.current_suggestions`).
    """
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    latest = page.get_latest_revision_as_object()
    if not hasattr(latest, "cities") or not hasattr(latest, "body"):
        raise Http404("Only articles have suggested cities")
    return TemplateResponse(
        request, "cities/admin/suggestions.html", {"suggestions": services.current_suggestions(latest)}
    )


def _suggestion_for_editor(request, pk):
    suggestion = get_object_or_404(CitySuggestion.objects.select_related("city", "page"), pk=pk)
    if not suggestion.page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return suggestion


def _confirm(request, pk, action):
    """GET asks (links in the editor are safe to follow); POST does it and returns to the editor."""
    suggestion = _suggestion_for_editor(request, pk)
    page = suggestion.page
    if request.method == "POST":
        if suggestion.status == CitySuggestion.Status.PENDING:
            if action == "accept":
                services.accept_suggestion(suggestion, user=request.user)
                messages.success(
                    request,
                    gettext("%(city)s added to the article (saved as a draft).")
                    % {"city": suggestion.city.display_name},
                )
            else:
                services.dismiss_suggestion(suggestion)
                messages.success(
                    request,
                    gettext("%(city)s will not be suggested again for this article.")
                    % {"city": suggestion.city.display_name},
                )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "cities/admin/suggestion_confirm.html",
        {
            "suggestion": suggestion,
            "page": page,
            "action": action,
            "page_title": (gettext("Add %(city)s") if action == "accept" else gettext("Dismiss %(city)s"))
            % {"city": suggestion.city.display_name},
            "header_title": (
                gettext("Add suggested city %(city)s")
                if action == "accept"
                else gettext("Dismiss suggested city %(city)s")
            )
            % {"city": suggestion.city.display_name},
        },
    )


def accept(request, pk):
    return _confirm(request, pk, "accept")


def dismiss(request, pk):
    return _confirm(request, pk, "dismiss")
