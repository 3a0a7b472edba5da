from django.db import models
from django.utils.translation import gettext_lazy


class ArticleSitemapPage(models.Model):
    """One page of the articles sitemap: how many articles it lists and when it last changed.

    Page ``number`` at ``page_size`` URLs a page lists the live, public articles whose id lies
    in ``((number - 1) * page_size, number * page_size]``. Rows are kept up to date by
    :mod:`gazette.seo.article_pages` as articles are published, unpublished, moved, made private
    or deleted, so ``/sitemap.xml`` reads the index from here instead of from every article.
    """

    page_size = models.PositiveIntegerField(gettext_lazy("URLs per page"))
    number = models.PositiveIntegerField(gettext_lazy("page number"))
    articles = models.PositiveIntegerField(gettext_lazy("articles listed"), default=0)
    lastmod = models.DateTimeField(gettext_lazy("last changed"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("articles sitemap page")
        verbose_name_plural = gettext_lazy("articles sitemap pages")
        constraints = [
            models.UniqueConstraint(fields=["page_size", "number"], name="unique_article_sitemap_page"),
        ]

    def __str__(self):
        return f"{self.page_size}/{self.number}"
