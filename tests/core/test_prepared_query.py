"""A query compiled once and run with each call's values gives what the queryset gives."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gazette.articles.models import ArticlePage
from gazette.core.prepared import PreparedQuery
from tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rendition_warming")]


def by_slug(depth: int, slug: str, title: str):
    return ArticlePage.objects.select_related("lead_image").filter(depth=depth, slug=slug, title=title)


def test_each_call_finds_the_row_for_its_own_values(site):
    ferry = make_article(title="Ferry season ends", slug="ferry-season-ends")
    bridge = make_article(title="Bridge reopens", slug="bridge-reopens")
    prepared = PreparedQuery(by_slug, kinds=(str, str))
    found = prepared.first((ferry.depth,), ("ferry-season-ends", "Ferry season ends"))
    assert found.pk == ferry.pk and found.title == "Ferry season ends"
    assert prepared.first((ferry.depth,), ("bridge-reopens", "Bridge reopens")).pk == bridge.pk
    assert prepared.first((ferry.depth,), ("bridge-reopens", "Ferry season ends")) is None
    assert prepared.first((ferry.depth + 1,), ("ferry-season-ends", "Ferry season ends")) is None


def test_the_instance_is_as_the_queryset_loads_it(site):
    ferry = make_article(title="Ferry season ends", slug="ferry-season-ends")
    prepared = PreparedQuery(by_slug, kinds=(str, str))
    prepared.first((ferry.depth,), ("ferry-season-ends", "Ferry season ends"))
    with CaptureQueriesContext(connection) as captured:
        found = prepared.first((ferry.depth,), ("ferry-season-ends", "Ferry season ends"))
        assert found.lead_image.title == ferry.lead_image.title  # selected with it, no query
    assert len(captured) == 1
    expected = by_slug(ferry.depth, "ferry-season-ends", "Ferry season ends").first()
    assert found.url_path == expected.url_path and found.first_published_at == expected.first_published_at
    assert found._state.db == expected._state.db and not found._state.adding


def test_a_value_that_is_not_a_whole_parameter_is_refused(site):
    prepared = PreparedQuery(lambda prefix: ArticlePage.objects.filter(slug__startswith=prefix), kinds=(str,))
    with pytest.raises(ValueError, match="one whole parameter"):
        prepared.first((), ("ferry",))


def test_all_rows_come_in_the_querysets_order_with_an_integer_value(site):
    make_article(title="Ferry season ends", slug="ferry-season-ends")
    make_article(title="Bridge reopens", slug="bridge-reopens")
    prepared = PreparedQuery(lambda depth: ArticlePage.objects.filter(depth=depth).order_by("-title"), kinds=(int,))
    depth = ArticlePage.objects.get(slug="bridge-reopens").depth
    assert [a.slug for a in prepared.all((), (depth,))] == ["ferry-season-ends", "bridge-reopens"]
    assert prepared.all((), (depth + 5,)) == []


def test_each_call_reads_the_database_the_router_names_for_it(site, monkeypatch):
    from django.db import router
    from django.utils.connection import ConnectionDoesNotExist

    ferry = make_article(title="Ferry season ends", slug="ferry-season-ends")
    prepared = PreparedQuery(by_slug, kinds=(str, str))
    assert prepared.first((ferry.depth,), ("ferry-season-ends", "Ferry season ends")).pk == ferry.pk
    # A request the router sends elsewhere (a read replica) is not run where the SQL was compiled.
    monkeypatch.setattr(router, "db_for_read", lambda model, **hints: "replica")
    with pytest.raises(ConnectionDoesNotExist):
        prepared.first((ferry.depth,), ("ferry-season-ends", "Ferry season ends"))
    monkeypatch.undo()
    assert prepared.first((ferry.depth,), ("ferry-season-ends", "Ferry season ends")).pk == ferry.pk
