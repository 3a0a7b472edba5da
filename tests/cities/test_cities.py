"""City editions: gazetteer seeding, the selector and its cookie, fronts, suggestions, admin, caching."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from gazette.cities.models import City, CitySuggestion
from gazette.cities.services import english_spellings, find_cities, seed_cities, update_suggestions
from gazette.core.invalidation import tags_purged
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SIBERIA_TEXT = (
    "Trains from Novosibirsk reached Barnaul and Rubtsovsk on time, "
    "while the line to Omsk and Krasnoyarsk was closed by snow."
)


@pytest.fixture
def cities(site):
    seed_cities()
    return {c.slug: c for c in City.objects.all()}


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")


@pytest.fixture
def purged():
    """The cache tags purged during a test (after each commit, as the caches receive them)."""
    tags = set()

    def receiver(sender, tags: frozenset, **kwargs):
        received.update(tags)

    received = tags
    tags_purged.connect(receiver, dispatch_uid="test_cities_purged")
    yield tags
    tags_purged.disconnect(dispatch_uid="test_cities_purged")


# Gazetteer ----------------------------------------------------------------------------------


def test_seed_keeps_english_spellings_and_drops_other_languages(cities):
    khanty = cities["khanty-mansiysk"]
    assert khanty.geonames_id == 1503772 and khanty.region == "Khanty-Mansi Autonomous Okrug"
    assert {"Khanty-Mansyisk", "Khanty-Mansijsk", "Khanty-Mansiisk"} <= set(khanty.spellings)
    assert "Krasnojarsk" in cities["krasnoyarsk"].spellings
    assert "Novonikolayevsk" in cities["novosibirsk"].spellings
    everything = {s for c in cities.values() for s in c.spellings}
    for noise in ("Omszk", "OMS", "Omskas", "Nowosibirsk", "tomusuku", "Tomium", "Krasnojar", "Barnauł"):
        assert noise not in everything
    assert float(cities["omsk"].latitude) == pytest.approx(54.99, abs=0.05)
    assert cities["omsk"].population > 1_000_000


def test_english_spellings_filter():
    assert english_spellings("Rubtsovsk", ["Rubcovsk", "Rubzowsk", "Roubtsovsk", "RUB", "lu bu zuo fu si ke"]) == [
        "Rubcovsk"
    ]


def test_seeding_again_keeps_editors_changes(cities):
    omsk = cities["omsk"]
    omsk.name, omsk.sort_order, omsk.is_active, omsk.alternate_names = "Omsk City", 1, False, "Omsk-on-Irtysh"
    omsk.save()
    count = City.objects.count()
    assert seed_cities() == (0, 0)
    omsk.refresh_from_db()
    assert (omsk.name, omsk.sort_order, omsk.is_active, omsk.alternate_names) == (
        "Omsk City",
        1,
        False,
        "Omsk-on-Irtysh",
    )
    assert City.objects.count() == count


# Finding cities in a text ---------------------------------------------------------------------


def test_finds_each_named_city_and_no_omsk_inside_tomsk(cities):
    names = [c.name for c in find_cities(SIBERIA_TEXT)]
    assert names == ["Novosibirsk", "Barnaul", "Rubtsovsk", "Omsk", "Krasnoyarsk"]
    assert [c.name for c in find_cities("Students in Tomsk and Tomsk-7 protested.")] == ["Tomsk"]
    assert find_cities("Tomskiy and Omskaya oblast officials") == []


def test_finds_older_and_hyphenated_spellings(cities):
    assert [c.name for c in find_cities("The oil town of Khanty-Mansyisk grew fast.")] == ["Khanty-Mansiysk"]
    assert [c.name for c in find_cities("<p>In Khanty Mansiysk and old Novonikolayevsk</p>")] == [
        "Novosibirsk",
        "Khanty-Mansiysk",
    ]


# Suggestions in the editor ------------------------------------------------------------------


def _edit_post(page, title, standfirst, body_html, cities=()):
    data = nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "standfirst": standfirst,
            "lead_caption": "",
            "lead_credit": "",
            "body": streamfield([("paragraph", rich_text(body_html))]),
            "bylines": inline_formset([{"contributor": c.pk} for c in page.contributors], min=1),
            "comment_settings": inline_formset([]),
            "comment_notifications": "",
        }
    )
    data["cities"] = [c.pk for c in cities]
    data["action-save"] = "1"
    return data


def test_saving_an_article_offers_the_cities_it_names(client, editor, cities):
    page = make_article(title="Snow closes lines", cities=[cities["novosibirsk"]])
    client.force_login(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(
        edit_url,
        _edit_post(
            page, "Snow closes lines in Tomsk", "Barnaul waits.", f"<p>{SIBERIA_TEXT}</p>", [cities["novosibirsk"]]
        ),
    )
    assert response.status_code == 302
    html = client.get(edit_url).content.decode()
    assert "Suggested cities" in html
    # The editor's script fills the panel in once the editor has loaded.
    panel_url = reverse("cities_admin:suggestions", args=[page.pk])
    assert f'data-w-swap-src-value="{panel_url}"' in html
    html = client.get(panel_url).content.decode()
    pending = [s.city.name for s in CitySuggestion.objects.pending().filter(page=page)]
    assert pending == ["Barnaul", "Rubtsovsk", "Omsk", "Krasnoyarsk", "Tomsk"]  # Novosibirsk is tagged already
    page.refresh_from_db()
    assert [c.name for c in page.cities.all()] == ["Novosibirsk"]  # nothing tagged silently
    for name in ("Barnaul", "Rubtsovsk", "Omsk", "Krasnoyarsk", "Tomsk"):
        assert f"Add {name}" in html and f"Dismiss {name}" in html

    omsk = CitySuggestion.objects.get(page=page, city=cities["omsk"])
    accept_url = reverse("cities_admin:suggestion_accept", args=[omsk.pk])
    assert "Add <strong>Omsk</strong>" in client.get(accept_url).content.decode()
    response = client.post(accept_url)
    assert response.status_code == 302 and response["Location"] == edit_url
    page.refresh_from_db()
    latest = page.get_latest_revision_as_object()
    assert sorted(c.name for c in latest.cities.all()) == ["Novosibirsk", "Omsk"]
    assert latest.title == "Snow closes lines in Tomsk"  # the editor's draft is kept

    tomsk = CitySuggestion.objects.get(page=page, city=cities["tomsk"])
    response = client.post(reverse("cities_admin:suggestion_dismiss", args=[tomsk.pk]))
    assert response.status_code == 302

    # Saving again does not bring back the dismissed or accepted cities.
    page.refresh_from_db()
    update_suggestions(page.get_latest_revision_as_object())
    pending = [s.city.name for s in CitySuggestion.objects.pending().filter(page=page)]
    assert pending == ["Barnaul", "Rubtsovsk", "Krasnoyarsk"]
    html = client.get(panel_url).content.decode()
    assert "Dismiss Barnaul" in html and "Dismiss Tomsk" not in html and "Dismiss Omsk" not in html


def test_suggestion_views_need_edit_permission(client, django_user_model, cities):
    page = make_article(title="Omsk story")
    suggestion = update_suggestions(page)[0]
    reader = django_user_model.objects.create_user("reader", "r@example.org", "pw")
    client.force_login(reader)
    response = client.post(reverse("cities_admin:suggestion_accept", args=[suggestion.pk]))
    assert response.status_code in (302, 403)
    assert CitySuggestion.objects.get(pk=suggestion.pk).status == CitySuggestion.Status.PENDING


# City admin ---------------------------------------------------------------------------------


def test_editor_renames_reorders_and_hides_a_city_in_the_admin(
    client, editor, cities, purged, django_capture_on_commit_callbacks
):
    omsk = cities["omsk"]
    client.force_login(editor)
    index = client.get(reverse("wagtailsnippets_cities_city:list"))
    assert index.status_code == 200 and "Krasnoyarsk" in index.content.decode()
    url = reverse("wagtailsnippets_cities_city:edit", args=[omsk.pk])
    assert client.get(url).status_code == 200
    data = {
        "name": "Omsk-on-Irtysh",
        "slug": "omsk",
        "region": "Omsk Oblast",
        "sort_order": "5",
        "alternate_names": omsk.alternate_names,
        "latitude": str(omsk.latitude),
        "longitude": str(omsk.longitude),
        "population": str(omsk.population),
        "geonames_id": str(omsk.geonames_id),
    }  # is_active left unticked: hidden
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    omsk.refresh_from_db()
    assert (omsk.name, omsk.sort_order, omsk.is_active) == ("Omsk-on-Irtysh", 5, False)
    assert {"cities", "front", "city:omsk"} <= purged
    # A hidden city leaves the selector and its front page.
    assert "?city=omsk" not in client.get("/").content.decode()
    assert client.get("/city/omsk/").status_code == 404


def test_editor_adds_a_city(client, editor, cities):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_cities_city:add"),
        {"name": "Berdsk", "slug": "berdsk", "region": "Novosibirsk Oblast", "sort_order": "15", "is_active": "on"},
    )
    assert response.status_code == 302
    assert City.objects.get(slug="berdsk").is_active
    assert 'href="/edition/?city=berdsk"' in client.get("/").content.decode()


# Selector, cookie and front pages -----------------------------------------------------------


@pytest.fixture
def stories(cities):
    omsk, tomsk = cities["omsk"], cities["tomsk"]
    return {
        "omsk_old": make_article(title="Omsk ferry", cities=[omsk], published=datetime(2024, 1, 1, tzinfo=UTC)),
        "both": make_article(
            title="Omsk and Tomsk share a bridge", cities=[omsk, tomsk], published=datetime(2024, 1, 2, tzinfo=UTC)
        ),
        "regional": make_article(title="Regional budget passes", published=datetime(2024, 1, 3, tzinfo=UTC)),
        "tomsk": make_article(title="Tomsk students", cities=[tomsk], published=datetime(2024, 1, 4, tzinfo=UTC)),
    }


def _headlines(response) -> list[str]:
    import re

    return re.findall(r'class="card__headline"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_front_page_without_a_cookie_is_all_cities(client, stories):
    response = client.get("/")
    html = response.content.decode()
    assert "<strong>All Cities</strong>" in html
    assert "Choose Your City" in html and 'href="/edition/?city=omsk"' in html
    assert _headlines(response) == [
        "Tomsk students",
        "Regional budget passes",
        "Omsk and Tomsk share a bridge",
        "Omsk ferry",
    ]
    assert "X-Gazette-Edition" in response["Vary"]


def test_choosing_a_city_sets_the_cookie_and_leads_with_its_stories(client, stories):
    response = client.get("/edition/", {"city": "omsk"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["gazette_edition"].value == "omsk"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]

    response = client.get("/")
    html = response.content.decode()
    assert "<strong>Omsk</strong> edition" in html
    assert _headlines(response) == [
        "Omsk and Tomsk share a bridge",
        "Omsk ferry",
        "Tomsk students",
        "Regional budget passes",
    ]
    assert html.index('id="edition-lead-heading"') < html.index("From elsewhere")
    assert "X-Gazette-Edition" in response["Vary"]

    response = client.get("/edition/", {"city": ""})
    assert response.cookies["gazette_edition"].value == "" and response.cookies["gazette_edition"]["max-age"] == 0
    assert _headlines(client.get("/"))[0] == "Tomsk students"


def test_unknown_or_hidden_city_cookie_means_all_cities(client, stories, cities):
    client.cookies["gazette_edition"] = "atlantis"
    response = client.get("/")
    assert response.wsgi_request.META["HTTP_X_GAZETTE_EDITION"] == ""
    assert "<strong>All Cities</strong>" in response.content.decode()
    assert client.get("/edition/", {"city": "atlantis"}).cookies["gazette_edition"].value == ""


def test_edition_chooser_only_redirects_to_this_site(client, cities):
    assert client.get("/edition/", {"city": "omsk", "next": "https://evil.example/"})["Location"] == "/"
    assert client.get("/edition/", {"city": "omsk", "next": "/cities/"})["Location"] == "/cities/"


def test_article_in_two_editions_appears_in_both_with_one_url(client, stories):
    url = stories["both"].url
    for slug in ("omsk", "tomsk"):
        html = client.get(f"/city/{slug}/").content.decode()
        assert f'href="{url}"' in html
    assert client.get(url).status_code == 200


def test_city_front_lists_its_stories_paginated_and_says_which_edition(client, cities):
    barnaul = cities["barnaul"]
    for day in range(1, 13):
        make_article(title=f"Barnaul story {day}", cities=[barnaul], published=datetime(2024, 3, day, tzinfo=UTC))
    make_article(title="Elsewhere story", published=datetime(2024, 3, 20, tzinfo=UTC))
    response = client.get("/city/barnaul/")
    html = response.content.decode()
    assert "<h1>Barnaul</h1>" in html and "<strong>Barnaul</strong> edition" in html
    assert _headlines(response)[0] == "Barnaul story 12" and "Elsewhere story" not in html
    assert len(_headlines(response)) == 10 and "Page 1<" in html and 'rel="next" href="?page=2"' in html
    assert _headlines(client.get("/city/barnaul/?page=2")) == ["Barnaul story 2", "Barnaul story 1"]
    assert 'href="/city/barnaul/feed/rss/"' in html and 'type="application/atom+xml"' in html
    assert client.get("/city/nowhere/").status_code == 404


def test_editions_overview_shows_counts_and_latest_story(client, stories):
    response = client.get("/cities/")
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>City editions</h1>" in html
    omsk_tile = html[html.index('href="/city/omsk/"') : html.index('href="/city/krasnoyarsk/"')]
    assert "2 stories" in omsk_tile and "Omsk and Tomsk share a bridge" in omsk_tile
    tomsk_tile = html[html.index('href="/city/tomsk/"') :]
    assert "2 stories" in tomsk_tile and "Latest: <a" in tomsk_tile and "Tomsk students" in tomsk_tile
    barnaul_tile = html[html.index('href="/city/barnaul/"') : html.index('href="/city/rubtsovsk/"')]
    assert "0 stories" in barnaul_tile and "No stories yet." in barnaul_tile


# Caching headers per page type ----------------------------------------------------------------


def test_only_the_front_page_varies_on_the_edition(client, stories):
    front = client.get("/")
    assert "X-Gazette-Edition" in front["Vary"]
    client.cookies["gazette_edition"] = "omsk"
    for url in (stories["both"].url, "/city/omsk/", "/cities/", "/feed/rss/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Gazette-Edition" not in response.get("Vary", ""), url
    # An article page never prints the reader's edition: it is one copy for everyone.
    assert "<strong>Omsk</strong> edition" not in client.get(stories["both"].url).content.decode()


def test_front_page_carries_edition_cache_tags(client, stories):
    client.cookies["gazette_edition"] = "tomsk"
    response = client.get("/")
    assert {"front", "cities", "city:tomsk"} <= response.wsgi_request.cache_tags
    # Every page with the masthead lists the cities, so a city edit purges it too.
    assert "cities" in client.get(stories["both"].url).wsgi_request.cache_tags


def test_later_pages_of_an_edition_front_skip_the_lead(client, cities):
    omsk = cities["omsk"]
    make_article(title="Omsk lead story", cities=[omsk], published=datetime(2024, 5, 1, tzinfo=UTC))
    for day in range(1, 12):
        make_article(title=f"Elsewhere {day}", lead_image=None, published=datetime(2024, 4, day, tzinfo=UTC))
    client.cookies["gazette_edition"] = "omsk"
    first = client.get("/")
    assert _headlines(first)[0] == "Omsk lead story" and len(_headlines(first)) == 11
    second = client.get("/?page=2")
    html = second.content.decode()
    assert _headlines(second) == ["Elsewhere 1"] and 'id="edition-lead-heading"' not in html


def test_valid_cookie_becomes_the_edition_header(client, cities):
    client.cookies["gazette_edition"] = "omsk"
    request = client.get("/").wsgi_request
    assert request.META["HTTP_X_GAZETTE_EDITION"] == "omsk" and request.edition.name == "Omsk"


# Commands -----------------------------------------------------------------------------------


def test_seed_cities_command_dry_run_writes_nothing(site):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("seed_cities", "--dry-run", stdout=out)
    assert "Would create 11 cities" in out.getvalue() and City.objects.count() == 0
    call_command("seed_cities", stdout=out)
    assert City.objects.filter(slug="khanty-mansiysk").exists()


def test_suggest_cities_command_offers_cities_for_existing_articles(cities):
    from io import StringIO

    from django.core.management import call_command

    make_article(title="Barnaul and Khanty-Mansyisk sign a deal")
    out = StringIO()
    call_command("suggest_cities", "--dry-run", stdout=out)
    assert "Barnaul, Khanty-Mansiysk" in out.getvalue() and not CitySuggestion.objects.exists()
    call_command("suggest_cities", stdout=out)
    assert sorted(s.city.name for s in CitySuggestion.objects.pending()) == ["Barnaul", "Khanty-Mansiysk"]


def test_a_page_cache_keeps_one_front_page_per_edition_and_one_article_for_all(
    client, stories, settings, django_assert_num_queries
):
    """The page cache keys on the Vary headers a response declares (X-Gazette-Edition).

    Two readers with different cities never get each other's front page; an article page is
    cached once, whatever the reader's city.
    """
    settings.GAZETTE_PAGE_CACHE = True
    settings.GAZETTE_FRAGMENT_CACHE = True
    leads = {}
    for edition in ("omsk", "tomsk", ""):
        client.cookies["gazette_edition"] = edition
        leads[edition] = _headlines(client.get("/"))[0]
    assert leads == {"omsk": "Omsk and Tomsk share a bridge", "tomsk": "Tomsk students", "": "Tomsk students"}
    for edition in ("omsk", "tomsk", ""):
        client.cookies["gazette_edition"] = edition
        with django_assert_num_queries(0):  # served from the cache, each edition its own copy
            response = client.get("/")
        assert _headlines(response)[0] == leads[edition]
        assert ("<strong>Omsk</strong> edition" in response.content.decode()) == (edition == "omsk")

    url = stories["both"].url
    client.cookies["gazette_edition"] = "omsk"
    client.get(url)
    client.cookies["gazette_edition"] = "tomsk"
    with django_assert_num_queries(0):  # the Omsk reader's copy serves the Tomsk reader too
        assert client.get(url).status_code == 200
