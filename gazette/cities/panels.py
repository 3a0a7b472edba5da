"""The page editor's 'Suggested cities' panel."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

HEADING = _("Suggested cities")


class CitySuggestionsPanel(Panel):
    """Lists the cities an article names but is not tagged with, each to accept or dismiss.

    The edit view renders only the panel's frame; Wagtail's ``w-swap`` controller fetches the
    suggestions for the article's latest version (:func:`gazette.cities.admin_views.suggestions`)
    once the editor has loaded, so looking for city names never holds up opening or saving an
    article, and it is done once per version of the content
    (:func:`gazette.cities.services.current_suggestions`). Accepting and dismissing are links to
    small admin views that ask for confirmation with a plain form and come back to the editor;
    nothing is tagged without the editor's say.
    """

    def __init__(self, heading=HEADING, **kwargs):
        super().__init__(heading=heading, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "cities/admin/suggestions_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page_id = getattr(self.instance, "pk", None)
            context["page_id"] = page_id
            if page_id:
                context["suggestions_url"] = reverse("cities_admin:suggestions", args=(page_id,))
            return context
