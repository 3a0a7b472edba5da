"""Keep the search index in step with what readers see.

An article's entry is written when it is published (``page_published`` is sent once the page
and its bylines and cities are stored, so the entry has them) and dropped when it is unpublished;
deleting an article deletes its entry with it (a cascading foreign key), and a change of its
publication time moves its entry (a database trigger, see ``index.py``). These run in the
publishing transaction: the index never disagrees with the site, and costs the editor one
article's worth of writing. A contributor's or city's rename re-indexes the articles naming them,
in the background, so searching for the new name finds their stories.

Wagtail's own search index (the admin's page search) is kept by Wagtail; ``page_published`` also
re-indexes an article there, because Wagtail indexes on ``post_save``, before the children are
stored.
"""

from django.db import connections, transaction
from django.db.models.signals import post_save
from wagtail.search.tasks import insert_or_update_object_task
from wagtail.signals import page_published, page_unpublished

from gazette.articles.models import ArticlePage, Contributor
from gazette.cities.models import City

from . import index
from .tasks import reindex_articles


def reindex_article(sender, instance, **kwargs):
    index.update([instance.pk])
    insert_or_update_object_task.enqueue(instance._meta.app_label, instance._meta.model_name, str(instance.pk))


def unindex_article(sender, instance, **kwargs):
    index.remove([instance.pk])


def reindex_articles_of(sender, instance, created=False, raw=False, **kwargs):
    if created or raw:
        return
    key = "contributor_pk" if isinstance(instance, Contributor) else "city_pk"
    transaction.on_commit(lambda: reindex_articles.enqueue(**{key: instance.pk}))


def ensure_index(sender, using="default", **kwargs):
    """After ``migrate``: the engine's triggers and tables are in place (a table rebuilt by a later
    migration loses its triggers), and an index left empty by an upgrade is built."""
    from .models import SearchEntry

    connection = connections[using]
    if SearchEntry._meta.db_table not in connection.introspection.table_names():
        return
    index.install(connection)
    if using == "default" and not SearchEntry.objects.exists() and ArticlePage.objects.live().exists():
        index.rebuild()


def connect():
    page_published.connect(reindex_article, sender=ArticlePage, dispatch_uid="search_reindex_article")
    page_unpublished.connect(unindex_article, sender=ArticlePage, dispatch_uid="search_unindex_article")
    post_save.connect(reindex_articles_of, sender=Contributor, dispatch_uid="search_reindex_contributor")
    post_save.connect(reindex_articles_of, sender=City, dispatch_uid="search_reindex_city")
