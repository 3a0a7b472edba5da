"""Keep an article's search entry in step with what readers see.

Wagtail indexes a page from ``post_save``, which fires before modelcluster writes the page's
child rows: with the in-process task backend (tests, and any deployment without a worker) a
story's new byline or cities would reach the index only at its next save. Re-indexing on
``page_published``, sent once the page and its children are stored, closes that gap; like
Wagtail's own, it is a background task, so the editor's Publish does not wait on the index. A
contributor's or city's rename re-indexes the articles naming them, so searching for the new
name finds their stories.
"""

from django.db import transaction
from django.db.models.signals import post_save
from wagtail.search.tasks import insert_or_update_object_task
from wagtail.signals import page_published

from gazette.articles.models import ArticlePage, Contributor
from gazette.cities.models import City

from .tasks import reindex_articles


def reindex_article(sender, instance, **kwargs):
    insert_or_update_object_task.enqueue(instance._meta.app_label, instance._meta.model_name, str(instance.pk))


def reindex_articles_of(sender, instance, created=False, raw=False, **kwargs):
    if created or raw:
        return
    key = "contributor_pk" if isinstance(instance, Contributor) else "city_pk"
    transaction.on_commit(lambda: reindex_articles.enqueue(**{key: instance.pk}))


def connect():
    page_published.connect(reindex_article, sender=ArticlePage, dispatch_uid="search_reindex_article")
    post_save.connect(reindex_articles_of, sender=Contributor, dispatch_uid="search_reindex_contributor")
    post_save.connect(reindex_articles_of, sender=City, dispatch_uid="search_reindex_city")
