"""``/search/``: site search with filters, highlighted matches and pagination.

Results pages say ``noindex`` (search engines should index the articles, not our result lists)
and are never cached: the space of queries is unbounded and results change with every publish.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gazette.articles.models import ArticlePage

from .forms import SearchForm
from .services import body_text, excerpt, highlight, query_terms, search_articles

RESULTS_PER_PAGE = 10


@require_GET
@never_cache
def search(request):
    form = SearchForm(request.GET or None)
    results, query = None, ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = data["q"].strip()
        filters = {"city": data["city"], "date_from": data["date_from"], "date_to": data["date_to"]}
        if query or any(filters.values()):
            found = search_articles(query, order=data["order"] or "relevance", **filters)
            results = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
            _decorate(results, query_terms(query))
    context = {
        "form": form,
        "results": results,
        "query": query,
        "seo_title": f"Search: {query}" if query else "Search",
        "meta_description": "Search the archive of stories by words, city and date.",
        "robots": "noindex",
    }
    return render(request, "gazette_search/search.html", context)


def _decorate(results, terms):
    """Attach highlighted headline, standfirst and body excerpt to each hit on this page."""
    pages = list(results.object_list)
    prefetched = {
        p.pk: p
        for p in ArticlePage.objects.filter(pk__in=[p.pk for p in pages])
        .select_related("lead_image")
        .prefetch_related("bylines__contributor", "cities")
    }
    hits = []
    for page in pages:
        article = prefetched.get(page.pk, page)
        article.hl_title = highlight(article.title, terms)
        article.hl_standfirst = highlight(article.standfirst, terms)
        article.hl_excerpt = excerpt(body_text(article), terms) if terms else ""
        article.hl_names = [highlight(c.name, terms) for c in article.contributors]
        article.hl_cities = [highlight(c.name, terms) for c in article.cities.all()]
        hits.append(article)
    results.object_list = hits
