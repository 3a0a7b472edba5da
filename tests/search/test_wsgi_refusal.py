"""Addresses known over the search rate are answered before Django builds a request."""

import pytest
from django.conf import settings

from gazette.search.limits import DEFAULT_RATE, over_limit
from gazette.search.middleware import refuse_remembered_floods


def _environ(path="/search/", query="q=ferry", address="203.0.113.9", method="GET"):
    return {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "REMOTE_ADDR": address}


@pytest.fixture
def app():
    calls = []

    def inner(environ, start_response):
        calls.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"results"]

    over_limit.clear()
    yield refuse_remembered_floods(inner), calls
    over_limit.clear()


def _call(app, environ):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body.decode()


def test_a_remembered_address_gets_the_429_page_without_reaching_django(app):
    wrapped, calls = app
    over_limit.remember((getattr(settings, "GAZETTE_SEARCH_RATE", DEFAULT_RATE), "203.0.113.9"), 40)
    status, headers, body = _call(wrapped, _environ())
    assert status.startswith("429")
    assert 39 <= int(headers["Retry-After"]) <= 40
    assert "no-store" in headers["Cache-Control"]
    assert int(headers["Content-Length"]) == len(body.encode())
    assert "Too many searches" in body and "Please try again in" in body
    assert calls == []


@pytest.mark.parametrize(
    "environ",
    [
        _environ(address="198.51.100.7"),  # another reader
        _environ(query=""),  # the empty search form
        _environ(path="/news/"),  # not a search
        _environ(method="POST"),
    ],
)
def test_everything_else_goes_to_django(app, environ):
    wrapped, calls = app
    over_limit.remember((getattr(settings, "GAZETTE_SEARCH_RATE", DEFAULT_RATE), "203.0.113.9"), 40)
    status, _, body = _call(wrapped, environ)
    assert status == "200 OK" and body == "results"
    assert calls == [environ["PATH_INFO"]]


def test_the_site_application_is_wrapped():
    import gazette.wsgi

    assert gazette.wsgi.application.__name__ == "refusing"
