"""City editions: each City is an edition of the site with its own front page and feed."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class CityQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(is_active=True)


class City(index.Indexed, models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    region = models.CharField(max_length=150, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    geonames_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    alternate_names = models.TextField(
        blank=True,
        help_text="Other spellings, one per line (older transliterations, Russian names).",
    )
    sort_order = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")
    is_active = models.BooleanField(default=True, help_text="Hidden cities are not offered to readers.")

    objects = CityQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("region"),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
        FieldPanel("alternate_names"),
        FieldPanel("latitude"),
        FieldPanel("longitude"),
        FieldPanel("population"),
        FieldPanel("geonames_id"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("alternate_names"), index.FilterField("slug")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "cities"

    def __str__(self):
        return self.name

    @property
    def spellings(self) -> list[str]:
        """The name and every alternate spelling, without blanks or duplicates."""
        seen, out = set(), []
        for name in [self.name, *self.alternate_names.splitlines()]:
            name = name.strip()
            if name and name.lower() not in seen:
                seen.add(name.lower())
                out.append(name)
        return out
