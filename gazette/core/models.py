"""Site-wide settings an editor changes in the admin (Settings menu), not in code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import PageViewRestriction, Site

from . import sitewide, tags
from .internals import attach_request, known_empty
from .invalidation import add_cache_tags


@register_setting(icon="openquote")
class MastheadSettings(BaseSiteSetting):
    """The promoted quotation shown in the masthead, taken from any article."""

    teaser_quote = models.CharField(
        max_length=300, blank=True, help_text=_("A quotation from the article, without quotation marks.")
    )
    teaser_article = models.ForeignKey(
        "articles.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The article the quotation comes from; the teaser links to it."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The privacy policy page linked from forms and the footer."),
    )

    select_related = ["teaser_article", "privacy_page"]

    panels = [
        FieldPanel("teaser_quote"),
        PageChooserPanel("teaser_article", "articles.ArticlePage"),
        FieldPanel("privacy_page"),
    ]

    class Meta:
        verbose_name = _("masthead and site pages")

    @property
    def cache_tags(self) -> str:
        """What the masthead and footer show from these settings depends on (for ``{% fragment %}``)."""
        return " ".join(sorted(_masthead_tags(self) | {tags.sites()}))

    @classmethod
    def for_request(cls, request):
        """The request's site settings, read from the database once per change, not per request
        (kept by :mod:`gazette.core.sitewide`).

        The page being built depends on them (tag ``masthead``) and on the teaser article
        being live (its ``article:<pk>`` tag). The admin reads and edits ``for_site``'s fresh
        copy; only pages use this cached one.
        """
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            raise cls.DoesNotExist(f"{cls} does not exist for site None.")
        instance = sitewide.memoised_copy(f"masthead-settings:{site.pk}", lambda: cls.for_site(site))
        attach_request(instance, request)
        instance.site = site  # the templates print its name: no query for what the request has
        setattr(request, attr_name, instance)
        add_cache_tags(request, *_masthead_tags(instance))
        return instance


def _masthead_tags(instance: MastheadSettings) -> set[str]:
    """The teaser (``masthead``, its article being live) and the footer's privacy page."""
    if instance.privacy_page_id:
        return _teaser_tags(instance) | {tags.page(instance.privacy_page_id)}
    return _teaser_tags(instance)


def _teaser_tags(instance: MastheadSettings) -> set[str]:
    return {tags.masthead()} | ({tags.article(instance.teaser_article_id)} if instance.teaser_article_id else set())


class ServedPageMixin:
    """For every Gazette page type: what serving a page reads, read once per request.

    Wagtail's own view-restriction check and Gazette's cache tagging both ask for the page's
    view restrictions; the answer is kept on the instance (one per request). That a page has
    none, the common case, is known without a query from the paths of every restricted page
    and alias, memoised per process (:func:`gazette.core.sitewide.unrestricted`). A page with
    restrictions always reads them afresh.
    """

    def get_view_restrictions(self):
        cached = self.__dict__.get("_gazette_view_restrictions")
        if cached is None:
            cached = self._read_view_restrictions()
            self.__dict__["_gazette_view_restrictions"] = cached
        return cached

    def _read_view_restrictions(self):
        if self.pk and sitewide.unrestricted(self.path):
            return known_empty(PageViewRestriction.objects.none())
        return super().get_view_restrictions()


class ScheduledJobRun(models.Model):
    """One claimed run of a periodic job (see ``gazette/core/scheduler.py``).

    The unique (job, slot) pair is what lets several scheduler processes run side by side:
    the first to insert the row enqueues the task, the others get an IntegrityError and skip.
    """

    job = models.CharField(max_length=200)
    slot = models.DateTimeField(help_text=_("Start of the period this run covers (UTC)."))
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="core_scheduledjobrun_unique_slot")]
        indexes = [models.Index(fields=["job", "-slot"], name="core_schedjobrun_job_slot_idx")]

    def __str__(self):
        return f"{self.job} at {self.slot:%Y-%m-%d %H:%M}"


class SiteWideVersion(models.Model):
    """One row whose token changes, in the same transaction, with any site-wide data pages read.

    See :mod:`gazette.core.sitewide`: each process keeps that data in memory together with the
    token it was read under, and one query for the token per request says whether it still holds.
    """

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("site-wide data version")

    def __str__(self):
        return self.token
