from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from gazette.core import tags
from gazette.core.invalidation import add_cache_tags

from .models import ARTICLES_PER_PAGE, ArticlePage, Contributor


def contributor_detail(request, slug):
    """A contributor's page: who they are and every article they have a byline on."""
    contributor = get_object_or_404(Contributor.objects.select_related("photo"), slug=slug)
    add_cache_tags(request, tags.contributor(contributor.pk))
    articles = ArticlePage.objects.for_listing().filter(bylines__contributor=contributor).distinct()
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "articles/contributor.html", {"contributor": contributor, "articles": page})
