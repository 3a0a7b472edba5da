"""Site-wide data kept in process memory without the fragment cache: each change shows on the
next request, in this process or (through the token) in any other, and nothing is read twice."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from gazette.articles.models import ArticleIndexPage
from gazette.cities.models import City
from gazette.comments.models import CommentSettings
from gazette.core import sitewide
from gazette.core.models import MastheadSettings, SiteWideVersion
from gazette.rates.models import RatesSettings
from tests.core.served import page, queries
from tests.factories import CityFactory, make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rendition_warming")]


@pytest.fixture
def article(site):
    return make_article(title="Ferry season ends", slug="ferry-season-ends")


def another_process_changed_it():
    """What another process's change does here: a new token, with no signal in this process."""
    SiteWideVersion.objects.filter(pk=1).update(token="changed-in-another-process")


def test_site_wide_rows_are_read_once_then_only_the_token(client, article):
    CityFactory(name="Kolyvan", slug="kolyvan")
    page(client, article.url)
    sql = queries(client, article.url)
    assert sum("core_sitewideversion" in q for q in sql) == 1
    for table in (
        "wagtailcore_site",
        "core_mastheadsettings",
        "rates_ratessettings",
        "comments_commentsettings",
        "wagtailcore_pageviewrestriction",
    ):
        assert not any(f'FROM "{table}"' in q for q in sql), table
    assert not any('"cities_city"."is_active"' in q.partition("WHERE")[2] for q in sql)
    assert "Kolyvan" in page(client, article.url)


def test_a_city_added_renamed_or_hidden_shows_on_the_next_request(client, article):
    page(client, article.url)
    city = CityFactory(name="Kolyvan", slug="kolyvan")
    assert "Kolyvan" in page(client, article.url)
    city.name = "Kolyvan-on-Ob"
    city.save()
    assert "Kolyvan-on-Ob" in page(client, article.url)
    city.is_active = False
    city.save()
    assert "Kolyvan-on-Ob" not in page(client, article.url)


def test_the_masthead_teaser_shows_on_the_next_request_and_goes_with_its_article(client, article, site):
    teaser = make_article(title="Bridge opens", slug="bridge-opens")
    page(client, article.url)
    masthead = MastheadSettings.for_site(Site.objects.get(is_default_site=True))
    masthead.teaser_quote = "The bridge is ours"
    masthead.teaser_article = teaser
    masthead.save()
    assert "The bridge is ours" in page(client, article.url)
    teaser.unpublish()
    assert "The bridge is ours" not in page(client, article.url)


def test_the_site_name_shows_on_the_next_request(client, article):
    page(client, article.url)
    wagtail_site = Site.objects.get(is_default_site=True)
    wagtail_site.site_name = "The Kolyvan Courier"
    wagtail_site.save()
    assert "The Kolyvan Courier" in page(client, article.url)


def test_the_rates_currencies_and_comment_rules_show_on_the_next_request(client, site):
    article = make_article(title="Old news", slug="old-news", published=timezone.now() - timedelta(days=10))
    page(client, article.url)
    wagtail_site = Site.objects.get(is_default_site=True)
    rates = RatesSettings.for_site(wagtail_site)
    rates.currencies = "GBP"
    rates.save()
    comments = CommentSettings.for_site(wagtail_site)
    comments.close_after_days = 1
    comments.save()
    sql = queries(client, article.url)
    assert any('FROM "rates_ratessettings"' in q for q in sql)
    assert any('FROM "comments_commentsettings"' in q for q in sql)
    html = page(client, article.url)
    assert "Comments close 1 day after an article is published." in html
    assert not any('FROM "rates_ratessettings"' in q for q in queries(client, article.url))
    assert sitewide.memoised(f"rates-currencies:{wagtail_site.pk}", list) == ("GBP",)


def test_a_change_in_another_process_shows_once_the_token_changes(client, article):
    CityFactory(name="Kolyvan", slug="kolyvan")
    assert "Kolyvan" in page(client, article.url)
    # Another process renames the city: its rows change, and so does the token, with them.
    City.objects.filter(slug="kolyvan").update(name="Berdsk")
    assert "Kolyvan" in page(client, article.url)  # this process still holds what it read
    another_process_changed_it()
    html = page(client, article.url)
    assert "Berdsk" in html and "Kolyvan" not in html


def test_a_rolled_back_change_leaves_the_memo_as_the_database_is(client, article):
    page(client, article.url)
    with pytest.raises(RuntimeError), transaction.atomic():
        CityFactory(name="Kolyvan", slug="kolyvan")
        assert "Kolyvan" in page(client, article.url)
        raise RuntimeError("rolled back")
    assert "Kolyvan" not in page(client, article.url)


def test_a_lost_token_row_is_made_again(client, article):
    page(client, article.url)
    SiteWideVersion.objects.all().delete()
    CityFactory(name="Kolyvan", slug="kolyvan")
    assert "Kolyvan" in page(client, article.url)
    assert SiteWideVersion.objects.count() == 1


def test_each_request_gets_its_own_copy_of_the_settings(client, article):
    page(client, article.url)
    first = sitewide.memoised_copy("test-copy", lambda: MastheadSettings.for_site(Site.objects.get()))
    first.teaser_quote = "Changed on one request's copy"
    second = sitewide.memoised_copy("test-copy", lambda: pytest.fail("read again under the same token"))
    assert second.teaser_quote == ""


def test_a_view_restriction_added_or_removed_applies_on_the_next_request(client, article, site):
    assert client.get(article.url).status_code == 200
    restriction = PageViewRestriction.objects.create(page=site["news"], restriction_type=PageViewRestriction.LOGIN)
    response = client.get(article.url)
    assert response.status_code == 302 and "login" in response["Location"]
    restriction.delete()
    assert client.get(article.url).status_code == 200
    groups = PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.GROUPS)
    groups.groups.set([Group.objects.create(name="Subscribers")])
    assert client.get(article.url).status_code == 302


def test_a_restricted_section_stays_restricted_where_it_is_moved(client, site):
    members = site["home"].add_child(instance=ArticleIndexPage(title="Members", slug="members"))
    members.save_revision().publish()
    archive = site["home"].add_child(instance=ArticleIndexPage(title="Archive", slug="archive"))
    archive.save_revision().publish()
    article = make_article(title="Ferry season ends", slug="ferry-season-ends")
    article.move(members, pos="last-child")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    article.refresh_from_db()
    assert client.get(article.url).status_code == 302  # the restricted paths are memoised now
    members.refresh_from_db()
    members.move(archive, pos="last-child")
    article.refresh_from_db()
    assert article.url == "/archive/members/ferry-season-ends/"
    assert client.get(article.url).status_code == 302


def test_an_alias_of_a_restricted_article_is_restricted(client, article, site):
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(article.url).status_code == 302
    assert client.get("/").status_code == 200  # the guarded paths are memoised now
    alias = article.create_alias(parent=site["home"], update_slug="ferry-alias")
    assert client.get(alias.url).status_code == 302


def test_the_memo_holds_a_bounded_number_of_entries(monkeypatch, site):
    monkeypatch.setattr(sitewide, "MAX_ENTRIES", 2)
    sitewide.forget()
    built = []
    for name in ("one", "two", "three", "three"):
        sitewide.memoised(name, lambda name=name: built.append(name) or name)
    assert built == ["one", "two", "three", "three"]
    assert sitewide.memoised("one", lambda: pytest.fail("built again")) == "one"


def test_a_masthead_change_saved_in_the_admin_shows_to_the_next_reader(client, article, site):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    page(client, article.url)
    editor = Client()
    editor.force_login(get_user_model().objects.create_superuser("masthead-editor", "me@example.org", "pw"))
    wagtail_site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=("core", "mastheadsettings", wagtail_site.pk))
    response = editor.post(url, {"teaser_quote": "Ice closes the river", "teaser_article": article.pk})
    assert response.status_code == 302
    assert "Ice closes the river" in page(client, article.url)
