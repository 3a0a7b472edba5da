"""What the WordPress importer has created, so a second run updates instead of duplicating.

Each row maps one WordPress object (a post, an attachment, an author, identified within its
site by id or login) to the Gazette object made from it. ``checksum`` is a digest of what the
importer last wrote: when the export has not changed, a re-run leaves the object alone, so an
editor's later changes in Gazette survive a repeated import of the same file.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedItemKind(models.TextChoices):
    POST = "post", _("Post")
    ATTACHMENT = "attachment", _("Attachment")
    AUTHOR = "author", _("Author")


class ImportedItem(models.Model):
    source = models.CharField(max_length=255, help_text=_("The WordPress site the export came from (its URL)."))
    kind = models.CharField(max_length=20, choices=ImportedItemKind.choices)
    wp_id = models.CharField(max_length=255, help_text=_("The post or attachment id, or the author's login."))
    guid = models.CharField(max_length=500, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    checksum = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "wp_id"], name="unique_wordpress_item"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="wordpress_item_target")]

    def __str__(self):
        return f"{self.source} {self.kind} {self.wp_id}"
