"""The moderation queue in the Wagtail admin: its URLs, a menu item and a dashboard panel,
each shown only to users who may moderate comments."""

from django.template.loader import render_to_string
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import admin_views
from .models import ReaderComment

moderation_urls = (
    [
        path("", admin_views.queue, name="index"),
        path("history/", admin_views.history, name="history"),
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
    return ModerationMenuItem("Comments", reverse("comments_moderation:index"), icon_name="comment", order=250)


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
