"""The article editor's queries do not grow with authors, pictures or reader comments.

An article with one of each is opened beside one with five of each (the pictures as single
figures, in a group and as documents); both must make the same number of queries. The editor's
panels (findings, suggested cities) load after the form, so their own views are counted the
same way.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gazette.comments.models import ReaderComment
from tests.factories import ContributorFactory, ImageFactory, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(user)
    return user


def _article(count: int):
    images = [ImageFactory() for _ in range(count)]
    body = [("paragraph", "<p>The ice road closed early this year.</p>")]
    body += [("image", {"image": image, "caption": "", "credit": ""}) for image in images]
    body += [("image_group", {"images": [*images, ImageFactory()], "caption": "Two views.", "credit": ""})]
    body += [
        ("document", {"image": image, "title": "", "transcription": "<p>Order 7.</p>", "caption": "", "credit": ""})
        for image in images
    ]
    page = make_article(authors=[ContributorFactory() for _ in range(count)], body=body)
    ReaderComment.objects.bulk_create(
        ReaderComment(article=page, author_name=f"Reader {n}", body="Well said.", status="published")
        for n in range(count)
    )
    return page


def _queries(client, url: str) -> int:
    client.get(url)  # what a first request makes once (thumbnails, the editing session)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_opening_the_editor(client, editor, django_assert_max_num_queries):
    one, five = _article(1), _article(5)
    baseline = _queries(client, reverse("wagtailadmin_pages:edit", args=(one.pk,)))
    url = reverse("wagtailadmin_pages:edit", args=(five.pk,))
    client.get(url)  # the first opening makes each picture's chooser thumbnail, once
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    for contributor in five.contributors:
        assert contributor.name in html  # every author is shown in the byline
    assert html.count('data-w-swap-src-value="') >= 2  # the panels' frames, filled in after the form


@pytest.mark.parametrize("view", ["gazette_editorial:findings", "cities_admin:suggestions"])
def test_the_panels_loaded_after_the_form(client, editor, view):
    one, five = _article(1), _article(5)
    assert _queries(client, reverse(view, args=(five.pk,))) == _queries(client, reverse(view, args=(one.pk,)))
