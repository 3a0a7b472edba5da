"""The front page and the site's standard pages (the privacy policy, about us)."""

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from gazette.articles.models import ARTICLES_PER_PAGE, ArticlePage
from gazette.articles.pagination import listing_page
from gazette.core import tags
from gazette.core.invalidation import add_cache_tags
from gazette.core.models import ServedPageMixin
from gazette.core.prepared import PreparedQuery
from gazette.core.slugs import GazettePageForm, SlugFromTitlePageMixin

# With a city edition chosen, the front page opens with this many of the city's stories.
EDITION_LEAD_STORIES = 5


def _article_at(home_depth: int, home_path: str, slug: str, url_path: str):
    own_rules = ArticlePage._meta.get_field("comment_settings").related_model
    return (
        ArticlePage.objects.select_related("lead_image")
        .annotate(has_own_comment_rules=Exists(own_rules.objects.filter(page=OuterRef("pk"))))
        .filter(slug=slug, depth=home_depth + 2, path__startswith=home_path, url_path=url_path)
    )


# The article a home page's ``route`` finds by its address (slug and url_path vary per call).
_ARTICLE_AT = PreparedQuery(_article_at, kinds=(str, str))


class HomePage(SlugFromTitlePageMixin, ServedPageMixin, Page):
    """The front page: the latest stories, newest first, paginated.

    With a city edition chosen (``request.edition``, from the ``gazette_edition`` cookie) it
    opens with that city's latest stories and goes on with the stories from elsewhere; the
    response varies on ``X-Gazette-Edition`` so caches keep one copy per edition.
    """

    intro = models.TextField(blank=True, help_text=_("A line under the masthead, optional."))
    base_form_class = GazettePageForm

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["articles.ArticleIndexPage", "home.StandardPage"]
    max_count = 1

    def get_cache_tags(self) -> tuple[str, ...]:
        """The front changes with every article (see ``gazette.core.middleware``)."""
        return (tags.front(),)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.for_listing()
        edition = getattr(request, "edition", None) or None
        add_cache_tags(request, tags.front(), tags.cities())
        context["edition_page"] = True
        if edition is not None:
            add_cache_tags(request, tags.city(edition.slug))
            context["edition"] = edition
            if request.GET.get("page", "1") in ("", "1"):
                context["edition_articles"] = list(articles.in_city(edition)[:EDITION_LEAD_STORIES])
            articles = articles.outside_city(edition)
        context["articles"] = listing_page(articles, request.GET.get("page"), ARTICLES_PER_PAGE)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        patch_vary_headers(response, ["X-Gazette-Edition"])
        return response

    def route(self, request, path_components):
        """An article's address (``<section>/<slug>/``) found with one query.

        Wagtail's routing loads every page on the way down twice (the generic row, then the
        specific one): four queries for an article, on every request no cache answers, such as
        a crawler's walk through the archive. The article is the page whose slug (an indexed
        column) and ``url_path`` match, so one query finds it, with its own fields and
        ``has_own_comment_rules`` (whether it has comment rules of its own, which most do not:
        the comment section then needs no query for them); anything else (another page, an
        unknown address) goes through Wagtail's routing as before. The query's SQL is built
        once per process (``gazette.core.prepared``).
        """
        if len(path_components) == 2:
            section, slug = path_components
            article = _ARTICLE_AT.first((self.depth, self.path), (slug, f"{self.url_path}{section}/{slug}/"))
            if article is not None:
                return article.route(request, [])
        return super().route(request, path_components)


class StandardPage(SlugFromTitlePageMixin, ServedPageMixin, Page):
    """A plain page of text, such as the privacy policy the comment form links to."""

    body = RichTextField(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    base_form_class = GazettePageForm

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    subpage_types = ["home.StandardPage"]
