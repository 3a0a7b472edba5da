"""Reader comments. Named ``ReaderComment`` because Wagtail already has a ``Comment`` model
(editors' comments in the page editor).

Text is stored exactly as the reader typed it and always rendered as plain text. Readers are
recognised across comments by a keyed fingerprint of their email (``email_hash``, made by
``gazette.comments.identity.commenter_key``), never by the raw address, which is kept only to
send the notices the reader asked for.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .choices import CommentSource, CommentStatus, ReportReason

# In the site's language when a site's comment settings are first made.
DEFAULT_POLICY = _(
    "We welcome healthy debate. Offensive or abusive comments, personal attacks and advertising are not "
    "accepted. Some comments are checked by an editor before they appear."
)


class ReaderCommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CommentStatus.PUBLISHED)

    def pending(self):
        return self.filter(status=CommentStatus.PENDING)


def count_published(article_ids: list[int]) -> dict[int, int]:
    """Each article's published comments, replies included (what its comments heading says), in one query."""
    rows = (
        ReaderComment.objects.published()
        .filter(article_id__in=article_ids)
        .values("article_id")
        .annotate(n=models.Count("pk"))
        .values_list("article_id", "n")
    )
    return dict(rows)


def keep_replies(collector, field, sub_objs, using):
    """``on_delete`` of a reply's parent: the reply stays, remembering that it answered a comment now gone."""
    # The mark first: ``sub_objs`` may be a queryset on ``parent``, which matches nothing once it is cleared.
    collector.add_field_update(field.model._meta.get_field("parent_removed"), True, sub_objs)
    collector.add_field_update(field, None, sub_objs)


keep_replies.lazy_sub_objs = True


class ReaderComment(models.Model):
    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="reader_comments")
    author_name = models.CharField(max_length=100)
    author_location = models.CharField(max_length=100, blank=True)
    author_email = models.EmailField(blank=True, help_text=_("Never shown; used only for the notices asked for."))
    email_hash = models.CharField(max_length=64, blank=True, db_index=True)
    body = models.TextField(max_length=getattr(settings, "GAZETTE_COMMENT_MAX_LENGTH", 5000))
    status = models.CharField(max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, unpack_ipv4=True)
    source = models.CharField(max_length=10, choices=CommentSource.choices, default=CommentSource.WEB)
    external_id = models.CharField(
        max_length=255, blank=True, help_text=_("The comment's id in the system it was imported from.")
    )
    form_token = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("The one-time token of the form that sent it: a replayed submission cannot store it twice."),
    )
    scores = models.JSONField(default=dict, blank=True, help_text=_("spam, offensive (0..1) and links, when received."))
    reasons = models.JSONField(
        default=list,
        blank=True,
        help_text='Why it was held or binned: [{"code": "links", "count": 3}, ...] (see services.assess).',
    )
    reason_codes = models.CharField(
        max_length=200, blank=True, editable=False, help_text=_("The reasons' codes, space-delimited, for filtering.")
    )
    links_allowed = models.BooleanField(default=False, help_text=_("A moderator allowed its links to be clickable."))
    model_version = models.CharField(
        max_length=40, blank=True, editable=False, help_text=_("The version of the scorer that decided it on arrival.")
    )
    ip_truncated = models.BooleanField(default=False, editable=False)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=keep_replies,
        related_name="replies",
        verbose_name=_("in reply to"),
        help_text=_("The comment this one answers (empty for a comment on the article itself)."),
    )
    thread = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text=_("The first comment of the conversation this reply belongs to; set from the parent on save."),
    )
    parent_removed = models.BooleanField(
        default=False, editable=False, help_text=_("It answered a comment that was since deleted.")
    )

    objects = ReaderCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["article", "status", "created_at"], name="comment_article_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_imported_comment",
            )
        ]
        permissions = [
            ("moderate_readercomment", "Can moderate reader comments"),
            ("export_commenter_data", "Can export a commenter's data"),
            ("erase_commenter_data", "Can erase a commenter's data"),
        ]
        verbose_name = _("reader comment")

    def __str__(self):
        return f"{self.author_name} on {self.article_id}: {self.body[:40]}"

    def save(self, *args, **kwargs):
        # A reply joins its parent's conversation, whoever sets ``parent`` (the form, an import).
        if self.parent_id and not self.thread_id:
            parent = ReaderComment.objects.filter(pk=self.parent_id).values_list("thread_id", flat=True).first()
            self.thread_id = parent or self.parent_id
        super().save(*args, **kwargs)

    @property
    def is_reply(self) -> bool:
        return bool(self.parent_id or self.parent_removed)


class CommentStatusChange(models.Model):
    """The status history and audit log: who (or the pipeline, when ``user`` is empty) decided what."""

    comment = models.ForeignKey(ReaderComment, on_delete=models.CASCADE, related_name="history")
    old_status = models.CharField(max_length=10, choices=CommentStatus.choices, blank=True)
    new_status = models.CharField(max_length=10, choices=CommentStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_name = models.CharField(max_length=150, blank=True, help_text=_("Kept if the account is deleted."))
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.comment_id}: {self.old_status or '-'} -> {self.new_status}"


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    """Per-site comment policy and pre-moderation rules (Settings > Reader comments)."""

    policy = models.TextField(default=DEFAULT_POLICY, help_text=_("Shown above the comment form."))
    hold_all = models.BooleanField(default=False, help_text=_("Every comment waits for a moderator."))
    first_time_threshold = models.PositiveSmallIntegerField(
        default=1,
        help_text=_("Hold a commenter's comments until this many of theirs were approved (0: never hold for this)."),
    )
    hold_links = models.BooleanField(default=True, help_text=_("Hold comments containing links."))
    hold_after_days = models.PositiveSmallIntegerField(
        default=30, help_text=_("Hold comments on articles older than this many days (0: never).")
    )
    close_after_days = models.PositiveSmallIntegerField(
        default=0, help_text=_("Close comments on articles older than this many days (0: never).")
    )
    per_page = models.PositiveSmallIntegerField(default=50, help_text=_("Comments per page under an article."))
    reports_to_hold = models.PositiveSmallIntegerField(
        default=3,
        verbose_name=_("reports that send a comment back to moderation"),
        help_text=_(
            "A published comment reported by this many different readers is hidden and waits for a moderator "
            "(0: reports never hide a comment)."
        ),
    )

    panels = [
        FieldPanel("policy"),
        MultiFieldPanel(
            [
                FieldPanel("hold_all"),
                FieldPanel("first_time_threshold"),
                FieldPanel("hold_links"),
                FieldPanel("hold_after_days"),
                FieldPanel("close_after_days"),
            ],
            heading=_("Pre-moderation"),
        ),
        FieldPanel("per_page"),
        FieldPanel("reports_to_hold"),
    ]

    class Meta:
        verbose_name = _("reader comments")


class ArticleCommentSettings(models.Model):
    """An article's own comment rules, added to the site's (edited in the page editor)."""

    page = ParentalKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="comment_settings")
    closed = models.BooleanField(default=False, help_text=_("No new comments on this article."))
    hold_all = models.BooleanField(default=False, help_text=_("Every comment on this article waits for a moderator."))
    hold_links = models.BooleanField(default=False, help_text=_("Hold comments with links even if the site does not."))
    close_after_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Close after this many days (empty: the site's rule).")
    )

    panels = [FieldPanel("closed"), FieldPanel("hold_all"), FieldPanel("hold_links"), FieldPanel("close_after_days")]

    class Meta:
        verbose_name = _("comment rules")
        constraints = [models.UniqueConstraint(fields=["page"], name="one_comment_settings_per_article")]

    def __str__(self):
        return f"Comment rules for {self.page_id}"


class ClassifierModel(models.Model):
    """A trained version of the comment scorer (see ``classifier.py``); at most one is current."""

    version = models.CharField(max_length=40, unique=True)
    trained_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=False, help_text=_("The version that scores new comments."))
    site_decisions = models.PositiveIntegerField(default=0, help_text=_("Moderator decisions it learned from."))
    holdout_decisions = models.PositiveIntegerField(default=0, help_text=_("Held-out decisions it was compared on."))
    holdout_loss = models.FloatField(null=True, blank=True, help_text=_("Its Brier score on the held-out decisions."))
    previous_loss = models.FloatField(
        null=True, blank=True, help_text=_("The then-current model's Brier score on the same decisions.")
    )
    thresholds = models.JSONField(
        null=True,
        blank=True,
        help_text=_(
            "The spam and abuse scores from which it holds and bins comments, chosen at the latest retraining "
            "from the moderators' decisions (empty: the settings)."
        ),
    )

    class Meta:
        ordering = ["-trained_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="one_current_comment_model"
            )
        ]

    def __str__(self):
        return self.version


class CommentReport(models.Model):
    """A reader's report that a published comment breaks the rules.

    The reader is known only by ``reporter``, a salted hash of their address, so one reader
    counts once per comment; the hash is blanked after ``GAZETTE_COMMENT_IP_RETENTION_DAYS``
    (the report and its reason stay for the moderator).
    """

    comment = models.ForeignKey(ReaderComment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    text = models.TextField(_("details"), max_length=500, blank=True)
    reporter = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], condition=~models.Q(reporter=""), name="one_report_per_reader"
            )
        ]
        verbose_name = _("comment report")

    def __str__(self):
        return f"{self.comment_id}: {self.reason}"
