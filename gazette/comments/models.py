"""Reader comments. Named ``ReaderComment`` because Wagtail already has a ``Comment`` model
(editors' comments in the page editor).

Text is stored exactly as the reader typed it and always rendered as plain text. Readers are
recognised across comments by a salted hash of their email (``email_hash``), never by the raw
address, which is kept only to send the notices the reader asked for.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .choices import CommentSource, CommentStatus


class ReaderCommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CommentStatus.PUBLISHED)

    def pending(self):
        return self.filter(status=CommentStatus.PENDING)


class ReaderComment(models.Model):
    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="reader_comments")
    author_name = models.CharField(max_length=100)
    author_location = models.CharField(max_length=100, blank=True)
    author_email = models.EmailField(blank=True, help_text="Never shown; used only for the notices asked for.")
    email_hash = models.CharField(max_length=64, blank=True, db_index=True)
    body = models.TextField(max_length=getattr(settings, "GAZETTE_COMMENT_MAX_LENGTH", 5000))
    status = models.CharField(max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, unpack_ipv4=True)
    source = models.CharField(max_length=10, choices=CommentSource.choices, default=CommentSource.WEB)
    external_id = models.CharField(
        max_length=255, blank=True, help_text="The comment's id in the system it was imported from."
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

    def __str__(self):
        return f"{self.author_name} on {self.article_id}: {self.body[:40]}"
