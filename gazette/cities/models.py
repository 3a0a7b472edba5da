"""City editions: each City is an edition of the site with its own front page and feed."""

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from gazette.core.slugs import NameFieldPanel, SlugFromNameMixin, SlugSnippetForm


class CityQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(is_active=True)


class City(SlugFromNameMixin, index.Indexed, models.Model):
    """A city edition. The slug (its front's address) is made from the name when left empty."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        blank=True,
        help_text=gettext_lazy("The city front's address; leave empty to make it from the name."),
    )
    name_ru = models.CharField(
        gettext_lazy("Russian name"),
        max_length=100,
        blank=True,
        help_text=gettext_lazy(
            "The name in Russian, in the nominative (Новосибирск): Russian texts naming the city in "
            "any grammatical case are matched to it."
        ),
    )
    region = models.CharField(max_length=150, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    geonames_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    alternate_names = models.TextField(
        blank=True,
        help_text=gettext_lazy("Other spellings, one per line (older transliterations, Russian names)."),
    )
    sort_order = models.PositiveIntegerField(default=0, help_text=gettext_lazy("Lower numbers come first."))
    is_active = models.BooleanField(default=True, help_text=gettext_lazy("Hidden cities are not offered to readers."))

    objects = CityQuerySet.as_manager()

    base_form_class = SlugSnippetForm
    panels = [
        NameFieldPanel("name"),
        FieldPanel("name_ru"),
        FieldPanel("slug"),
        FieldPanel("region"),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
        FieldPanel("alternate_names"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldRowPanel([FieldPanel("population"), FieldPanel("geonames_id")]),
            ],
            heading=gettext_lazy("Gazetteer"),
        ),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("alternate_names"), index.FilterField("slug")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = gettext_lazy("cities")

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        """The name readers see: the Russian name while Russian is active, when the city has one."""
        if self.name_ru and (get_language() or "").startswith("ru"):
            return self.name_ru
        return self.name

    def get_absolute_url(self):
        return reverse("cities:front", kwargs={"slug": self.slug})

    @property
    def spellings(self) -> list[str]:
        """The name, the Russian name and every alternate spelling, without blanks or duplicates."""
        seen, out = set(), []
        for name in [self.name, self.name_ru, *self.alternate_names.splitlines()]:
            name = name.strip()
            if name and name.lower() not in seen:
                seen.add(name.lower())
                out.append(name)
        return out


class CitySuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=CitySuggestion.Status.PENDING)


class CitySuggestion(models.Model):
    """A city named in an article that the editor has not tagged it with (yet).

    Found for each new version of the article when the editor's panel asks
    (:func:`gazette.cities.services.current_suggestions`);
    the editor accepts (the city is added to the article) or dismisses it in the page editor.
    Kept per article and city, so a dismissed city is not offered again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Suggested")
        ACCEPTED = "accepted", gettext_lazy("Accepted")
        DISMISSED = "dismissed", gettext_lazy("Dismissed")

    page = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="city_suggestions")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="suggestions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CitySuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["city__sort_order", "city__name"]
        constraints = [models.UniqueConstraint(fields=["page", "city"], name="unique_city_suggestion_per_article")]

    def __str__(self):
        return f"{self.city} for {self.page_id} ({self.get_status_display()})"
