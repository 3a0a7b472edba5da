"""An editor gives a city its Russian name in the admin, and a Russian article naming the city in
another grammatical case gets it suggested in the page editor (a real browser)."""

import pytest
from django.urls import reverse

from gazette.cities.models import City
from tests.browser.conftest import screenshots
from tests.factories import CityFactory, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_russian_name_typed_in_the_admin_finds_the_city_in_russian_text(live_server, client, page, django_user_model):
    tomsk = CityFactory(name="Tomsk", slug="tomsk")
    CityFactory(name="Omsk", slug="omsk", name_ru="Омск")
    article = make_article(
        title="Первый снег",
        body=[("paragraph", "<p>Из Томска вечером ушёл последний паром; в Омске лёд ещё не встал.</p>")],
        publish=False,
    )
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(live_server.url + reverse("wagtailsnippets_cities_city:edit", args=(tomsk.pk,)))
    page.get_by_role("textbox", name="Russian name").fill("Томск")
    screenshots(page, "city-edit-russian-name")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").first.click()
    assert City.objects.get(pk=tomsk.pk).name_ru == "Томск"

    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    panel = page.locator("[data-city-suggestions]")
    panel.wait_for()
    names = panel.locator(".city-suggestion strong").all_inner_texts()
    assert sorted(names) == ["Omsk", "Tomsk"]
    panel.scroll_into_view_if_needed()
    screenshots(page, "city-suggestions-russian")
    assert page.dialogs == []
