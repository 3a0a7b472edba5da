import pytest


@pytest.fixture(autouse=True)
def _no_rendition_warming(monkeypatch):
    """Publishing warms ~16 renditions per picture in-process; these tests render few of them."""
    from types import SimpleNamespace

    monkeypatch.setattr(
        "gazette.articles.signal_handlers.warm_article_renditions", SimpleNamespace(enqueue=lambda *a, **k: None)
    )


@pytest.fixture(autouse=True)
def _forget_addresses_over_the_rate():
    """The rate's counts live in the cache, cleared for every test; the addresses remembered over
    it live in process memory, so each test starts and ends without them too."""
    from gazette.search.limits import over_limit

    over_limit.clear()
    yield
    over_limit.clear()
