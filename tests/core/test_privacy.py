"""Gazette's test for public pages agrees with Wagtail's ``public()`` on every page."""

import pytest
from wagtail.models import Page, PageViewRestriction

from gazette.core.privacy import public
from tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rendition_warming")]


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_public_pages_are_wagtails_public_pages(site):
    articles = [make_article(title=f"Story {n}") for n in range(3)]
    everything = Page.objects.all()
    assert ids(public(everything)) == ids(everything.public()) == ids(everything)

    PageViewRestriction.objects.create(page=articles[1], restriction_type=PageViewRestriction.LOGIN)
    assert ids(public(everything)) == ids(everything.public()) == ids(everything) - {articles[1].pk}

    # A private section hides everything below it, itself included; its neighbours stay public.
    PageViewRestriction.objects.create(page=site["news"], restriction_type=PageViewRestriction.PASSWORD, password="x")
    hidden = {site["news"].pk, *(a.pk for a in articles)}
    assert ids(public(everything)) == ids(everything.public()) == ids(everything) - hidden
    assert site["privacy"].pk in ids(public(everything))
