"""Background work for the articles the importer writes in bulk, which send no save signals."""

from django_tasks import task
from wagtail.models import ReferenceIndex
from wagtail.search import index as wagtail_index

from gazette.articles.models import ArticlePage


@task()
def index_imported_articles(page_ids: list[int]) -> int:
    """Add the articles to Wagtail's search index (the admin's page search) and its reference
    index (where each picture, contributor and city is used), as saving each page would have;
    returns how many were indexed."""
    articles = list(ArticlePage.objects.filter(pk__in=page_ids))
    for article in articles:
        wagtail_index.insert_or_update_object(article)
        ReferenceIndex.create_or_update_for_object(article)
    return len(articles)
