"""The parts of the search limits on their own: the memory of addresses over the rate, and the
middleware giving its slot back when the rest of the stack raises."""

import pytest
from django.test import RequestFactory

from gazette.search.limits import OverLimitMemory, SearchBusy, search_slot
from gazette.search.middleware import SearchLimitMiddleware


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


def test_a_remembered_address_waits_until_its_window_ends_then_is_forgotten():
    clock = Clock()
    memory = OverLimitMemory(clock=clock)
    key = ("30/m", "203.0.113.5")
    assert memory.wait(key) is None
    memory.remember(key, 5)
    assert memory.wait(key) == 5
    clock.now += 3.5
    assert memory.wait(key) == 2, "rounded up, never 0"
    assert memory.wait(("30/m", "203.0.113.6")) is None
    clock.now += 1.5
    assert memory.wait(key) is None
    assert len(memory) == 0, "an expired address is dropped, not kept"


def test_the_memory_is_bounded_and_drops_expired_addresses_first():
    clock = Clock()
    memory = OverLimitMemory(size=3, clock=clock)
    memory.remember(("30/m", "a"), 60)
    memory.remember(("30/m", "b"), 1)
    memory.remember(("30/m", "c"), 60)
    clock.now += 2  # b's window has ended
    memory.remember(("30/m", "d"), 60)
    assert len(memory) == 3
    assert [memory.wait(("30/m", k)) is not None for k in "acd"] == [True, True, True]
    # Full of live addresses: the longest-remembered one makes room.
    memory.remember(("30/m", "e"), 60)
    assert len(memory) == 3
    assert memory.wait(("30/m", "a")) is None
    assert memory.wait(("30/m", "e")) == 60


def test_the_middleware_gives_the_slot_back_when_the_view_raises(settings):
    settings.GAZETTE_SEARCH_CONCURRENCY = 1
    settings.GAZETTE_SEARCH_RATE = None

    def broken(request):
        raise RuntimeError("the search backend fell over")

    middleware = SearchLimitMiddleware(broken)
    for _ in range(2):
        with pytest.raises(RuntimeError):
            middleware(RequestFactory().get("/search/", {"q": "ferry"}))
    with search_slot():  # free again: this would raise SearchBusy on a leaked slot
        with pytest.raises(SearchBusy):
            with search_slot():
                pass


def test_the_middleware_leaves_other_requests_alone(settings):
    settings.GAZETTE_SEARCH_CONCURRENCY = 1
    seen = []
    middleware = SearchLimitMiddleware(lambda request: seen.append(request.path) or "passed")
    with search_slot():  # the process is busy searching
        for request in (
            RequestFactory().get("/search/"),
            RequestFactory().get("/news/", {"q": "ferry"}),
            RequestFactory().post("/search/?q=ferry"),
        ):
            assert middleware(request) == "passed"
    assert seen == ["/search/", "/news/", "/search/"]
