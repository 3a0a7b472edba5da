"""The article editor's byline rows: rows that name nobody are no byline, never an error.

The panel opens with one empty 'Author' row. An untouched row (no contributor chosen, never
saved) is skipped when the article is saved, as a draft or published; the rule 'at least one
author' is the publishing check's (:func:`gazette.articles.forms.byline_errors`), shown beside
the byline. Wagtail's autosave counts every row it was sent as saved (``INITIAL_FORMS``), so a
skipped row comes back as an 'initial' row without an id: it is saved as a new byline once it
names a contributor, where Django's formset would drop it.
"""

from django.forms.formsets import ORDERING_FIELD_NAME
from modelcluster.forms import BaseChildFormSet

from gazette.core.internals import marked_for_deletion


def _names_a_contributor(form) -> bool:
    return bool(form["contributor"].value())


class BylineFormSet(BaseChildFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validate_min = False  # the panel's min_num only opens it with one row

    @staticmethod
    def is_new(form) -> bool:
        return form.instance.pk is None

    def is_untouched(self, form) -> bool:
        return self.is_new(form) and not _names_a_contributor(form)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.is_new(form):
            form.empty_permitted = True
            # The admin's script numbers every row (ORDER): Django would call an untouched
            # row changed and require its contributor.
            form.has_changed = lambda: _names_a_contributor(form)
        return form

    def full_clean(self):
        super().full_clean()
        for form in self.forms:
            if self.is_untouched(form) and hasattr(form, "cleaned_data"):
                # Skipped rows are cleaned of nothing; the panel still sorts every row by it.
                form.cleaned_data.setdefault(ORDERING_FIELD_NAME, None)

    @property
    def ordered_forms(self):
        kept = [
            form
            for form in self.forms
            if not self.is_untouched(form) and not (self.can_delete and marked_for_deletion(self, form))
        ]
        return sorted(
            kept,
            key=lambda form: (
                form.cleaned_data.get(ORDERING_FIELD_NAME) is None,
                form.cleaned_data.get(ORDERING_FIELD_NAME) or 0,
            ),
        )

    def save_new_objects(self, commit=True):
        self.new_objects = []
        for form in self.forms:
            if not self.is_new(form) or self.is_untouched(form):
                continue
            if self.can_delete and marked_for_deletion(self, form):
                continue
            self.new_objects.append(self.save_new(form, commit=commit))
            if not commit:
                self.saved_forms.append(form)
        return self.new_objects


class SkipsUntouchedRows:
    """Mixed into an InlinePanel of bylines: its rows are a :class:`BylineFormSet`."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = BylineFormSet
        return options
