"""Sitemaps list every public page and contributor: any change to those purges tag ``sitemaps``,
and a change to an article recounts its page of the articles sitemap
(:mod:`gazette.seo.article_pages`).

Articles' own publication already purges ``sitemaps`` through
:func:`gazette.articles.purges.article_tags`; this covers the other pages too (a standard
page published or unpublished, a page moved or deleted, a contributor renamed or removed).
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from gazette.articles.models import ArticlePage, Contributor
from gazette.articles.signals import articles_written
from gazette.core import tags
from gazette.core.invalidation import purge_tags

from . import article_pages
from .sitemaps import page_size


def purge_sitemaps(**kwargs):
    purge_tags({tags.sitemaps()})


def _refresh(pks) -> None:
    article_pages.refresh(pks, page_size())


def _articles_below(page: Page) -> list[int]:
    return list(ArticlePage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def on_article_changed(sender, instance, **kwargs):
    """Published (again) or unpublished: its page's count and lastmod."""
    _refresh([instance.pk])


def on_page_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    """A new address (or a new parent, perhaps private) for the page and every article below it."""
    if url_path_before == url_path_after:
        return  # reordered among its siblings: no article's address changed
    _refresh([instance.pk] if isinstance(instance, ArticlePage) else _articles_below(instance))


def on_section_slug_changed(sender, instance, **kwargs):
    if not isinstance(instance, ArticlePage):  # an article's new slug comes with its publication
        _refresh(_articles_below(instance))


# The deletion under way and the pages it has recounted: deleting a section sends one
# ``post_delete`` per article, after all of them are gone, so each page is counted once.
_deletion: dict = {"origin": None, "numbers": set()}


def on_article_deleted(sender, instance, origin=None, **kwargs):
    size = page_size()
    if origin is None or origin is not _deletion["origin"]:
        _deletion.update(origin=origin, numbers=set())
    number = article_pages.page_of(instance.pk, size)
    if number in _deletion["numbers"]:
        return
    _deletion["numbers"].add(number)
    article_pages.refresh([instance.pk], size)


def on_restriction_changed(sender, instance, **kwargs):
    """A page made private (or public again) hides (or shows) every article below it."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        _refresh(_articles_below(page))


def on_articles_written(sender, pks, **kwargs):
    _refresh(pks)


def connect():
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(purge_sitemaps, dispatch_uid=f"seo_sitemaps_{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(purge_sitemaps, sender=Contributor, dispatch_uid=f"seo_sitemaps_contributor_{id(signal)}")
    page_published.connect(on_article_changed, sender=ArticlePage, dispatch_uid="seo_article_pages_published")
    page_unpublished.connect(on_article_changed, sender=ArticlePage, dispatch_uid="seo_article_pages_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="seo_article_pages_moved")
    page_slug_changed.connect(on_section_slug_changed, dispatch_uid="seo_article_pages_slug_changed")
    post_delete.connect(on_article_deleted, sender=ArticlePage, dispatch_uid="seo_article_pages_deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            on_restriction_changed, sender=PageViewRestriction, dispatch_uid=f"seo_article_pages_private_{id(signal)}"
        )
    articles_written.connect(on_articles_written, dispatch_uid="seo_article_pages_written")
