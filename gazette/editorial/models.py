"""What the editorial checks store: the desk's word list, each article's findings, dismissals.

An article's findings are those of its last checked version: the findings panel, loaded after
the page editor, checks each new version of the content once and replaces them
(:func:`gazette.editorial.services.current_findings`). A dismissal is kept apart from the
findings, keyed by page and the finding's fingerprint (its check and the text it concerns), so it
survives the recomputation: the editor who said ``Kuznetsova`` is right is not asked again for
that article.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .choices import Severity


@register_snippet
class DeskWord(index.Indexed, models.Model):
    """A word the spelling checks accept although no dictionary has it (names, local terms)."""

    word = models.CharField(
        max_length=100, help_text=_("As it is written, e.g. 'Kuznetsova' or 'Akademgorodok'; any case matches.")
    )
    note = models.CharField(max_length=255, blank=True, help_text=_("Why it is on the list (optional)."))
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("word"), FieldPanel("note")]
    search_fields = [index.SearchField("word"), index.AutocompleteField("word")]

    class Meta:
        ordering = ["word"]
        verbose_name = _("desk word")
        verbose_name_plural = _("desk word list")
        constraints = [models.UniqueConstraint(Lower("word"), name="unique_desk_word_ci")]

    def __str__(self):
        return self.word


class ArticleFinding(models.Model):
    """One finding of the last checked version of an article (replaced when a new version is checked)."""

    page = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="editorial_findings")
    check_name = models.CharField(max_length=40)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    message = models.TextField()
    text = models.CharField(max_length=255, blank=True, help_text=_("The text the finding concerns."))
    where = models.CharField(max_length=255, blank=True, help_text=_("The field or body block it was found in."))
    replacements = models.JSONField(default=list, blank=True)
    fingerprint = models.CharField(max_length=64)
    dismissible = models.BooleanField(default=True)
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["page", "fingerprint"])]

    def __str__(self):
        return self.message

    @property
    def is_blocking(self) -> bool:
        return self.severity == Severity.BLOCKING


class DismissedFinding(models.Model):
    """An editor's decision that a warning does not apply to this article."""

    page = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="editorial_dismissals")
    fingerprint = models.CharField(max_length=64)
    check_name = models.CharField(max_length=40)
    text = models.CharField(max_length=255, blank=True)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "fingerprint"], name="unique_dismissal_per_article")]

    def __str__(self):
        return f"{self.check_name}: {self.text}"
