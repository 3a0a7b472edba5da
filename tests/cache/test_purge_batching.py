"""Purges coalesce per transaction: one ``tags_purged`` per commit, nothing from a rollback.

Tests marked ``transaction=True`` run with real commits and rollbacks; the others run inside
pytest-django's test transaction, where Django's ``captureOnCommitCallbacks`` stands for the
commit.
"""

import pytest
from django.db import transaction
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text

from gazette.core import tags
from gazette.core.invalidation import purge_tags, tags_purged
from gazette.home.models import StandardPage
from tests.factories import CityFactory, ContributorFactory, make_article


@pytest.fixture
def sent():
    """Every ``tags_purged`` signal, in order (one frozenset each)."""
    signals: list[frozenset[str]] = []

    def receiver(sender, **kwargs):
        signals.append(kwargs["tags"])

    tags_purged.connect(receiver, dispatch_uid="tests_purge_batching")
    yield signals
    tags_purged.disconnect(dispatch_uid="tests_purge_batching")


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_purge_goes_out_at_once(sent):
    purge_tags({tags.front()})
    assert sent == [frozenset({"front"})]


@pytest.mark.django_db(transaction=True)
def test_a_transaction_sends_its_purges_once_when_it_commits(sent):
    with transaction.atomic():
        purge_tags({tags.front(), tags.feeds()})
        purge_tags({tags.article(7)})
        with transaction.atomic():
            purge_tags({tags.city("omsk"), tags.front()})
        assert sent == []
    assert sent == [frozenset({"front", "feeds", "article:7", "city:omsk"})]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_purges_nothing_and_leaks_nothing(sent):
    with pytest.raises(RuntimeError), transaction.atomic():
        purge_tags({tags.article(1)})
        raise RuntimeError("the editor's save failed")
    assert sent == []
    with transaction.atomic():
        purge_tags({tags.article(2)})
    assert sent == [frozenset({"article:2"})]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_drops_its_own_purges(sent):
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            purge_tags({tags.article(1)})
            raise RuntimeError("one row refused")
        purge_tags({tags.article(2)})
    assert sent == [frozenset({"article:2"})]


@pytest.mark.django_db
def test_callbacks_captured_in_a_test_send_only_the_purges_made_inside(sent, django_capture_on_commit_callbacks):
    purge_tags({tags.rates()})  # before the capture: the test's own transaction holds it
    with django_capture_on_commit_callbacks(execute=True):
        purge_tags({tags.front()})
        purge_tags({tags.sitemaps()})
    assert sent == [frozenset({"front", "sitemaps"})]
    with django_capture_on_commit_callbacks(execute=True):
        purge_tags({tags.feeds()})
    assert sent[1:] == [frozenset({"feeds"})]


@pytest.mark.django_db
def test_publishing_an_article_purges_once(sent, django_capture_on_commit_callbacks):
    """Core, articles and seo each purge on a publish; the caches are told once."""
    omsk = CityFactory(name="Omsk")
    anna = ContributorFactory(name="Anna Petrova")
    page = make_article(title="Bridge repairs", cities=[omsk], authors=[anna], lead_image=False)
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert len(sent) == 1
    assert {
        tags.page(page.pk),
        tags.article(page.pk),
        tags.front(),
        tags.feeds(),
        tags.sitemaps(),
        tags.city("omsk"),
        tags.contributor(anna.pk),
    } <= sent[0]


@pytest.mark.django_db(transaction=True)
def test_publishing_in_the_admin_purges_once_when_the_post_commits(client, django_user_model, sent, site):
    """Wagtail's publish is not one transaction of its own: core and seo each purge on it. The
    admin's post is one, so the caches are told once, after it has committed."""
    editor = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(editor)
    sent.clear()
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("home", "standardpage", site["home"].pk)),
        {
            **nested_form_data({"title": "About us", "slug": "about", "body": rich_text("<p>Us.</p>")}),
            "action-publish": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    page = StandardPage.objects.get(slug="about")
    assert page.live
    assert sent == [frozenset({tags.page(page.pk), tags.sitemaps()})]
