"""``/search/``: site search with filters, highlighted matches and pagination.

Results pages say ``noindex`` (search engines should index the articles, not our result lists)
and are never cached: the space of queries is unbounded and results change with every publish.
Whatever the query, the answer is a page: results, "no stories found", a form error, or "we
could not understand that search" when no word is left of it. The limits on searches (429 for
a client over the rate, 503 while this process already runs its share) are applied before this
view by ``middleware.SearchLimitMiddleware`` (see ``limits.py``).
"""

import logging

from django.core.paginator import Paginator
from django.db import DatabaseError, router, transaction
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gazette.articles.models import ArticlePage

from .forms import SearchForm, readable_params
from .services import excerpt, highlight, parse_query, search_articles
from .text import body_text

logger = logging.getLogger(__name__)

RESULTS_PER_PAGE = 10


@require_GET
@never_cache
def search(request):
    params = readable_params(request.GET)
    if not params:
        return _page(request, SearchForm())
    return _answer(request, params)


def _answer(request, params):
    form = SearchForm(params)
    results, query, not_understood, topic = None, "", False, None
    if form.is_valid():
        data = form.cleaned_data
        query = data["q"].strip()
        filters = {
            "city": data["city"],
            "contributor": data["contributor"],
            "topic": data["topic"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
        topic = data["topic"]
        parsed = parse_query(query)
        if query and parsed.query is None:
            not_understood = True
        elif query or any(filters.values()):
            try:
                results = _search(query, data["order"] or "relevance", filters, params.get("page"), parsed.terms)
            except DatabaseError:
                # The query reaching the backend is only words and phrases, so this is not the
                # reader's doing; they still get the page, the log gets the cause.
                logger.exception("Search failed for %r", query)
                not_understood = True
    return _page(request, form, results=results, query=query, not_understood=not_understood, topic=topic)


def _page(request, form, results=None, query="", not_understood=False, topic=None):
    # A topic's list (an article's topic link, an old archive's redirect) is titled by its topic.
    heading = _("Topic: %(name)s") % {"name": topic.name} if topic is not None and not query else _("Search")
    title = _("Search: %(query)s") % {"query": query} if query else heading
    context = {
        "form": form,
        "results": results,
        "query": query,
        "topic": topic,
        "heading": heading,
        "not_understood": not_understood,
        "seo_title": title,
        "meta_description": _("Search the archive of stories by words, city and date."),
        "robots": "noindex",
    }
    return render(request, "gazette_search/search.html", context)


def _search(query: str, order: str, filters: dict, page, terms: list[str]):
    """One page of results, decorated; inside a savepoint when a transaction is open, so a failed
    query leaves it usable (autocommit needs none, and on SQLite a transaction would take the
    write lock)."""
    using = router.db_for_read(ArticlePage)
    if transaction.get_connection(using).in_atomic_block:
        with transaction.atomic(using=using):
            return _page_of_results(query, order, filters, page, terms)
    return _page_of_results(query, order, filters, page, terms)


def _page_of_results(query, order, filters, page, terms):
    found = search_articles(query, order=order, **filters)
    results = Paginator(found, RESULTS_PER_PAGE).get_page(page)
    _decorate(results, terms)
    return results


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
        article.hl_cities = [highlight(c.display_name, terms) for c in article.cities.all()]
        hits.append(article)
    results.object_list = hits
