"""Gazette's Wagtail image model: every picture carries its caption, credit and alt text.

The alt text is Wagtail's own ``description`` field (labelled "Alt text"): Wagtail's
``default_alt_text``, its rich-text embeds and its ImageBlock read it, so there is one place
to describe a picture. A use of an image in an article (a body block or the lead image) may
override the caption and the credit; the values here are the defaults.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image

# Fields Wagtail fills in by itself (when a page first asks for them): nothing a reader sees.
_BOOKKEEPING_FIELDS = frozenset({"file_size", "file_hash"})


class GazetteImage(AbstractImage):
    description = models.CharField(
        max_length=255,
        blank=True,
        default="",
        verbose_name=_("alt text"),
        help_text=_("Describes the picture for readers who cannot see it."),
    )
    caption = models.TextField(blank=True, help_text=_("Default caption shown under the picture."))
    credit = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("Who made or holds the picture, e.g. 'State Archives of the Novosibirsk region'."),
    )
    source_url = models.URLField(blank=True, help_text=_("Where the picture came from, if online."))

    # Wagtail's own fields already include ``description``, the alt text.
    admin_form_fields = (*Image.admin_form_fields, "caption", "credit", "source_url")

    @staticmethod
    def save_shows(update_fields) -> bool:
        """Whether a save of these ``update_fields`` (None: all) changes what readers see of a picture."""
        return not (update_fields and set(update_fields) <= _BOOKKEEPING_FIELDS)


class GazetteRendition(AbstractRendition):
    image = models.ForeignKey(GazetteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
