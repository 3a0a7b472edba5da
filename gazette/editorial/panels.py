"""The page editor's panel listing the article's editorial findings.

The panel is filled in after the editor has loaded: the edit view only renders an empty frame,
and Wagtail's own ``w-swap`` controller fetches the findings of the article's latest version
from :func:`gazette.editorial.views.findings` and puts them in. Opening an article therefore
never waits for the checks, and the checks run once per version of its content (see
:func:`gazette.editorial.services.current_findings`), not on every save or open.

Each finding shows the text it concerns and where it is, with buttons to apply a known
replacement, add a word to the desk's list or dismiss a warning. The buttons use Wagtail's
``w-action`` controller, which posts to the editorial admin views outside the editor's form, so
they never submit the article itself. A new page, not saved yet, has no panel.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

HEADING = _("Editorial checks")


class FindingsPanel(Panel):
    def __init__(self, heading=HEADING, icon="warning", **kwargs):
        super().__init__(heading=heading, icon=icon, **kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "editorial_checks"

    class BoundPanel(Panel.BoundPanel):
        template_name = "editorial/panels/findings_panel.html"

        def is_shown(self):
            return getattr(self.instance, "pk", None) is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["findings_url"] = reverse("gazette_editorial:findings", args=(self.instance.pk,))
            context["target_id"] = f"gazette-editorial-findings-{self.instance.pk}"
            return context
