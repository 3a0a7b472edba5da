"""Background re-indexing, so renaming a prolific contributor does not hold up the editor's request."""

from django_tasks import task
from wagtail.search import index as wagtail_index

from gazette.articles.models import ArticlePage

from . import index

CHUNK = 500


@task()
def reindex_articles(contributor_pk: int | None = None, city_pk: int | None = None) -> int:
    """Re-index every article bylined to the contributor or tagged with the city; returns how many."""
    articles = ArticlePage.objects.all()
    if contributor_pk is not None:
        articles = articles.filter(bylines__contributor_id=contributor_pk)
    if city_pk is not None:
        articles = articles.filter(cities__pk=city_pk)
    pks = list(articles.distinct().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        index.update(chunk)
        for article in ArticlePage.objects.filter(pk__in=chunk):
            wagtail_index.insert_or_update_object(article)
    return len(pks)
