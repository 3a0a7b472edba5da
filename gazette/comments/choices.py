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
