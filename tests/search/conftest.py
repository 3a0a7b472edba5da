import pytest


@pytest.fixture(autouse=True)
def _no_rendition_warming(monkeypatch):
    """Publishing warms ~16 renditions per picture in-process; these tests render few of them."""
    from types import SimpleNamespace

    monkeypatch.setattr(
        "gazette.articles.signal_handlers.warm_article_renditions", SimpleNamespace(enqueue=lambda *a, **k: None)
    )
