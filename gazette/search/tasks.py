"""Background re-indexing, so renaming a prolific contributor does not hold up the editor's request."""

from django_tasks import task
from wagtail.search import index

from gazette.articles.models import ArticlePage


@task()
def reindex_articles(contributor_pk: int | None = None, city_pk: int | None = None) -> int:
    """Re-index every article bylined to the contributor or tagged with the city; returns how many."""
    articles = ArticlePage.objects.all()
    if contributor_pk is not None:
        articles = articles.filter(bylines__contributor_id=contributor_pk)
    if city_pk is not None:
        articles = articles.filter(cities__pk=city_pk)
    done = 0
    for article in articles.distinct().iterator(chunk_size=500):
        index.insert_or_update_object(article)
        done += 1
    return done
