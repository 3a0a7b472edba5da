"""Gazette's Wagtail image model: every picture carries its caption, credit and alt text.

A use of an image in an article (a body block or the lead image) may override the caption and
the credit; the values here are the defaults.
"""

from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class GazetteImage(AbstractImage):
    alt_text = models.CharField(
        max_length=255,
        blank=True,
        help_text="Describes the picture for readers who cannot see it.",
    )
    caption = models.TextField(blank=True, help_text="Default caption shown under the picture.")
    credit = models.CharField(
        max_length=255,
        blank=True,
        help_text="Who made or holds the picture, e.g. 'State Archives of the Novosibirsk region'.",
    )
    source_url = models.URLField(blank=True, help_text="Where the picture came from, if online.")

    admin_form_fields = (*Image.admin_form_fields, "alt_text", "caption", "credit", "source_url")

    @property
    def default_alt_text(self):
        return self.alt_text or super().default_alt_text


class GazetteRendition(AbstractRendition):
    image = models.ForeignKey(GazetteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
