"""Writing many new articles and comments at once, for the importer's common case.

Wagtail creates a page with ``add_child`` (a tree lookup and a parent update per page), then
``save_revision`` and ``publish`` (several saves and signals per page): about 5 posts a second.
:func:`insert_articles` writes a batch of new articles under one parent with a few statements
per table instead, and leaves the database as Wagtail would have:

* tree: each page gets the next materialised path under the parent (treebeard's ``steplen``
  and ``alphabet``), ``depth`` one below it, ``url_path`` from its slug, and the parent's
  ``numchild`` grows once by the batch's size;
* rows: ``wagtailcore_page`` rows with ``bulk_create``, then the articles' own rows (multi-table
  inheritance: the child table's columns only, keyed by ``page_ptr_id``), then bylines, cities;
* history: one revision per page (its ``serializable_data()``, as ``save_revision`` stores it)
  set as the latest and, for published pages, the live revision, and a ``wagtail.publish`` log
  entry per published page, which tells a later edit that the story was already out.

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

import uuid
from collections import defaultdict
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, PageLogEntry, Revision

from gazette.articles.models import ArticleByline, ArticleIndexPage, ArticlePage
from gazette.articles.signals import articles_written
from gazette.comments.models import ReaderComment

# Rows per INSERT statement: well under SQLite's limit of bound parameters with every column.
_ROWS_PER_STATEMENT = 500


def _chunks(rows: list, size: int = _ROWS_PER_STATEMENT):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def next_child_paths(parent: Page, n: int) -> list[str]:
    """The materialised paths of ``n`` new last children of ``parent``, as ``add_child`` gives them."""
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    start = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    return [Page._get_path(parent.path, parent.depth + 1, start + i) for i in range(n)]


def insert_articles(
    parent: ArticleIndexPage, articles: list[ArticlePage], published_at: datetime | None = None
) -> None:
    """Store ``articles`` (new, unsaved, with their in-memory ``bylines`` and ``cities``) as
    children of ``parent``, each with one revision; sets their primary keys.

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

    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    rows = [Page(**{f.attname: getattr(article, f.attname) for f in page_fields}) for article in articles]
    Page.objects.bulk_create(rows, batch_size=_ROWS_PER_STATEMENT)
    for article, row in zip(articles, rows, strict=True):
        article.id = article.page_ptr_id = row.pk
        article._state.adding = False

    # Django's bulk_create refuses multi-table models: the child table's own columns are
    # inserted directly, as Model.save() inserts them after the parent row.
    child_fields = list(ArticlePage._meta.local_concrete_fields)
    for chunk in _chunks(articles):
        ArticlePage._base_manager._insert(chunk, fields=child_fields, using=connection.alias)

    bylines = [byline for article in articles for byline in article.bylines.all()]
    for byline in bylines:
        byline.page_id = byline.page.pk
    ArticleByline.objects.bulk_create(bylines, batch_size=_ROWS_PER_STATEMENT)
    through = ArticlePage.cities.through
    ArticlePage.cities.through.objects.bulk_create(
        [through(articlepage_id=article.pk, city_id=city.pk) for article in articles for city in article.cities.all()],
        batch_size=_ROWS_PER_STATEMENT,
    )

    for article in articles:
        # A new page has no other children: empty lists spare serializable_data a query for each.
        for relation in get_all_child_relations(article):
            if relation.get_accessor_name() != "bylines":
                setattr(article, relation.get_accessor_name(), [])
    revisions = [
        Revision(
            content_type_id=article_type.pk,
            base_content_type_id=page_type.pk,
            object_id=str(article.pk),
            created_at=now,
            content=article.serializable_data(),
            object_str=str(article),
        )
        for article in articles
    ]
    Revision.objects.bulk_create(revisions, batch_size=_ROWS_PER_STATEMENT)
    for article, revision in zip(articles, revisions, strict=True):
        article.latest_revision_id = revision.pk
        article.live_revision_id = revision.pk if article.live else None
    # Each page's only revision, found by its key: two statements for the batch.
    revision = Subquery(
        Revision.objects.filter(base_content_type_id=page_type.pk, object_id=Cast(OuterRef("pk"), CharField()))
        .order_by("-pk")
        .values("pk")[:1]
    )
    pks = [article.pk for article in articles]
    Page.objects.filter(pk__in=pks).update(latest_revision_id=revision)
    Page.objects.filter(pk__in=[article.pk for article in articles if article.live]).update(live_revision_id=revision)
    PageLogEntry.objects.bulk_create(
        [
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
            for article in articles
            if article.live
        ],
        batch_size=_ROWS_PER_STATEMENT,
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
        ReaderComment.objects.bulk_create(batch, batch_size=_ROWS_PER_STATEMENT)
