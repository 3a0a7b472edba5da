"""The front page and the site's standard pages (the privacy policy, about us)."""

from django.core.paginator import Paginator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from gazette.articles.models import ARTICLES_PER_PAGE, ArticlePage


class HomePage(Page):
    """The front page: the latest stories, newest first, paginated."""

    intro = models.TextField(blank=True, help_text="A line under the masthead, optional.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["articles.ArticleIndexPage", "home.StandardPage"]
    max_count = 1

    def get_cache_tags(self) -> tuple[str, ...]:
        """The front changes with every article (see ``gazette.core.middleware``)."""
        return ("front",)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.for_listing()
        context["articles"] = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
        return context


class StandardPage(Page):
    """A plain page of text, such as the privacy policy the comment form links to."""

    body = RichTextField(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    subpage_types = ["home.StandardPage"]
