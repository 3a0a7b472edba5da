from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CommentStatus(models.TextChoices):
    # One comment's state (the queue's tabs, which list many, have their own words).
    PENDING = "pending", pgettext_lazy("one comment's state", "Awaiting moderation")
    PUBLISHED = "published", pgettext_lazy("one comment's state", "Published")
    REJECTED = "rejected", pgettext_lazy("one comment's state", "Rejected")
    SPAM = "spam", pgettext_lazy("one comment's state", "Spam")


class CommentSource(models.TextChoices):
    WEB = "web", _("Comment form")
    WORDPRESS = "wordpress", _("WordPress import")


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abuse or a personal attack")
    HATE = "hate", _("Hate speech")
    PRIVATE = "private", _("Someone's private information")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Something else")
