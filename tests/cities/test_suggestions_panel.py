"""When cities are looked for: once per version of an article's content, for the editor's panel.

The edit view renders the 'Suggested cities' frame; its content comes from the view the
editor's script fetches once the page has loaded (``_panel`` asks for it the same way).
"""

import pytest
from django.urls import reverse

from gazette.cities import services
from gazette.cities.models import CitySuggestion
from tests.factories import CityFactory, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(user)
    return user


@pytest.fixture
def cities(site):
    return {
        "omsk": CityFactory(name="Omsk", slug="omsk"),
        "tomsk": CityFactory(name="Tomsk", slug="tomsk"),
        "barnaul": CityFactory(name="Barnaul", slug="barnaul"),
    }


def _panel(client, page):
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    url = reverse("cities_admin:suggestions", args=(page.pk,))
    assert f'data-w-swap-src-value="{url}"' in html
    response = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    return response.content.decode()


def _new_draft(page, text, cities=None):
    draft = page.get_latest_revision_as_object()
    draft.body = [("paragraph", text)]
    if cities is not None:
        draft.cities = cities
    draft.save_revision()


def test_opening_an_article_searches_nothing_until_the_panel_asks(client, editor, cities):
    page = make_article(body=[("paragraph", "<p>The ferry from Omsk is late.</p>")])
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "Suggested cities" in html and "Add Omsk" not in html
    assert not CitySuggestion.objects.exists()

    html = _panel(client, page)
    assert "Add Omsk" in html and "Dismiss Omsk" in html
    assert [s.city.name for s in CitySuggestion.objects.pending()] == ["Omsk"]


def test_an_unchanged_version_is_searched_once(client, editor, cities, monkeypatch):
    page = make_article(body=[("paragraph", "<p>The ferry from Omsk is late.</p>")])
    _panel(client, page)
    searches = []
    monkeypatch.setattr(services, "update_suggestions", lambda *args: searches.append(args))
    html = _panel(client, page)
    page.get_latest_revision_as_object().save_revision()  # same content, new revision
    html_again = _panel(client, page)
    assert searches == []
    assert "Add Omsk" in html and "Add Omsk" in html_again


def test_a_changed_version_is_searched_again(client, editor, cities):
    page = make_article(body=[("paragraph", "<p>The ferry from Omsk is late.</p>")])
    assert "Add Omsk" in _panel(client, page)

    _new_draft(page, "<p>The ferry from Tomsk is late.</p>")
    html = _panel(client, page)
    assert "Add Tomsk" in html and "Omsk<" not in html and "Add Omsk" not in html

    # Tagging the article with the city (a new version) takes it off the list.
    _new_draft(page, "<p>The ferry from Tomsk is late.</p>", cities=[cities["tomsk"]])
    html = _panel(client, page)
    assert "Add Tomsk" not in html and "No suggestions" in html


def test_a_new_spelling_or_a_dismissal_is_seen_at_once(client, editor, cities):
    page = make_article(body=[("paragraph", "<p>Trains reached Barnaoul and Omsk.</p>")])
    html = _panel(client, page)
    assert "Add Omsk" in html and "Barnaul" not in html

    barnaul = cities["barnaul"]
    barnaul.alternate_names = "Barnaoul"
    barnaul.save()
    assert "Add Barnaul" in _panel(client, page)

    omsk = CitySuggestion.objects.get(page=page, city=cities["omsk"])
    client.post(reverse("cities_admin:suggestion_dismiss", args=(omsk.pk,)))
    html = _panel(client, page)
    assert "Add Omsk" not in html and "Add Barnaul" in html


def test_the_panel_needs_edit_permission_and_an_article(client, cities, site, django_user_model):
    page = make_article(body=[("paragraph", "<p>The ferry from Omsk is late.</p>")])
    client.force_login(django_user_model.objects.create_user("reader", "r@example.org", "pw"))
    response = client.get(reverse("cities_admin:suggestions", args=(page.pk,)))
    assert response.status_code in (302, 403) and "Omsk" not in response.content.decode()
    assert not CitySuggestion.objects.exists()

    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    assert client.get(reverse("cities_admin:suggestions", args=(site["privacy"].pk,))).status_code == 404


def test_an_editor_who_chose_russian_is_offered_the_citys_russian_name(client, editor, site):
    from wagtail.users.models import UserProfile

    CityFactory(name="Tomsk", name_ru="Томск", slug="tomsk")
    page = make_article(body=[("paragraph", "<p>The ferry from Tomsk is late.</p>")])
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "ru"
    profile.save()
    html = _panel(client, page)
    assert "<strong>Томск</strong>" in html and "<strong>Tomsk</strong>" not in html
