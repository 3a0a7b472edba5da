"""Renditions made ahead of readers, and the purges that keep pages showing a picture exact.

A picture's caption, credit, alt text, focal point or file shows on every article using it (as
its lead picture or in its body, and in the listings, feeds and sitemaps showing that article)
and on the page of a contributor whose photo it is: editing or deleting it purges all of them.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete

from gazette.core.invalidation import articles_tags, purge_tags

from .tasks import warm_image_renditions

# Fields Wagtail fills in by itself (when a page first asks for them): nothing a reader sees.
_BOOKKEEPING_FIELDS = frozenset({"file_size", "file_hash"})


def image_tags(image) -> set[str]:
    """The tags of every page showing ``image``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q
    from wagtail.models import Page, ReferenceIndex

    from gazette.articles.models import ArticlePage, Contributor

    page_ids = {
        int(pk)
        for pk in ReferenceIndex.get_references_to(image)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
        if str(pk).isdigit()
    }
    articles = ArticlePage.objects.filter(Q(pk__in=page_ids) | Q(lead_image=image))
    # ``page:<pk>`` too: the remembered route holds the page's row, whose lead picture a deletion
    # sets to NULL.
    tags = articles_tags(articles) | {f"page:{pk}" for pk in articles.values_list("pk", flat=True)}
    tags.update(f"contributor:{pk}" for pk in Contributor.objects.filter(photo=image).values_list("pk", flat=True))
    return tags


def on_image_saved(sender, instance, created, **kwargs):
    if kwargs.get("raw"):
        return
    transaction.on_commit(lambda: warm_image_renditions.enqueue(instance.pk))
    update_fields = kwargs.get("update_fields")
    if not created and not (update_fields and set(update_fields) <= _BOOKKEEPING_FIELDS):
        purge_tags(image_tags(instance))


def remember_image_users(sender, instance, **kwargs):
    # Looked up before the references go; purged once the deletion has cleared them.
    instance._gazette_purge_tags = image_tags(instance)


def on_image_deleted(sender, instance, **kwargs):
    purge_tags(getattr(instance, "_gazette_purge_tags", set()))


def connect():
    from .models import GazetteImage

    post_save.connect(on_image_saved, sender=GazetteImage, dispatch_uid="images_saved")
    pre_delete.connect(remember_image_users, sender=GazetteImage, dispatch_uid="images_deleting")
    post_delete.connect(on_image_deleted, sender=GazetteImage, dispatch_uid="images_deleted")
