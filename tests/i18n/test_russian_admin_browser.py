"""In Chromium, an editor who chose Russian signs in and walks the admin screens of a working
day on an English site: the dashboard with its exchange-rates panel, the rates screen after a
refused fetch, the widget's settings, the pages, an article's editor and the comment queue.
Every screen reads in Russian (no English of Gazette's catalogue left), the stored fetch error
included."""

from datetime import date

import httpx
import pytest
import respx
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from gazette.comments.choices import CommentStatus
from gazette.comments.models import ReaderComment
from gazette.rates.parsers import parse_daily
from gazette.rates.services import RatesError, fetch_rates, store_table
from gazette.users.models import User
from tests.browser.conftest import axe_violations, screenshots
from tests.factories import ContributorFactory, ImageFactory, make_article
from tests.rates.conftest import daily

from .conftest import russian_site_tree
from .test_russian_pages import english_left, visible_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "лёд на Оби тронулся"
CBR = "https://www.cbr.ru/scripts/"
REFUSED = f"{CBR}XML_daily.asp не ответил, попыток: 3; последняя ошибка: HTTP 403"


@pytest.fixture
def russian_desk(russian_catalogue, settings, english_of_catalogue):
    # The admin shows the configured site name (GAZETTE_SITE_NAME): a name, not text to translate.
    settings.WAGTAIL_SITE_NAME = "Сибирская газета"
    settings.GAZETTE_RATE_SOURCES = {
        "default": {"BACKEND": "gazette.rates.backends.cbr.CBRSource", "BASE_URL": CBR, "RETRIES": 2, "BACKOFF": 0}
    }
    _home, news, _privacy = russian_site_tree()
    store_table(parse_daily(daily("2024-03-28")), origin=f"{CBR}XML_daily.asp")
    with respx.mock:
        respx.get(f"{CBR}XML_daily.asp").mock(return_value=httpx.Response(403))
        with pytest.raises(RatesError):
            fetch_rates(date(2024, 3, 29))
    article = make_article(
        title="Ледоход на Томи начался на неделю раньше",
        standfirst="Лёд тронулся у Коммунального моста в субботу утром.",
        lead_image=ImageFactory(title="Ледоход на Томи", caption="Лёд на Томи.", credit="Иван Иванов"),
        body=[("paragraph", "<p>Спасатели просят не выходить на лёд.</p>")],
        authors=[ContributorFactory(name="Анна Кузнецова")],
    )
    ReaderComment.objects.create(
        article=article, author_name="Олег", body="Когда откроют переправу?", status=CommentStatus.PENDING
    )
    editor = User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "ru"
    profile.save()
    return {"article": article, "news": news, "english": english_of_catalogue}


def english_on(page, english_of_catalogue) -> list[str]:
    return english_left(visible_text(page.content().encode()), english_of_catalogue)


def test_a_russian_editor_walks_the_admin_and_reads_the_rates_error_in_russian(russian_desk, live_server, page):
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.locator("input[name=username]").fill("editor")
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    panel = page.locator("section[aria-labelledby=rates-status-heading]")
    expect(panel.get_by_role("heading", name="Курсы валют")).to_be_visible()
    expect(panel).to_contain_text("Последняя ошибка")
    expect(panel).to_contain_text(REFUSED)
    expect(panel).to_contain_text("запрос на 29 марта 2024")
    screenshots(page, "russian-admin-dashboard")
    assert english_on(page, russian_desk["english"]) == []

    panel.get_by_role("link", name="Курсы валют").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Курсы валют")
    failed = page.locator("table.listing tbody tr").first
    expect(failed).to_contain_text("Ошибка")
    expect(failed).to_contain_text(REFUSED)
    expect(page.locator("dl.rates-status")).to_contain_text("действует с 28 марта 2024")
    screenshots(page, "russian-admin-rates")
    # On a phone the table scrolls sideways, so the error column can still be brought into view.
    page.set_viewport_size({"width": 375, "height": 900})
    error_cell = failed.locator("td").last
    error_cell.scroll_into_view_if_needed()
    box = error_cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375 + 1, box
    page.set_viewport_size({"width": 1280, "height": 900})
    assert english_on(page, russian_desk["english"]) == []
    assert axe_violations(page) == []

    walk = {
        "russian-admin-rates-widget": reverse("wagtailsettings:edit", args=("rates", "ratessettings")),
        "russian-admin-pages": reverse("wagtailadmin_explore", args=(russian_desk["news"].pk,)),
        "russian-admin-article": reverse("wagtailadmin_pages:edit", args=(russian_desk["article"].pk,)),
        "russian-admin-comments": "/admin/comments/",
    }
    left = {}
    for name, url in walk.items():
        response = page.goto(live_server.url + url)
        assert response.status == 200, name
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        screenshots(page, name)
        if name == "russian-admin-rates-widget":
            expect(page.get_by_role("textbox", name="Валюты")).to_have_value("USD, EUR, CNY")
        if found := english_on(page, russian_desk["english"]):
            left[name] = found
    assert left == {}
