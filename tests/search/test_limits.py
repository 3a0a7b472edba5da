"""A crawler or a crowd of searches is turned away quickly: 429 per address, 503 per busy process."""

import logging
import threading

import pytest
from django.core.cache import caches
from django.db import DatabaseError
from django.test import Client

from gazette.search import views
from gazette.search.limits import over_limit, search_slot
from tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rendition_warming")]

URL = "/search/"


@pytest.fixture
def ferry(site):
    return make_article(title="Ferry season ends early", lead_image=None)


def test_searches_over_the_rate_get_429_with_retry_after(client, settings, ferry):
    settings.GAZETTE_SEARCH_RATE = "3/m"
    for _ in range(3):
        assert client.get(URL, {"q": "ferry"}).status_code == 200
    # The empty form costs nothing and is not counted.
    assert client.get(URL).status_code == 200
    refused = client.get(URL, {"q": "ferry"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    html = refused.content.decode()
    assert "<h1>Too many searches</h1>" in html
    assert f"Please try again in {refused['Retry-After']} second" in html
    assert "no-store" in refused["Cache-Control"]
    # Counted per client address: another reader still searches.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.get(URL, {"q": "ferry"}).status_code == 200


def test_a_refused_search_runs_no_query(client, settings, ferry, django_assert_num_queries):
    settings.GAZETTE_SEARCH_RATE = "1/m"
    assert client.get(URL, {"q": "ferry"}).status_code == 200
    with django_assert_num_queries(0):
        refused = client.get(URL, {"q": "ferry"})
    assert refused.status_code == 429
    assert "<h1>Too many searches</h1>" in refused.content.decode()
    assert '<a href="/">Go to the front page</a>' in refused.content.decode()


def test_an_address_over_the_rate_is_refused_from_memory_until_its_window_ends(client, settings, ferry):
    settings.GAZETTE_SEARCH_RATE = "2/m"
    for _ in range(2):
        assert client.get(URL, {"q": "ferry"}).status_code == 200
    first = client.get(URL, {"q": "ferry"})
    assert first.status_code == 429
    # With the shared counts gone, this process still remembers the address until its window ends.
    caches["ratelimit"].clear()
    again = client.get(URL, {"q": "ferry"})
    assert again.status_code == 429
    assert 1 <= int(again["Retry-After"]) <= int(first["Retry-After"])
    # Once forgotten (as when the window has ended), the address is counted afresh.
    over_limit.clear()
    assert client.get(URL, {"q": "ferry"}).status_code == 200


def test_the_rate_limit_can_be_switched_off(client, settings, ferry):
    settings.GAZETTE_SEARCH_RATE = None
    assert all(client.get(URL, {"q": "ferry"}).status_code == 200 for _ in range(40))


def test_the_default_rate_lets_a_person_search(client, ferry):
    assert all(client.get(URL, {"q": f"ferry {n}"}).status_code == 200 for n in range(20))


def test_a_search_beyond_the_process_cap_gets_503_at_once(client, settings, ferry, caplog, django_assert_num_queries):
    settings.GAZETTE_SEARCH_CONCURRENCY = 2
    holding, release = threading.Event(), threading.Event()
    held = []

    def hold_a_slot():
        with search_slot():
            held.append(1)
            if len(held) == 2:
                holding.set()
            release.wait(30)

    threads = [threading.Thread(target=hold_a_slot) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        assert holding.wait(10)
        with caplog.at_level(logging.WARNING, logger="django.request"):
            busy = client.get(URL, {"q": "ferry"})
        assert busy.status_code == 503
        assert caplog.records == [], "turning a flood away is not an error to log"
        assert busy["Retry-After"] == "2"
        assert "<h1>Search is busy</h1>" in busy.content.decode()
        assert "Please try again in 2 seconds" in busy.content.decode()
        assert "no-store" in busy["Cache-Control"]
        with django_assert_num_queries(0):
            assert client.get(URL, {"q": "river"}).status_code == 503
        # Pages that run no search are served as usual.
        assert client.get(URL).status_code == 200
    finally:
        release.set()
        for thread in threads:
            thread.join(10)
    assert "1 story found" in client.get(URL, {"q": "ferry"}).content.decode()


def test_the_slot_is_given_back_after_an_exception(settings, ferry, monkeypatch):
    settings.GAZETTE_SEARCH_CONCURRENCY = 1
    client = Client(raise_request_exception=False)

    def broken(*args, **kwargs):
        raise RuntimeError("the search backend fell over")

    monkeypatch.setattr(views, "search_articles", broken)
    assert client.get(URL, {"q": "ferry"}).status_code == 500
    assert client.get(URL, {"q": "ferry"}).status_code == 500, "a leaked slot would answer 503"
    monkeypatch.undo()
    assert client.get(URL, {"q": "ferry"}).status_code == 200


def test_a_database_error_gives_the_not_understood_page_and_frees_the_slot(client, settings, ferry, monkeypatch):
    settings.GAZETTE_SEARCH_CONCURRENCY = 1

    def failing(*args, **kwargs):
        raise DatabaseError("fts5: syntax error")

    monkeypatch.setattr(views, "search_articles", failing)
    for _ in range(2):
        response = client.get(URL, {"q": "ferry"})
        assert response.status_code == 200
        assert "We could not understand that search" in response.content.decode()
    monkeypatch.undo()
    assert "1 story found" in client.get(URL, {"q": "ferry"}).content.decode()


def test_no_cap_when_switched_off(client, settings, ferry):
    settings.GAZETTE_SEARCH_CONCURRENCY = None
    with search_slot(), search_slot(), search_slot():
        assert client.get(URL, {"q": "ferry"}).status_code == 200
