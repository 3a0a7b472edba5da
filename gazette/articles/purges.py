"""The cache tags an article touches, and the picture edits that purge them.

:func:`article_tags` is what an article's publication, edit or removal affects: its own page,
the fronts and listings, its cities' fronts and feeds, its contributors' pages and feeds, every
feed and sitemap. The article lifecycle's purges (``signal_handlers.py``) and the WordPress
importer use it. A picture's caption, credit, alt text, focal point or file shows on every
article using it (as its lead picture or in its body) and on the page of a contributor whose
photo it is: editing or deleting a picture purges all of them (:func:`connect`).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete

from gazette.core import tags
from gazette.core.invalidation import purge_tags

# Fields Wagtail fills in by itself (when a page first asks for them): nothing a reader sees.
_BOOKKEEPING_FIELDS = frozenset({"file_size", "file_hash"})


def article_tags(article) -> set[str]:
    """Everything an article's publication, edit or removal affects."""
    found = {tags.article(article.pk), tags.front(), tags.feeds(), tags.sitemaps()}
    found.update(tags.city(city.slug) for city in article.cities.all())
    found.update(tags.contributor(b.contributor_id) for b in article.bylines.all())
    return found


def articles_tags(articles) -> set[str]:
    """Everything a change shown on each of ``articles`` (a queryset of article pages) affects."""
    found: set[str] = set()
    for article in articles.prefetch_related("bylines", "cities"):
        found |= article_tags(article)
    return found


def image_tags(image) -> set[str]:
    """The tags of every page showing ``image``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q
    from wagtail.models import Page, ReferenceIndex

    from .models import ArticlePage, Contributor

    page_ids = {
        int(pk)
        for pk in ReferenceIndex.get_references_to(image)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
        if str(pk).isdigit()
    }
    articles = ArticlePage.objects.filter(Q(pk__in=page_ids) | Q(lead_image=image))
    # The page tag too: the remembered route holds the page's row, whose lead picture a
    # deletion sets to NULL.
    found = articles_tags(articles) | {tags.page(pk) for pk in articles.values_list("pk", flat=True)}
    found.update(tags.contributor(pk) for pk in Contributor.objects.filter(photo=image).values_list("pk", flat=True))
    return found


def on_image_saved(sender, instance, created, **kwargs):
    if kwargs.get("raw") or created:
        return
    update_fields = kwargs.get("update_fields")
    if not (update_fields and set(update_fields) <= _BOOKKEEPING_FIELDS):
        purge_tags(image_tags(instance))


def remember_image_users(sender, instance, **kwargs):
    # Looked up before the references go; purged once the deletion has cleared them.
    instance._gazette_purge_tags = image_tags(instance)


def on_image_deleted(sender, instance, **kwargs):
    purge_tags(getattr(instance, "_gazette_purge_tags", set()))


def connect():
    from wagtail.images import get_image_model

    image_model = get_image_model()
    post_save.connect(on_image_saved, sender=image_model, dispatch_uid="articles_image_saved")
    pre_delete.connect(remember_image_users, sender=image_model, dispatch_uid="articles_image_deleting")
    post_delete.connect(on_image_deleted, sender=image_model, dispatch_uid="articles_image_deleted")
