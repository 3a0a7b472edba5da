"""Articles, their contributors and bylines.

An article's byline is an ordered list of Contributor records, never free text: the reference
page printed ``By 0 and 0 and 0`` because its template had placeholders where names belonged.
Publishing without a byline, or with a contributor who has no real name, is refused by
:class:`gazette.articles.forms.ArticlePageForm` beside the byline (publishing, scheduling,
submitting, approving in the editor), and a workflow approval from elsewhere (the dashboard)
that would publish such a revision raises :class:`PublishRefused` before anything changes
(``gazette.articles.signal_handlers``); the byline template only ever prints names.
"""

from django.db import models
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.db.models.expressions import Col
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail.utils.decorators import cached_classmethod

from gazette.cities.panels import CitySuggestionsPanel
from gazette.core import tags
from gazette.core.internals import is_prefetched
from gazette.core.middleware import AdminRefusal
from gazette.core.models import ServedPageMixin
from gazette.core.prepared import PreparedQuery
from gazette.core.privacy import public
from gazette.core.slugs import (
    GazettePageForm,
    NameFieldPanel,
    SlugFromNameMixin,
    SlugFromTitlePageMixin,
    SlugSnippetForm,
)

from .blocks import ArticleBodyBlock
from .choices import ArticleLanguage, ContributorRole, site_language
from .forms import ArticlePageForm
from .pagination import listing_page
from .panels import ArticleInlinePanel, BylinePanel
from .publishing import edit_panels
from .validators import validate_real_name

ARTICLES_PER_PAGE = 10


class PublishRefused(AdminRefusal):
    """A workflow approval would publish an article that fails a publish check; the admin shows
    the reasons and nothing of the approval is kept."""

    def __init__(self, page, findings):
        self.findings = findings
        reasons = " ".join(f.message for f in findings)
        super().__init__(
            gettext("'%(title)s' cannot be published: %(reasons)s") % {"title": page.title, "reasons": reasons}
        )


@register_snippet
class Contributor(SlugFromNameMixin, index.Indexed, models.Model):
    """A byline's person. The slug (their page's address) is made from the name when left empty."""

    name = models.CharField(max_length=150, validators=[validate_real_name])
    slug = models.SlugField(
        max_length=150,
        unique=True,
        blank=True,
        help_text=gettext_lazy("Their page's address; leave empty to make it from the name."),
    )
    role = models.CharField(max_length=30, choices=ContributorRole.choices, default=ContributorRole.REPORTER)
    bio = models.TextField(blank=True, max_length=1000, help_text=gettext_lazy("A sentence or two about them."))
    photo = models.ForeignKey("images.GazetteImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    panels = [NameFieldPanel("name"), FieldPanel("slug"), FieldPanel("role"), FieldPanel("bio"), FieldPanel("photo")]
    base_form_class = SlugSnippetForm
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.SearchField("bio")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:contributor", kwargs={"slug": self.slug})

    def get_role_display(self) -> str:
        """The role's label in the active language. Django's own rebuilds a dictionary of every
        role, each label translated, on each call: every co-author of every article page asks."""
        try:
            return str(ContributorRole(self.role).label)
        except ValueError:  # a role no longer offered shows as stored
            return self.role


def _page_id():
    """The page table's own id column. Django names an article's id by the article table's
    ``page_ptr_id`` instead, and an ORDER BY that ends on another table's column keeps SQLite
    from reading the page table's ``first_published_at`` index (whose entries end with the row
    id) in order: it would sort the whole archive for every page of a listing."""
    return Col(Page._meta.db_table, Page._meta.pk)


class ArticlePageQuerySet(PageQuerySet):
    def for_listing(self):
        """Everything a listing shows, newest first, in a fixed number of queries whatever its length.

        The order is read from the page table's index on ``first_published_at``, so a page of a
        listing reads its own rows and stops, at any archive size; private sections are found
        by key (:func:`gazette.core.privacy.public`), not by Wagtail's walk of the page table.
        """
        return (
            public(self.live())
            .select_related("lead_image")
            .prefetch_related("bylines__contributor", "cities", "lead_image__renditions")
            .order_by("-first_published_at", _page_id().desc())
        )

    def in_city(self, city):
        """The articles of ``city``'s edition, checked row by row with the unique (article, city)
        index while the listing's order is read from its index: a city holds a large share of the
        archive, so the first page is found after a few rows, where a join would gather and sort
        every story the city ever had."""
        through = ArticlePage.cities.through
        return self.filter(Exists(through.objects.filter(articlepage_id=OuterRef("pk"), city=city)))

    def outside_city(self, city):
        """Every article not in ``city``'s edition (the front page after the edition's own lead)."""
        through = ArticlePage.cities.through
        return self.filter(~Exists(through.objects.filter(articlepage_id=OuterRef("pk"), city=city)))


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


class ArticleIndexPage(SlugFromTitlePageMixin, ServedPageMixin, Page):
    """The parent of all articles (``/news/``), listing them newest first."""

    intro = models.TextField(blank=True)
    base_form_class = GazettePageForm

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["articles.ArticlePage"]
    max_count = 1

    def get_cache_tags(self) -> tuple[str, ...]:
        """The listing changes with every article (see ``gazette.core.middleware``)."""
        return (tags.front(),)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.child_of(self).for_listing()
        context["articles"] = listing_page(articles, request.GET.get("page"), ARTICLES_PER_PAGE)
        return context


class ArticlePage(SlugFromTitlePageMixin, ServedPageMixin, Page):
    """A news story. ``title`` is the headline."""

    standfirst = models.TextField(
        max_length=400,
        blank=True,
        help_text=gettext_lazy("One or two sentences under the headline, shown in listings and previews."),
    )
    lead_image = models.ForeignKey(
        "images.GazetteImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_caption = models.TextField(blank=True, help_text=gettext_lazy("Leave empty to use the image's own caption."))
    lead_credit = models.CharField(
        max_length=255, blank=True, help_text=gettext_lazy("Leave empty to use the image's own credit.")
    )
    body = StreamField(ArticleBodyBlock())
    cities = ParentalManyToManyField(
        "cities.City",
        blank=True,
        related_name="articles",
        help_text=gettext_lazy("The city editions this story belongs to; none means a regional story."),
    )
    topics = ClusterTaggableManager(
        verbose_name=gettext_lazy("topics"),
        through="articles.ArticleTopic",
        blank=True,
        help_text=gettext_lazy("What the story is about, for readers searching the archive by topic."),
    )
    language = models.CharField(
        gettext_lazy("language"),
        max_length=8,
        choices=ArticleLanguage.choices,
        default=site_language,
        # A form that leaves it out (an import, an older client) keeps the site's language.
        blank=True,
        help_text=gettext_lazy("The language the story is written in; new stories start in the site's."),
    )
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text=gettext_lazy("Shown as 'Updated' when a story changed after it was published.")
    )

    objects = ArticlePageManager()
    base_form_class = ArticlePageForm

    content_panels = [
        TitleFieldPanel("title", heading=gettext_lazy("Headline"), placeholder=gettext_lazy("Headline*")),
        FieldPanel("standfirst", heading=gettext_lazy("Standfirst")),
        # One empty 'Author' row to start with; an untouched row is no author (BylinePanel).
        BylinePanel(
            "bylines",
            heading=gettext_lazy("Byline"),
            label=gettext_lazy("Author"),
            add_label=gettext_lazy("Add an author"),
            min_num=1,
        ),
        MultiFieldPanel(
            [
                FieldPanel("lead_image", heading=gettext_lazy("Lead image")),
                FieldPanel("lead_caption", heading=gettext_lazy("Lead caption")),
                FieldPanel("lead_credit", heading=gettext_lazy("Lead credit")),
            ],
            heading=gettext_lazy("Lead picture"),
        ),
        FieldPanel("body", heading=gettext_lazy("Body")),
        FieldPanel("topics", heading=gettext_lazy("Topics")),
        FieldPanel("cities", heading=gettext_lazy("Cities")),
        CitySuggestionsPanel(),
        ArticleInlinePanel(
            "comment_settings",
            heading=gettext_lazy("Reader comments"),
            label=gettext_lazy("Comment rules"),
            add_label=gettext_lazy("Set comment rules"),
            max_num=1,
        ),
    ]
    promote_panels = [
        *Page.promote_panels,
        FieldPanel("updated_at", heading=gettext_lazy("Updated at")),
        FieldPanel("language", heading=gettext_lazy("Language")),
    ]

    @cached_classmethod
    def get_edit_handler(cls):
        """Wagtail's editor tabs, the Content tab with the panels other apps registered
        (:func:`gazette.articles.publishing.register_edit_panel`) after the city suggestions."""
        content = list(cls.content_panels)
        after_cities = next(i for i, panel in enumerate(content) if isinstance(panel, CitySuggestionsPanel)) + 1
        content[after_cities:after_cities] = edit_panels()
        tabs = [
            ObjectList(content, heading=gettext_lazy("Content")),
            ObjectList(cls.promote_panels, heading=gettext_lazy("Promote")),
            ObjectList(cls.settings_panels, heading=gettext_lazy("Settings")),
        ]
        return TabbedInterface(tabs, base_form_class=cls.base_form_class).bind_to_model(cls)

    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.RelatedFields("bylines", [index.RelatedFields("contributor", [index.SearchField("name")])]),
        index.RelatedFields("cities", [index.SearchField("name"), index.FilterField("slug")]),
        index.FilterField("first_published_at"),
    ]

    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = gettext_lazy("article")

    def get_cache_tags(self) -> tuple[str, ...]:
        """Its own page tag; contributor and city edits purge ``article:<pk>`` of their articles."""
        return (tags.article(self.pk),)

    def prefetch_pictures(self) -> None:
        """Every picture's renditions in one query, however many pictures the story has.

        Called by the templates (``{% prefetch_pictures page %}``) inside the fragments that show
        pictures, so a page whose fragments are cached loads no picture at all.
        """
        if getattr(self, "_pictures_prefetched", False):
            return
        prefetch_related_objects([i for i in self._image_instances() if i is not None], "renditions")
        self._pictures_prefetched = True

    def _image_instances(self):
        """Each image object the templates will render (duplicates included: each needs its cache)."""
        yield self.lead_image
        for block in self.body:
            if block.block_type in ("image", "document"):
                yield block.value["image"]
            elif block.block_type == "image_group":
                yield from block.value["images"]

    @cached_property
    def contributors(self) -> list[Contributor]:
        """The byline's contributors in order, in one query (or none with a listing's prefetch)."""
        if self.bylines.is_deferring or is_prefetched(self, "bylines") or self.pk is None:
            bylines = self.bylines.all()  # a preview's in-memory byline or a listing's prefetch
        else:
            bylines = _BYLINES.all((), (self.pk,))
        return [b.contributor for b in bylines if b.contributor_id]

    @cached_property
    def city_list(self) -> list:
        """The article's cities, read once per request (the page and its metadata both show them)."""
        if "cities" in getattr(self, "_cluster_related_objects", {}) or is_prefetched(self, "cities") or not self.pk:
            return list(self.cities.all())  # a preview's chosen cities or a listing's prefetch
        return _CITIES.all((), (self.pk,))

    @cached_property
    def topic_list(self) -> list:
        """The article's topics by name, read once per request."""
        if "tagged_topics" in getattr(self, "_cluster_related_objects", {}) or not self.pk:
            return sorted((t.tag for t in self.tagged_topics.all()), key=lambda tag: tag.name.lower())
        return _TOPICS.all((), (self.pk,))

    @property
    def published_at(self):
        return self.first_published_at or self.latest_revision_created_at or timezone.now()

    @property
    def lead_caption_text(self) -> str:
        return self.lead_caption or (self.lead_image.caption if self.lead_image else "")

    @property
    def lead_credit_text(self) -> str:
        return self.lead_credit or (self.lead_image.credit if self.lead_image else "")

    def get_images(self):
        """Every image the article shows (lead, body figures, groups, documents), once each."""
        images = [self.lead_image] if self.lead_image else []
        for block in self.body:
            value = block.value
            if block.block_type in ("image", "document"):
                images.append(value["image"])
            elif block.block_type == "image_group":
                images.extend(value["images"])
        seen, out = set(), []
        for image in images:
            if image is not None and image.pk not in seen:
                seen.add(image.pk)
                out.append(image)
        return out


class ArticleByline(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    contributor = models.ForeignKey(Contributor, on_delete=models.PROTECT, related_name="bylines")

    panels = [FieldPanel("contributor", heading=gettext_lazy("Contributor"))]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["page", "contributor"], name="unique_byline_per_article")]

    def __str__(self):
        return str(self.contributor)


class ArticleTopic(TaggedItemBase):
    """One topic of an article (a Wagtail tag)."""

    content_object = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="tagged_topics")


# An article page's byline and cities as its managers read them, their SQL built once per process.
_BYLINES = PreparedQuery(
    lambda page_id: ArticleByline.objects.select_related("contributor").filter(page_id=page_id), kinds=(int,)
)
_CITIES = PreparedQuery(
    lambda page_id: ArticlePage._meta.get_field("cities").related_model.objects.filter(articles=page_id), kinds=(int,)
)
_TOPICS = PreparedQuery(
    lambda page_id: Tag.objects.filter(articles_articletopic_items__content_object=page_id).order_by(Lower("name")),
    kinds=(int,),
)
