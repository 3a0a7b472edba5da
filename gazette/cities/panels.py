"""The page editor's 'Suggested cities' panel."""

from wagtail.admin.panels import Panel


class CitySuggestionsPanel(Panel):
    """Lists the cities an article names but is not tagged with, each to accept or dismiss.

    Suggestions are found when the article is saved (``after_create_page`` /
    ``after_edit_page`` hooks); accepting and dismissing are links to small admin views that
    ask for confirmation with a plain form and come back to the editor, so no JavaScript is
    needed and nothing is tagged without the editor's say.
    """

    def __init__(self, heading="Suggested cities", **kwargs):
        super().__init__(heading=heading, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "cities/admin/suggestions_panel.html"

        def get_context_data(self, parent_context=None):
            from .models import CitySuggestion

            context = super().get_context_data(parent_context)
            page_id = getattr(self.instance, "pk", None)
            context["page_id"] = page_id
            context["suggestions"] = (
                list(CitySuggestion.objects.pending().filter(page_id=page_id).select_related("city")) if page_id else []
            )
            return context
