"""Views used only by the page-cache tests: each exercises one rule of the middleware."""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page

from gazette.core.invalidation import add_cache_tags


def tagged(request):
    add_cache_tags(request, "front")
    return HttpResponse(f"tagged {request.GET.get('n', '')}")


def untagged(request):
    return HttpResponse("untagged")


def sets_cookie(request):
    add_cache_tags(request, "front")
    response = HttpResponse("with a cookie")
    response.set_cookie("csrftoken", "abc")
    return response


@never_cache
def form_error(request):
    add_cache_tags(request, "front")
    return HttpResponse("Your comment is empty.")


def per_edition(request):
    """Like the front page: its content depends on the edition header."""
    add_cache_tags(request, "front")
    response = HttpResponse("edition=" + request.META.get("HTTP_X_GAZETTE_EDITION", ""))
    patch_vary_headers(response, ["X-Gazette-Edition"])
    return response


def public_not_page_cached(request):
    """Cacheable downstream (its own Cache-Control) but no tags, so not in Gazette's page cache."""
    response = HttpResponse("<p>A page other caches may keep.</p>\n" * 20)
    patch_cache_control(response, public=True, max_age=60)
    return response


@gzip_page
def tagged_gzipped(request):
    """Compressed by its view (Django's gzip_page), not by the page cache."""
    add_cache_tags(request, "front")
    return HttpResponse("<p>A page its view compresses.</p>\n" * 20)
