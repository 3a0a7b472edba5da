"""Site-wide settings an editor changes in the admin (Settings menu), not in code."""

from django.db import models
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="openquote")
class MastheadSettings(BaseSiteSetting):
    """The promoted quotation shown in the masthead, taken from any article."""

    teaser_quote = models.CharField(
        max_length=300, blank=True, help_text="A quotation from the article, without quotation marks."
    )
    teaser_article = models.ForeignKey(
        "articles.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The article the quotation comes from; the teaser links to it.",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The privacy policy page linked from forms and the footer.",
    )

    panels = [
        FieldPanel("teaser_quote"),
        PageChooserPanel("teaser_article", "articles.ArticlePage"),
        FieldPanel("privacy_page"),
    ]

    class Meta:
        verbose_name = "masthead and site pages"


class ScheduledJobRun(models.Model):
    """One claimed run of a periodic job (see ``gazette/core/scheduler.py``).

    The unique (job, slot) pair is what lets several scheduler processes run side by side:
    the first to insert the row enqueues the task, the others get an IntegrityError and skip.
    """

    job = models.CharField(max_length=200)
    slot = models.DateTimeField(help_text="Start of the period this run covers (UTC).")
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="core_scheduledjobrun_unique_slot")]
        indexes = [models.Index(fields=["job", "-slot"], name="core_schedjobrun_job_slot_idx")]

    def __str__(self):
        return f"{self.job} at {self.slot:%Y-%m-%d %H:%M}"
