"""The findings panel in a real browser: filled in once the editor has loaded, its buttons posting
through Wagtail's own admin JS."""

import pytest
from django.urls import reverse

from gazette.editorial.models import ArticleFinding, DismissedFinding
from tests.browser.conftest import screenshots
from tests.factories import CityFactory, ContributorFactory, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fix_and_dismiss_from_the_editor(live_server, client, page, django_user_model):
    CityFactory(name="Barnaul", slug="barnaul")
    elena = ContributorFactory(name="Elena Kuznetsova", slug="elena-kuznetsova")
    article = make_article(
        authors=[elena],
        body=[("paragraph", "<p>The police reached Banraul in 1931. Stalinhad signed the order.</p>")],
        publish=False,
    )
    assert not ArticleFinding.objects.exists()  # nothing checked it yet: the panel will
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    edit_url = live_server.url + reverse("wagtailadmin_pages:edit", args=(article.pk,))
    page.goto(edit_url)
    panel = page.locator(".gazette-editorial")
    panel.wait_for()
    assert "'Banraul' is not a place in the gazetteer" in panel.inner_text()
    panel.scroll_into_view_if_needed()
    screenshots(page, "editorial-findings-panel")

    with page.expect_navigation():
        page.get_by_role("button", name="Replace with “Barnaul”").click()
    assert page.url == edit_url
    assert "Replaced 'Banraul' with 'Barnaul' in 1 place" in page.content()
    article.refresh_from_db()
    assert "reached Barnaul in 1931" in article.get_latest_revision_as_object().body[0].value.source
    page.locator(".gazette-editorial__finding", has_text="Stalinhad").wait_for()
    assert "Banraul" not in page.locator(".gazette-editorial").inner_text()

    with page.expect_navigation():
        page.locator(".gazette-editorial__finding", has_text="Stalinhad").get_by_role("button", name="Dismiss").click()
    assert DismissedFinding.objects.filter(page=article, text="Stalinhad").exists()
    nothing = page.get_by_text("The checks found nothing to look at in the last saved version.")
    nothing.wait_for()
    assert page.locator(".gazette-editorial__finding").count() == 0
    screenshots(page, "editorial-findings-panel-empty")
    assert page.dialogs == []


def test_a_misspelt_russian_city_is_fixed_in_its_case_from_the_editor(live_server, client, page, django_user_model):
    CityFactory(name="Novosibirsk", slug="novosibirsk", name_ru="Новосибирск")
    article = make_article(
        title="Первый снег",
        body=[("paragraph", "<p>Первый снег выпал в Новосибрске ночью, а из Томска пришли морозы.</p>")],
        publish=False,
    )
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    edit_url = live_server.url + reverse("wagtailadmin_pages:edit", args=(article.pk,))
    page.goto(edit_url)
    panel = page.locator(".gazette-editorial")
    panel.wait_for()
    assert "'Новосибрске' is not a place in the gazetteer" in panel.inner_text()
    assert "Томска" not in panel.inner_text()
    panel.scroll_into_view_if_needed()
    screenshots(page, "editorial-findings-panel-russian")

    with page.expect_navigation():
        page.get_by_role("button", name="Replace with “Новосибирске”").click()
    article.refresh_from_db()
    assert "выпал в Новосибирске ночью" in article.get_latest_revision_as_object().body[0].value.source
    page.get_by_text("The checks found nothing to look at in the last saved version.").wait_for()
    assert page.dialogs == []
