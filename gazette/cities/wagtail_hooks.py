"""Admin: the Cities snippet (add, rename, reorder, hide) and the article editor's suggestions.

Suggestions are not looked for when an article is saved: the editor's panel fetches them once
it has loaded (``cities_admin:suggestions``), once per version of the article's content.
"""

from django.templatetags.static import static
from django.urls import include, path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import City


class CityViewSet(SnippetViewSet):
    """Editors order cities by dragging rows (``sort_order``) and hide them with 'Active'."""

    model = City
    icon = "site"
    menu_label = _("Cities")
    menu_order = 250
    add_to_admin_menu = True
    sort_order_field = "sort_order"
    list_display = ["name", "region", BooleanColumn("is_active", label=_("Shown to readers")), "population"]
    list_filter = ["is_active", "region"]
    search_fields = ["name", "alternate_names"]


register_snippet(CityViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("pages/<int:page_id>/", admin_views.suggestions, name="suggestions"),
        path("<int:pk>/accept/", admin_views.accept, name="suggestion_accept"),
        path("<int:pk>/dismiss/", admin_views.dismiss, name="suggestion_dismiss"),
    ]
    return [path("city-suggestions/", include((urls, "cities_admin"), namespace="cities_admin"))]


@hooks.register("insert_global_admin_css")
def editor_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cities/admin.css"))
