"""What a cold archive article reads per request (no fragment cache, as the test settings run):
the rates widget's newest table only once per site-wide token, an article's own comment rules
only when it has some; and what an editor or a fetch changes shows on the next request."""

import pytest
from django.urls import reverse
from freezegun import freeze_time
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from gazette.comments.models import ArticleCommentSettings
from gazette.rates.parsers import parse_daily
from gazette.rates.services import store_table
from tests.core.served import page, queries
from tests.factories import make_article
from tests.rates.conftest import daily, retimed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rendition_warming")]


@pytest.fixture
def article(site):
    return make_article(title="Ferry season ends", slug="ferry-season-ends")


def store(content: bytes):
    return store_table(parse_daily(content), origin="test")[0]


@freeze_time("2024-03-28 07:00Z")  # 10:00 in Moscow
def test_the_newest_rates_table_is_read_once_and_a_new_one_shows_next(client, article):
    store(daily("2024-03-28"))
    page(client, article.url)
    assert not any('FROM "rates_ratetable"' in q for q in queries(client, article.url))
    store(retimed(daily("2024-03-28"), "29.03.2024", {"USD": "93,0000"}))
    html = page(client, article.url)
    assert "29 March 2024" in html and "93.0000" in html


def test_the_staleness_notice_follows_the_clock_with_the_table_remembered(client, article):
    store(daily("2024-03-28"))
    with freeze_time("2024-03-28 07:00Z"):
        assert "older than expected" not in page(client, article.url)
    with freeze_time("2024-04-03 07:00Z"):
        html = page(client, article.url)
    assert "This table is older than expected" in html and "3 April 2024" in html


def test_an_article_without_rules_of_its_own_reads_none(client, article):
    page(client, article.url)
    # Whether it has any is asked inside the route's query, never on its own.
    assert not any(q.startswith('SELECT "comments_articlecommentsettings"') for q in queries(client, article.url))


def test_an_articles_own_rules_apply_on_the_next_request(client, article):
    ArticleCommentSettings.objects.create(page=article, closed=True)
    assert "Comments on this article are closed." in page(client, article.url)


def test_rules_saved_in_the_page_editor_show_to_the_next_reader(client, article, django_user_model):
    from django.test import Client

    assert "Comments on this article are closed." not in page(client, article.url)
    editor = Client()
    editor.force_login(django_user_model.objects.create_superuser("rules-editor", "re@example.org", "pw"))
    byline = article.bylines.get()
    data = nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "standfirst": article.standfirst,
            "lead_image": article.lead_image_id,
            "lead_caption": "",
            "lead_credit": "",
            "body": streamfield([("paragraph", rich_text("<p>The last ferry crossed on Saturday.</p>"))]),
            "bylines": inline_formset(
                [{"id": byline.pk, "contributor": byline.contributor_id, "ORDER": "1"}], initial=1, min=1
            ),
            "comment_settings": inline_formset([{"id": "", "closed": "on", "close_after_days": ""}]),
            "comment_notifications": "",
            "action-publish": "1",
        }
    )
    response = editor.post(reverse("wagtailadmin_pages:edit", args=(article.pk,)), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ArticleCommentSettings.objects.filter(page=article, closed=True).exists()
    assert "Comments on this article are closed." in page(client, article.url)
