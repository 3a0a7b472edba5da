"""The findings panel in a real browser: its buttons post through Wagtail's own admin JS."""

import pytest
from django.urls import reverse

from gazette.editorial.models import DismissedFinding
from gazette.editorial.services import proofread_page
from tests.factories import CityFactory, ContributorFactory, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fix_and_dismiss_from_the_editor(live_server, client, page, django_user_model):  # noqa: F811
    CityFactory(name="Barnaul", slug="barnaul")
    elena = ContributorFactory(name="Elena Kuznetsova", slug="elena-kuznetsova")
    article = make_article(
        authors=[elena],
        body=[("paragraph", "<p>The police reached Banraul in 1931. Stalinhad signed the order.</p>")],
        publish=False,
    )
    proofread_page(article)
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    edit_url = live_server.url + reverse("wagtailadmin_pages:edit", args=(article.pk,))
    page.goto(edit_url)
    panel = page.locator(".gazette-editorial")
    assert "'Banraul' is not a place in the gazetteer" in panel.inner_text()

    with page.expect_navigation():
        page.get_by_role("button", name="Replace with “Barnaul”").click()
    assert page.url == edit_url
    assert "Replaced 'Banraul' with 'Barnaul' in 1 place" in page.content()
    article.refresh_from_db()
    assert "reached Barnaul in 1931" in article.get_latest_revision_as_object().body[0].value.source
    assert "Banraul" not in page.locator(".gazette-editorial").inner_text()

    with page.expect_navigation():
        page.locator(".gazette-editorial__finding", has_text="Stalinhad").get_by_role("button", name="Dismiss").click()
    assert DismissedFinding.objects.filter(page=article, text="Stalinhad").exists()
    assert page.locator(".gazette-editorial").count() == 0  # nothing left: the panel is gone
    assert page.dialogs == []
