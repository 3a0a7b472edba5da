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
