from django.db import models
from django.utils.translation import gettext_lazy as _


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


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
