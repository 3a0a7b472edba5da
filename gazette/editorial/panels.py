"""The page editor's panel listing the article's editorial findings.

It shows what the checks found when the article was last saved (they run on every save and
submit), each with the text it concerns and where it is, with buttons to apply a known
replacement, add a word to the desk's list or dismiss a warning. The buttons use Wagtail's own
``w-action`` controller, which posts to the editorial admin views outside the editor's form,
so they never submit the article itself. On a new page, or a page without findings, the
panel is not shown at all.
"""

from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.panels import Panel

WORD_CHECKS = {"spelling", "place"}


class FindingsPanel(Panel):
    def __init__(self, heading="Editorial checks", icon="warning", **kwargs):
        super().__init__(heading=heading, icon=icon, **kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "editorial_checks"

    class BoundPanel(Panel.BoundPanel):
        template_name = "editorial/panels/findings_panel.html"

        @cached_property
        def findings(self):
            from .services import shown_findings  # imported late: ArticlePage's module imports this one

            return shown_findings(self.instance)

        def is_shown(self):
            return bool(self.findings)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            items = []
            for finding in self.findings:
                items.append(
                    {
                        "finding": finding,
                        "fixes": [
                            (text, reverse("gazette_editorial:fix", args=(finding.pk, index)))
                            for index, text in enumerate(finding.replacements)
                        ],
                        "add_word_url": reverse("gazette_editorial:add_word", args=(finding.pk,))
                        if finding.check_name in WORD_CHECKS and finding.text
                        else "",
                        "dismiss_url": reverse("gazette_editorial:dismiss", args=(finding.pk,))
                        if finding.dismissible
                        else "",
                    }
                )
            context["items"] = items
            context["blocking"] = sum(1 for f in self.findings if f.is_blocking)
            context["warnings"] = len(self.findings) - context["blocking"]
            context["checked_at"] = self.findings[0].checked_at
            return context
