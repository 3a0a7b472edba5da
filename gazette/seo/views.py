"""Sitemaps and robots.txt. Each response carries the cache tag ``sitemaps`` (purged on publish)."""

from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from gazette.core import tags
from gazette.core.invalidation import add_cache_tags

from .services import absolute_url, language_code, site_name
from .sitemaps import sections

XML = "application/xml; charset=utf-8"


@require_GET
def sitemap_index(request):
    """``/sitemap.xml``: every page of every section, with the newest change on each."""
    add_cache_tags(request, tags.sitemaps())
    entries = []
    for name, section in sections().items():
        # Only pages with rows: an empty urlset is invalid, so a section is listed once it has some.
        for number, lastmod in section.page_lastmods():
            url = reverse("seo:sitemap", kwargs={"section": name, "page": number})
            entries.append({"loc": absolute_url(url), "lastmod": lastmod})
    return TemplateResponse(request, "seo/sitemap_index.xml", {"sitemaps": entries}, content_type=XML)


@require_GET
def sitemap(request, section, page):
    """One page of one section; a page with no rows is 404, except the news sitemap's page 1."""
    add_cache_tags(request, tags.sitemaps())
    found = sections().get(section)
    if found is None:
        raise Http404("No such sitemap section.")
    try:
        rows = found.page_rows(page)
    except InvalidPage as err:
        raise Http404("No such sitemap page.") from err
    context = {
        "urls": found.entries(rows),
        "publication_name": site_name(request),
        "language": language_code(),
    }
    return TemplateResponse(request, "seo/sitemap.xml", context, content_type=XML)


@require_GET
def robots_txt(request):
    """Crawl everything public; keep crawlers out of the admin; point them at the sitemaps."""
    add_cache_tags(request, tags.sitemaps())
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Allow: /",
        "",
        f"Sitemap: {absolute_url(reverse('seo:sitemap-index'))}",
        f"Sitemap: {absolute_url(reverse('seo:sitemap', kwargs={'section': 'news', 'page': 1}))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
