"""A page and an article's own fragments are stored on the second request a process gets for
them (``GAZETTE_CACHE_STORE_AFTER = 2``, as in production): a crawler's one-off requests cost no
cache writes and evict nothing, while the masthead, shared by every page, is stored at once."""

import pytest

from gazette.core import caching
from gazette.core.caching import RequestedKeys
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _store_on_second_request(settings, monkeypatch):
    settings.GAZETTE_CACHE_STORE_AFTER = 2
    monkeypatch.setattr(caching, "_requested_keys", None)  # each test starts with a fresh process's memory


@pytest.fixture
def stored(monkeypatch):
    """The keys of the fragments stored during the test."""
    keys = []
    original = caching.store_fragment

    def recording(key, *args, **kwargs):
        keys.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(caching, "store_fragment", recording)
    return keys


def test_a_page_asked_for_once_is_not_kept_by_any_cache(client):
    page = make_article(title="Ice closes the Ob", lead_image=False)
    first = client.get(page.url)
    assert first.status_code == 200 and "Ice closes the Ob" in first.content.decode()
    assert first["X-Cache"] == "MISS"
    assert "private" in first["Cache-Control"] and "no-store" in first["Cache-Control"]
    second = client.get(page.url)
    assert second["X-Cache"] == "MISS" and "public" in second["Cache-Control"]
    third = client.get(page.url)
    assert third["X-Cache"] == "HIT" and third.content == second.content


def test_a_crawl_stores_the_masthead_once_and_no_article_of_its_own(client, stored):
    articles = [make_article(title=f"Archive story {n}", lead_image=False) for n in range(4)]
    client.get(articles[0].url)
    shared = set(stored)
    assert any(key.startswith("tpl:") for key in shared)  # the masthead and the footer
    stored.clear()
    for article in articles[1:]:
        assert client.get(article.url).status_code == 200
    assert not [key for key in stored if key.startswith("tpl:")]
    client.get(articles[1].url)
    assert len([key for key in stored if key.startswith("tpl:")]) == 2  # its head and its content


def test_after_a_purge_a_page_readers_ask_for_is_stored_on_its_next_request(client, committed):
    page = make_article(title="Ferry season ends early", lead_image=False)
    client.get(page.url)
    client.get(page.url)
    assert client.get(page.url)["X-Cache"] == "HIT"
    page.title = "Ferry season ends a week early"
    with committed():
        page.save_revision().publish()
    again = client.get(page.url)
    assert again["X-Cache"] == "MISS" and "a week early" in again.content.decode()
    assert "public" in again["Cache-Control"]
    assert client.get(page.url)["X-Cache"] == "HIT"


def test_first_request_stores_when_the_setting_says_one(client, settings):
    settings.GAZETTE_CACHE_STORE_AFTER = 1
    page = make_article(lead_image=False)
    assert client.get(page.url)["X-Cache"] == "MISS"
    assert client.get(page.url)["X-Cache"] == "HIT"


def test_requested_keys_count_each_key():
    keys = RequestedKeys(size=100)
    assert [keys.count("a"), keys.count("b"), keys.count("a"), keys.count("a")] == [1, 1, 2, 3]


def test_requested_keys_keep_a_count_through_one_generation_and_forget_after_two():
    keys = RequestedKeys(size=3)
    keys.count("old")
    for other in ("x", "y", "z"):  # fills the newer generation: "old" moves to the older one
        keys.count(other)
    assert keys.count("old") == 2
    keys = RequestedKeys(size=3)
    keys.count("old")
    for other in ("p", "q", "r", "s", "t", "u", "v"):
        keys.count(other)
    assert keys.count("old") == 1


def test_requested_keys_stay_within_two_generations():
    keys = RequestedKeys(size=50)
    for n in range(10_000):
        keys.count(f"page-{n}")
    assert len(keys._current) + len(keys._previous) <= 100
