"""The moderator's screens in the Wagtail admin: their URLs, a menu item, a dashboard panel,
the audit-log actions for a commenter's data and the permissions offered on group edit."""

from django.contrib.auth.models import Permission
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import admin_views, services
from .models import ReaderComment

moderation_urls = (
    [
        path("", admin_views.ModerationQueueView.as_view(), name="index"),
        path("results/", admin_views.ModerationQueueView.as_view(results_only=True), name="index_results"),
        path("undo/", admin_views.undo, name="undo"),
        path("history/", admin_views.history, name="history"),
        path("scorer/", admin_views.scorer, name="scorer"),
        path("commenter/", admin_views.commenter_lookup, name="commenter_lookup"),
        path("commenter/<str:fingerprint>/", admin_views.commenter, name="commenter"),
        path("commenter/<str:fingerprint>/export/", admin_views.commenter_export, name="commenter_export"),
        path("commenter/<str:fingerprint>/erase/", admin_views.commenter_erase, name="commenter_erase"),
    ],
    "comments_moderation",
)


@hooks.register("register_admin_urls")
def register_urls():
    return [path("comments/", include(moderation_urls, namespace="comments_moderation"))]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_moderate(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ModerationMenuItem(_("Comments"), reverse("comments_moderation:index"), icon_name="comment", order=250)


class PendingCommentsPanel(Component):
    name = "pending_comments"
    order = 90

    def render_html(self, parent_context=None) -> str:
        return render_to_string(
            "comments/admin/dashboard_panel.html", {"count": ReaderComment.objects.pending().count()}
        )


@hooks.register("construct_homepage_panels")
def add_pending_panel(request, panels):
    if admin_views.can_moderate(request.user):
        panels.append(PendingCommentsPanel())


@hooks.register("register_log_actions")
def register_commenter_data_actions(actions):
    actions.register_action(
        services.EXPORT_ACTION, _("Export commenter data"), _("Exported everything stored about a commenter")
    )
    actions.register_action(
        services.ERASE_ACTION, _("Erase commenter data"), _("Erased a commenter's comments and their history")
    )


@hooks.register("register_permissions")
def register_comment_permissions():
    return Permission.objects.filter(
        content_type__app_label="comments",
        codename__in=("moderate_readercomment", "export_commenter_data", "erase_commenter_data"),
    )
