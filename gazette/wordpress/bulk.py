"""Writing many new articles and comments at once, for the importer's common case.

Wagtail creates a page with ``add_child`` (a tree lookup and a parent update per page), then
``save_revision`` and ``publish`` (several saves and signals per page): about 5 posts a second.
:func:`insert_articles` writes a batch of new articles under one parent with a few statements
per table instead, and leaves the database as Wagtail would have:

* tree: each page gets the next materialised path under the parent (treebeard's ``steplen``
  and ``alphabet``), ``depth`` one below it, ``url_path`` from its slug, and the parent's
  ``numchild`` grows once by the batch's size;
* rows: ``wagtailcore_page`` rows, then the articles' own rows (multi-table inheritance: the
  child table's columns only, keyed by ``page_ptr_id``), then bylines, cities;
* history: one revision per page (its ``serializable_data()``, as ``save_revision`` stores it)
  set as the latest and, for published pages, the live revision, and a ``wagtail.publish`` log
  entry per published page, which tells a later edit that the story was already out.

Rows are written by :class:`Rows`: the INSERT statement Django's ``bulk_create`` would run, with
each value prepared as ``Model.save()`` prepares it, but without the ORM's per-value query
compilation, which took most of an import's time.

No page signal is sent; :data:`gazette.articles.signals.articles_written` is, once per batch,
with the ids of its live articles (the sitemap's pages count them). What the page signals'
receivers do for a published article is done by the caller in bulk (see ``services.py``): the
search index entries for the batch, one background task per batch for Wagtail's search and
reference indexes, rendition warming for articles with pictures, and one purge of every
affected cache tag at the end of the import.

:func:`insert_comments` writes comments level by level (comments on the article, then their
replies, then replies to those), each reply joining its parent's conversation (``thread``) as
:meth:`ReaderComment.save <gazette.comments.models.ReaderComment.save>` would set it.
"""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    F,
    Field,
    ForeignKey,
    IntegerField,
    Model,
    TextField,
)
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, PageLogEntry, Revision

from gazette.articles.models import ArticleByline, ArticleIndexPage, ArticlePage, ArticleTopic
from gazette.articles.signals import articles_written
from gazette.comments.models import ReaderComment


def _plain_types(field: Field) -> tuple[type, ...]:
    """The Python types whose values ``field`` stores unchanged (its preparation returns them as
    they are, on every backend), so they need not go through it; empty when every value must."""
    kind = type(field)
    if isinstance(field, ForeignKey):
        return _plain_types(field.target_field) if kind.get_db_prep_save is ForeignKey.get_db_prep_save else ()
    if isinstance(field, AutoFieldMixin):
        # Its save preparation only asks the backend to validate the key, which all but MySQL skip.
        unvalidated = type(connection.ops).validate_autopk_value is BaseDatabaseOperations.validate_autopk_value
        if kind.get_db_prep_save is not AutoFieldMixin.get_db_prep_save or not unvalidated:
            return ()
    elif kind.get_db_prep_save is not Field.get_db_prep_save:
        return ()
    if isinstance(field, IntegerField) and kind.get_prep_value is IntegerField.get_prep_value:
        # PostgreSQL's IntegerField adaptation only names the integer's size for the server.
        return (int,)
    if kind.get_db_prep_value is not Field.get_db_prep_value:
        return ()
    if isinstance(field, CharField) and kind.get_prep_value is CharField.get_prep_value:
        return (str,)
    if isinstance(field, TextField) and kind.get_prep_value is TextField.get_prep_value:
        return (str,)
    if isinstance(field, BooleanField) and kind.get_prep_value is BooleanField.get_prep_value:
        return (bool,)
    return ()


def _stock_datetime(field: Field) -> bool:
    """Whether ``field`` prepares an aware datetime by the backend's adaptation alone."""
    kind = type(field)
    return (
        isinstance(field, DateTimeField)
        and kind.get_db_prep_save is Field.get_db_prep_save
        and kind.get_db_prep_value is DateTimeField.get_db_prep_value
        and kind.get_prep_value is DateTimeField.get_prep_value
    )


class Rows:
    """Writes new rows of one model's own table (``_meta.local_concrete_fields``), as
    ``bulk_create`` would, without its per-value query compilation.

    A value is prepared for the database as ``Model.save()`` prepares it (the field's
    ``get_db_prep_save``), except the ones the field would store unchanged (a string in a text
    column, an integer in an integer column, ``None`` where the field stores it as NULL) and
    aware datetimes, which go straight to the backend's adaptation; ``auto_now`` and
    ``auto_now_add`` dates are set by the field's ``pre_save``, as on save. An automatic primary
    key is left to the database. Run it inside a transaction.
    """

    def __init__(self, model: type[Model], fields: Sequence[str] | None = None):
        self.model = model
        meta = model._meta
        if fields is None:
            chosen = [f for f in meta.local_concrete_fields if not (f.primary_key and isinstance(f, AutoFieldMixin))]
        else:
            chosen = [meta.get_field(name) for name in fields]
        self.fields = chosen
        self.attnames = [f.attname for f in chosen]
        self._prepare = [self._preparer(f) for f in chosen]
        self._pre_save = [f for f in chosen if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        quote = connection.ops.quote_name
        # Table and column names come from the model; every value is a bound parameter.
        columns = ", ".join(quote(f.column) for f in chosen)
        self._sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
        self._row = "(" + ", ".join(["%s"] * len(chosen)) + ")"
        self._returning = f" RETURNING {quote(meta.pk.column)}"

    @staticmethod
    def _preparer(field: Field) -> Callable[[Any], Any]:
        prepare = field.get_db_prep_save
        plain = _plain_types(field)
        try:
            none_is_null = prepare(None, connection) is None
        except Exception:  # noqa: BLE001 - a field that refuses None prepares every value itself
            none_is_null = False
        if not none_is_null:
            return lambda value: prepare(value, connection)
        if _stock_datetime(field):
            return lambda value: (
                value
                if value is None
                else connection.ops.adapt_datetimefield_value(value)
                if type(value) is datetime and value.tzinfo is not None
                else prepare(value, connection)
            )
        return lambda value: value if value is None or type(value) in plain else prepare(value, connection)

    def values(self, obj: Model) -> tuple:
        """The values of ``obj``'s row, in :attr:`fields` order, unprepared."""
        for field in self._pre_save:
            field.pre_save(obj, add=True)
        return tuple(getattr(obj, name) for name in self.attnames)

    def insert(self, rows: Iterable[Sequence[Any]], returning: bool = False) -> list[Any]:
        """Insert ``rows`` (each its values in :attr:`fields` order); with ``returning``, returns
        the new rows' primary keys in the order of ``rows``."""
        prepare = self._prepare
        prepared = [tuple([p(v) for p, v in zip(prepare, row, strict=True)]) for row in rows]
        if not prepared:
            return []
        with connection.cursor() as cursor:
            if not returning:
                cursor.executemany(self._sql + self._row, prepared)
                return []
            keys: list[Any] = []
            size = max(connection.ops.bulk_batch_size(self.fields, prepared), 1)
            for start in range(0, len(prepared), size):
                chunk = prepared[start : start + size]
                sql = self._sql + ", ".join([self._row] * len(chunk)) + self._returning
                cursor.execute(sql, [value for row in chunk for value in row])
                keys.extend(row[0] for row in cursor.fetchall())
            return keys

    def insert_objects(self, objs: Sequence[Model], returning: bool = False) -> None:
        """Insert ``objs``; with ``returning``, sets their primary keys (and marks them saved)."""
        keys = self.insert([self.values(obj) for obj in objs], returning=returning)
        if returning:
            for obj, key in zip(objs, keys, strict=True):
                obj.pk = key
                obj._state.adding = False
                obj._state.db = connection.alias


@functools.cache
def rows_for(model: type[Model]) -> Rows:
    """The :class:`Rows` writer of ``model``, made once."""
    return Rows(model)


def next_child_paths(parent: Page, n: int) -> list[str]:
    """The materialised paths of ``n`` new last children of ``parent``, as ``add_child`` gives them."""
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    start = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    return [Page._get_path(parent.path, parent.depth + 1, start + i) for i in range(n)]


def insert_articles(
    parent: ArticleIndexPage, articles: list[ArticlePage], published_at: datetime | None = None
) -> None:
    """Store ``articles`` (new, unsaved, with their in-memory ``bylines``, ``cities`` and
    ``tagged_topics``) as children of ``parent``, each with one revision; sets their primary keys.

    Each article's ``live``, ``first_published_at``, ``last_published_at`` and
    ``has_unpublished_changes`` are stored as given. Run it inside a transaction: the tree and
    the parent's ``numchild`` are only consistent once every statement has run.
    """
    if not articles:
        return
    now = published_at or timezone.now()
    page_type = ContentType.objects.get_for_model(Page)
    article_type = ContentType.objects.get_for_model(ArticlePage)
    paths = next_child_paths(parent, len(articles))
    for article, path in zip(articles, paths, strict=True):
        article.path, article.depth, article.numchild = path, parent.depth + 1, 0
        article.url_path = f"{parent.url_path}{article.slug}/"
        article.locale_id = parent.locale_id
        article.draft_title = article.title
        article.latest_revision_created_at = now
        article.content_type_id = article_type.pk

    pks = rows_for(Page).insert([rows_for(Page).values(article) for article in articles], returning=True)
    for article, pk in zip(articles, pks, strict=True):
        article.id = article.page_ptr_id = pk
        article._state.adding = False
        article._state.db = connection.alias

    # The child table's own columns, keyed by page_ptr_id, as Model.save() inserts them after
    # the parent row (Django's bulk_create refuses multi-table models).
    rows_for(ArticlePage).insert_objects(articles)

    bylines = [byline for article in articles for byline in article.bylines.all()]
    for byline in bylines:
        byline.page_id = byline.page.pk
    rows_for(ArticleByline).insert_objects(bylines, returning=True)
    rows_for(ArticlePage.cities.through).insert(
        [(article.pk, city.pk) for article in articles for city in article.cities.all()]
    )
    topics = [topic for article in articles for topic in article.tagged_topics.all()]
    for topic in topics:
        topic.content_object_id = topic.content_object.pk
    rows_for(ArticleTopic).insert_objects(topics, returning=True)

    for article in articles:
        # A new page has no other children: empty lists spare serializable_data a query for each.
        for relation in get_all_child_relations(article):
            if relation.get_accessor_name() not in ("bylines", "tagged_topics"):
                setattr(article, relation.get_accessor_name(), [])
    revisions = rows_for(Revision)
    revision_pks = revisions.insert(
        [
            revisions.values(
                Revision(
                    content_type_id=article_type.pk,
                    base_content_type_id=page_type.pk,
                    object_id=str(article.pk),
                    created_at=now,
                    content=article.serializable_data(),
                    object_str=str(article),
                )
            )
            for article in articles
        ],
        returning=True,
    )
    for article, revision_pk in zip(articles, revision_pks, strict=True):
        article.latest_revision_id = revision_pk
        article.live_revision_id = revision_pk if article.live else None
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(Page._meta.db_table)} SET {quote('latest_revision_id')} = %s, "  # noqa: S608
            f"{quote('live_revision_id')} = %s WHERE {quote(Page._meta.pk.column)} = %s",
            [(article.latest_revision_id, article.live_revision_id, article.pk) for article in articles],
        )
    log = rows_for(PageLogEntry)
    log.insert(
        [
            log.values(
                PageLogEntry(
                    content_type_id=article_type.pk,
                    label=article.draft_title,
                    action="wagtail.publish",
                    timestamp=now,
                    uuid=uuid.uuid4(),
                    revision_id=article.live_revision_id,
                    content_changed=True,
                    page_id=article.pk,
                )
            )
            for article in articles
            if article.live
        ]
    )
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(articles))
    parent.numchild += len(articles)
    articles_written.send(sender=ArticlePage, pks=[article.pk for article in articles if article.live])


def insert_comments(comments: list[tuple[ReaderComment, ReaderComment | None]]) -> None:
    """Store new comments, each given with its parent (``None`` for a comment on the article).

    A parent is either stored already or among ``comments``; parents are written before their
    replies, whatever the order of the list. Sets the comments' primary keys.
    """
    levels: dict[int, int] = {}
    by_level: dict[int, list[ReaderComment]] = defaultdict(list)
    parents = {id(comment): parent for comment, parent in comments}

    def level(comment: ReaderComment) -> int:
        key = id(comment)
        if key not in levels:
            parent = parents.get(key)
            levels[key] = 0 if parent is None or parent.pk is not None else level(parent) + 1
        return levels[key]

    for comment, _parent in comments:
        by_level[level(comment)].append(comment)
    for depth in sorted(by_level):
        batch = by_level[depth]
        for comment in batch:
            parent = parents[id(comment)]
            if parent is not None:
                comment.parent_id = parent.pk
                comment.thread_id = parent.thread_id or parent.pk
        rows_for(ReaderComment).insert_objects(batch, returning=True)
