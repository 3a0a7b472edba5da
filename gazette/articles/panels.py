"""Editor panels of articles: the byline, whose authors are loaded together.

Wagtail's chooser widget looks its chosen object up by primary key when it renders, once per
form: a byline of five authors made five queries every time the article was opened. The
:class:`BylinePanel` loads the contributors of all the byline's forms in one query and hands
them to each form's chooser, so the edit view costs the same whatever the number of authors.
"""

import copy
import functools

from django.db.models import Model
from wagtail.admin.panels import InlinePanel

from .bylines import SkipsUntouchedRows


class _KnownInstances:
    """Mixed into a chooser widget: finds its chosen object among ``known`` before asking the database."""

    known: dict = {}

    def get_instance(self, value):
        if value not in (None, "") and not isinstance(value, Model):
            found = self.known.get(str(value))
            if found is not None:
                return found
        return super().get_instance(value)


@functools.cache
def _knowing(widget_class: type) -> type:
    return type(widget_class.__name__, (_KnownInstances, widget_class), {})


class ArticleInlinePanel(InlinePanel):
    """An InlinePanel whose add button says its own words (``add_label``).

    Wagtail builds the button from "Add %(label)s", which reads wrongly in languages whose object
    takes another case than the row's heading ("Добавить Автор" for "Добавить автора").
    """

    def __init__(self, relation_name, add_label=None, **kwargs):
        super().__init__(relation_name, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "add_label": self.add_label}

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "articles/panels/inline_panel.html"


class BylinePanel(SkipsUntouchedRows, ArticleInlinePanel):
    """An InlinePanel whose child forms choose one object each (``field``), all fetched in one query."""

    def __init__(self, relation_name, field="contributor", **kwargs):
        super().__init__(relation_name, **kwargs)
        self.field = field

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "field": self.field}

    class BoundPanel(ArticleInlinePanel.BoundPanel):
        def __init__(self, **kwargs):
            panel, form = kwargs["panel"], kwargs.get("form")
            if form is not None:
                self._share_chosen(form.formsets[panel.relation_name].forms, panel.field)
            super().__init__(**kwargs)

        @staticmethod
        def _share_chosen(forms, name: str) -> None:
            forms = [f for f in forms if name in f.fields and hasattr(f.fields[name].widget, "get_instance")]
            if not forms:
                return
            model = forms[0].fields[name].queryset.model
            ids = {str(f[name].value()) for f in forms if f[name].value() not in (None, "")}
            known = {str(obj.pk): obj for obj in model._default_manager.filter(pk__in=ids)} if ids else {}
            for subform in forms:
                widget = copy.copy(subform.fields[name].widget)
                widget.__class__ = _knowing(type(widget))
                widget.known = known
                subform.fields[name].widget = widget
