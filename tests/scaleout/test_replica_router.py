"""The read-replica router: only anonymous page views read from the replica."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from gazette.core import db_routers
from gazette.core.db_routers import ReplicaMiddleware, ReplicaRouter


@pytest.fixture(autouse=True)
def _replica_configured(monkeypatch):
    monkeypatch.setattr(db_routers, "settings", SimpleNamespace(DATABASES={"default": {}, "replica": {}}))


def _read_db(request) -> str:
    seen = []

    def view(req):
        seen.append(ReplicaRouter().db_for_read(None))
        return None

    ReplicaMiddleware(view)(request)
    return seen[0]


def _request(method="get", path="/news/story/", cookies=None, user=None):
    request = getattr(RequestFactory(), method)(path)
    request.COOKIES.update(cookies or {})
    request.user = user or AnonymousUser()
    return request


def test_anonymous_page_views_read_from_the_replica():
    assert _read_db(_request()) == "replica"
    assert _read_db(_request("head")) == "replica"


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "post"},
        {"path": "/admin/pages/"},
        {"path": "/comments/3/form/"},
        {"cookies": {"sessionid": "x"}, "user": SimpleNamespace(is_authenticated=True)},
    ],
    ids=["post", "admin", "comment-form", "signed-in"],
)
def test_everything_else_reads_the_primary(request_kwargs):
    assert _read_db(_request(**request_kwargs)) == "default"


def test_outside_requests_and_all_writes_use_the_primary():
    router = ReplicaRouter()
    assert router.db_for_read(None) == "default"  # worker, scheduler, commands
    with db_routers.reading_from_replica():
        assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "articles") is False
