"""The article editor's form: publishing is refused while the byline is missing or unreal.

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
        formset = self.formsets.get("bylines")
        # ClusterForm validates the formsets after this form, so validate the byline first.
        if formset is not None and formset.is_valid():
            contributors = [
                form.cleaned_data["contributor"]
                for form in formset.forms
                if form.cleaned_data.get("contributor") and not form.cleaned_data.get("DELETE")
            ]
            for message in byline_errors(contributors):
                self.add_error(None, forms.ValidationError(message, code="byline"))
        return cleaned_data
