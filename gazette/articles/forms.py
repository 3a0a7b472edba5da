"""The article editor's form: publishing is refused while the byline is missing or unreal.

The other blocking editorial checks (:mod:`gazette.editorial.checks`: an empty headline, a
picture without alt text or credit) are refused the same way.

Saving a draft defers required fields (Wagtail's deferred validation), so a reporter can save
an unfinished story; publishing or submitting for moderation runs every rule below.
"""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from .validators import has_real_name

NO_BYLINE = "An article cannot be published without a byline: add at least one author."
UNNAMED = "Contributor '%(name)s' has no real name; fix the contributor or remove them from the byline."


def byline_errors(contributors) -> list[str]:
    """Reasons a byline made of these contributors cannot be published (empty when fine)."""
    if not contributors:
        return [NO_BYLINE]
    return [UNNAMED % {"name": c.name} for c in contributors if not has_real_name(c.name)]


class ArticlePageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        if self.is_deferred_validation:  # a draft save: nothing is refused
            return cleaned_data
        from gazette.editorial.checks import ArticleDraft, blocking_findings

        formset = self.formsets.get("bylines")
        contributors = None  # unknown while the byline formset itself is invalid
        # ClusterForm validates the formsets after this form, so validate the byline first.
        if formset is not None and formset.is_valid():
            contributors = [
                form.cleaned_data["contributor"]
                for form in formset.forms
                if form.cleaned_data.get("contributor") and not form.cleaned_data.get("DELETE")
            ]
        # The editorial checks' blocking rules (byline, headline, picture alt text and credits).
        draft = ArticleDraft(
            headline=cleaned_data.get("title") or "",
            lead_image=cleaned_data.get("lead_image"),
            lead_credit=cleaned_data.get("lead_credit") or "",
            body=cleaned_data.get("body") or (),
            contributors=contributors,
        )
        for finding in blocking_findings(draft):
            self.add_error(None, forms.ValidationError(finding.message, code=finding.check))
        return cleaned_data
