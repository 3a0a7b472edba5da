from django.db import models


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Awaiting moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"


class CommentSource(models.TextChoices):
    WEB = "web", "Comment form"
    WORDPRESS = "wordpress", "WordPress import"
