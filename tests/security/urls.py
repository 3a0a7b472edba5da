"""Views that choose their own policy, for tests/security/test_headers.py."""

from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override


@csp_override({"default-src": [CSP.SELF], "img-src": [CSP.SELF, "https://maps.example.org"]})
def own_policy(request):
    return HttpResponse("<p>A map.</p>")


def with_nonce(request):
    return HttpResponse(f'<script nonce="{get_nonce(request)}">document.title = "ok"</script>')


def own_header(request):
    response = HttpResponse("<p>Set by hand.</p>")
    response["Content-Security-Policy"] = "default-src 'self'"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("t/broken/", broken),
    path("t/own-policy/", own_policy),
    path("t/nonce/", with_nonce),
    path("t/own-header/", own_header),
    path("", include("gazette.urls")),
]
