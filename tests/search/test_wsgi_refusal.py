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

    # Inside the wrapper that puts the client's address in REMOTE_ADDR (gazette.core.clients).
    assert gazette.wsgi.application.__wrapped__.__name__ == "refusing"


def test_a_busy_process_answers_503_before_django(app, settings):
    from gazette.search.limits import search_slot

    wrapped, calls = app
    settings.GAZETTE_SEARCH_CONCURRENCY = 1
    with search_slot():  # another request's search is running
        status, headers, body = _call(wrapped, _environ(address="198.51.100.7"))
    assert status.startswith("503")
    assert headers["Retry-After"] == "2"
    assert "Search is busy" in body
    assert calls == []
    # The slot is free again once that search ends.
    status, _, _ = _call(wrapped, _environ(address="198.51.100.7"))
    assert status == "200 OK"


@pytest.mark.django_db
def test_the_slot_the_wrapper_holds_is_the_one_the_search_uses(settings, site):
    """With one slot per process, a search through the site's application still gets its results:
    the middleware does not ask for a second slot the wrapper already holds."""
    import io

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    import gazette.wsgi

    settings.GAZETTE_SEARCH_CONCURRENCY = 1
    over_limit.clear()
    environ = {
        **_environ(address="198.51.100.8"),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }
    # As Django's test client does: the handler must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        status, _, body = _call(gazette.wsgi.application, environ)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert status.startswith("200"), status
    assert "ferry" in body
