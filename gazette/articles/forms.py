"""The editors' forms: slugs filled from titles, drafts saved with anything missing, publishing
refused only for what must not go out.

Saving a draft uses Wagtail's deferred validation (``is_deferred_validation``): required
fields may be empty, an untouched byline row is ignored, and no publishing rule applies.
Publishing (now or with a go-live date), submitting for moderation and approving a workflow
task run the registered publish checks (:mod:`gazette.articles.publishing`; the editorial
checks: byline, headline, picture alt text and credits), each message attached to the field
that blocks it.
"""

from django import forms
from django.utils.translation import gettext, gettext_lazy
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from gazette.core.internals import add_non_form_error
from gazette.core.slugs import GazettePageForm

from .publishing import ArticleDraft, draft_refusals
from .validators import has_real_name

NO_BYLINE = gettext_lazy("Add at least one author: choose a contributor under 'Byline' before publishing.")
UNNAMED = gettext_lazy(
    "Contributor '%(name)s' has no real name: give them one under Snippets > Contributors, "
    "or remove them from the byline."
)
# Workflow actions that do not publish: they need no publishing checks.
NON_PUBLISHING_WORKFLOW_ACTIONS = frozenset({"reject", "request_changes", "cancel"})


def byline_errors(contributors) -> list[str]:
    """Reasons a byline made of these contributors cannot be published (empty when fine)."""
    if not contributors:
        return [str(NO_BYLINE)]
    return [str(UNNAMED) % {"name": c.name} for c in contributors if not has_real_name(c.name)]


class ArticlePageForm(GazettePageForm):
    """The article editor's form; its byline rows are a ``BylineFormSet``
    (:mod:`gazette.articles.bylines`): an untouched 'Author' row is skipped, never refused."""

    @property
    def publishes(self) -> bool:
        """Whether this submission publishes, or asks for publication (submit, approve)."""
        if self.is_deferred_validation:
            return False
        if self.data.get("action-cancel-workflow"):
            return False
        if self.data.get("action-workflow-action"):
            return self.data.get("workflow-action-name") not in NON_PUBLISHING_WORKFLOW_ACTIONS
        return True

    def clean(self):
        cleaned_data = super().clean()
        if not self.publishes:
            return cleaned_data
        formset = self.formsets.get("bylines")
        contributors = None  # unknown while the byline formset itself is invalid
        # ClusterForm validates the formsets after this form, so validate the byline first.
        if formset is not None and formset.is_valid():
            contributors = [
                form.cleaned_data["contributor"]
                for form in formset.forms
                if form.cleaned_data.get("contributor") and not form.cleaned_data.get("DELETE")
            ]
        draft = ArticleDraft(
            headline=cleaned_data.get("title") or "",
            lead_image=cleaned_data.get("lead_image"),
            lead_credit=cleaned_data.get("lead_credit") or "",
            body=cleaned_data.get("body") or (),
            contributors=contributors,
        )
        body_errors: dict[int, list[str]] = {}
        for refusal in draft_refusals(draft):
            error = forms.ValidationError(refusal.message, code=refusal.check)
            if refusal.field == "bylines" and formset is not None:
                add_non_form_error(formset, error)
            elif refusal.field == "body" and refusal.block is not None:
                body_errors.setdefault(refusal.block, []).append(refusal.message)
            elif refusal.field in self.fields:
                self.add_error(refusal.field, error)
            else:
                self.add_error(None, error)
        if body_errors:
            # Beside each picture block's 'Credit' field, the way Wagtail shows a block's errors.
            self.add_error(
                "body",
                StreamBlockValidationError(
                    block_errors={
                        index: StructBlockValidationError(
                            block_errors={"credit": forms.ValidationError(" ".join(messages))}
                        )
                        for index, messages in body_errors.items()
                    },
                    non_block_errors=[gettext("A picture in the body has no credit: fill in its 'Credit'.")],
                ),
            )
        return cleaned_data
