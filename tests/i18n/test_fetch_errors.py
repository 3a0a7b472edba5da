"""A failed exchange-rate fetch reads in the language of whoever looks at it: the rates screen
and the dashboard panel show the stored error in the editor's own language, whatever language
the site and the fetch ran in; ``manage.py fetch_rates`` reports in the site's language.
Attempts stored as plain English text before errors were kept translatable still show."""

import html
from datetime import date

import httpx
import pytest
import respx
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext_lazy
from wagtail.users.models import UserProfile

from gazette.rates.backends import RateSourceError, get_source
from gazette.rates.models import FetchAttempt
from gazette.rates.parsers import RateDataError
from gazette.rates.services import RatesError, fetch_rates
from gazette.users.models import User
from tests.rates.conftest import daily

from .test_russian_pages import english_left, visible_text

pytestmark = pytest.mark.django_db

CBR = "https://www.cbr.ru/scripts/"
XML = {"Content-Type": "application/xml; charset=windows-1251"}
DDOS = b"<!DOCTYPE html><html><head><title>Access check</title></head><body>Checking your browser</body></html>"
ASKED = date(2024, 3, 28)


@pytest.fixture(autouse=True)
def bank(settings, site):
    """The bank's HTTP source, answered by respx; no pauses between the three attempts."""
    settings.GAZETTE_RATE_SOURCES = {
        "default": {"BACKEND": "gazette.rates.backends.cbr.CBRSource", "BASE_URL": CBR, "RETRIES": 2, "BACKOFF": 0}
    }
    with respx.mock(assert_all_called=False) as router:
        yield router


def editor(language: str) -> User:
    user = User.objects.create_superuser(f"editor-{language}", f"{language}@example.org", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def screens(client, user) -> dict[str, str]:
    """The text of the rates screen and the dashboard, as ``user`` sees them."""
    client.force_login(user)
    seen = {}
    for name, url in {"rates screen": "/admin/rates/status/", "dashboard": "/admin/"}.items():
        response = client.get(url)
        assert response.status_code == 200, name
        seen[name] = " ".join(html.unescape(response.content.decode()).split())
    return seen


def failed_fetch(bank, answers) -> Exception:
    bank.get(f"{CBR}XML_daily.asp").mock(side_effect=answers)
    with pytest.raises(RatesError) as caught:
        fetch_rates(ASKED)
    return caught.value


def damaged(old: bytes, new: bytes) -> bytes:
    body = daily("2024-03-28")
    assert old in body
    return body.replace(old, new, 1)


REFUSALS = {
    "HTTP status": (
        [httpx.Response(403)] * 3,
        f"{CBR}XML_daily.asp failed, attempts made: 3; last: HTTP 403",
        f"{CBR}XML_daily.asp не ответил, попыток: 3; последняя ошибка: HTTP 403",
    ),
    "anti-DDoS page": (
        [httpx.Response(200, content=DDOS, headers={"Content-Type": "text/html"})] * 3,
        f"{CBR}XML_daily.asp failed, attempts made: 3; last: an HTML page (anti-DDoS check?) instead of XML",
        f"{CBR}XML_daily.asp не ответил, попыток: 3; "
        "последняя ошибка: HTML-страница (проверка защиты от DDoS?) вместо XML",
    ),
    "table of another date": (
        [httpx.Response(200, content=daily("2002-03-02"), headers=XML)],
        "asked for 28 March 2024 but got an old table of 2 March 2002",
        "запрошена таблица на 28 марта 2024, а получена старая от 2 марта 2002",
    ),
    "a currency's missing value": (
        [httpx.Response(200, content=damaged(b"<Value>92,5919</Value>", b"<Value></Value>"), headers=XML)],
        "USD (R01235): <Value> is missing or empty",
        "USD (R01235): <Value> отсутствует или пуст",
    ),
    "a currency without an ID": (
        [httpx.Response(200, content=damaged(b'<Valute ID="R01235">', b'<Valute ID="">'), headers=XML)],
        "currency 14 (no ID): ID '' is not a bank currency ID such as R01235",
        "валюта № 14 (без ID): ID '' — не код валюты банка вида R01235",
    ),
}


@pytest.mark.parametrize(("answers", "english", "russian"), REFUSALS.values(), ids=REFUSALS.keys())
def test_each_editor_reads_the_stored_error_in_their_language(
    client, russian_catalogue, bank, answers, english, russian
):
    error = failed_fetch(bank, answers)
    assert str(error) == english
    for name, text in screens(client, editor("en")).items():
        assert english in text, name
        assert russian not in text, name
    for name, text in screens(client, editor("ru")).items():
        assert russian in text, name
        assert english not in text, name


def test_an_editor_who_reads_english_on_a_russian_site_sees_english(client, russian_site, bank):
    error = failed_fetch(bank, [httpx.Response(200, content=daily("2002-03-02"), headers=XML)])
    # Raised while the site's Russian was active: the exception speaks Russian, the record keeps both.
    assert str(error) == "запрошена таблица на 28 марта 2024, а получена старая от 2 марта 2002"
    attempt = FetchAttempt.objects.get(status="failed")
    assert attempt.error == "asked for 28 March 2024 but got an old table of 2 March 2002"
    english = screens(client, editor("en"))
    assert "asked for 28 March 2024 but got an old table of 2 March 2002" in english["rates screen"]
    assert "28 марта" not in english["rates screen"] and "28 марта" not in english["dashboard"]
    assert "получена старая от 2 марта 2002" in screens(client, editor("ru"))["dashboard"]


def test_the_russian_rates_screen_with_an_error_has_no_english_left(
    client, russian_catalogue, bank, english_of_catalogue
):
    # The admin shows the configured site name (GAZETTE_SITE_NAME): a name, not text to translate.
    russian_catalogue.WAGTAIL_SITE_NAME = "Сибирская газета"
    failed_fetch(bank, [httpx.Response(200, content=DDOS, headers={"Content-Type": "text/html"})] * 3)
    client.force_login(editor("ru"))
    for url in ("/admin/rates/status/", "/admin/"):
        response = client.get(url)
        assert not english_left(visible_text(response.content), english_of_catalogue), url


def test_an_attempt_stored_as_plain_english_still_shows(client, russian_catalogue):
    FetchAttempt.objects.create(
        started_at="2024-03-27T14:00Z",
        status="failed",
        requested_date=ASKED,
        error="https://www.cbr.ru/scripts/XML_daily.asp failed after 4 attempts; last: HTTP 403",
    )
    for user in (editor("en"), editor("ru")):
        for name, text in screens(client, user).items():
            assert "XML_daily.asp failed after 4 attempts; last: HTTP 403" in text, (user.username, name)


def test_a_stored_message_that_no_longer_fits_shows_its_english_text(client, russian_catalogue):
    FetchAttempt.objects.create(
        started_at="2024-03-27T14:00Z",
        status="failed",
        error="the table has no USD: truncated or not a daily table?",
        error_message={"message": "the table has no %(codes)s: truncated or not a daily table?", "params": {}},
    )
    for name, text in screens(client, editor("ru")).items():
        assert "the table has no USD: truncated or not a daily table?" in text, name


def test_the_fetch_command_reports_in_the_sites_language(russian_site, bank):
    bank.get(f"{CBR}XML_daily.asp").mock(return_value=httpx.Response(404))
    with pytest.raises(CommandError) as caught:
        call_command("fetch_rates", "--date", "2024-03-28")
    assert str(caught.value) == f"Курсы отклонены: {CBR}XML_daily.asp?date_req=28%2F03%2F2024 ответил HTTP 404"
    assert FetchAttempt.objects.get().error == f"{CBR}XML_daily.asp?date_req=28%2F03%2F2024 answered HTTP 404"


def test_an_error_inside_an_error_is_stored_as_a_message(russian_catalogue, bank):
    """The backfill's list of dates comes from the bank's history answer; a bad one is reported
    with the parser's own message inside the source's."""
    bank.get(f"{CBR}XML_dynamic.asp").mock(return_value=httpx.Response(200, content=b"", headers=XML))
    with pytest.raises(RateSourceError) as caught:
        get_source().in_force_dates(date(2024, 3, 1), date(2024, 3, 28))
    error = caught.value
    assert error.english() == "The list of table dates could not be read: the answer is empty"
    assert error.message.as_json() == {
        "message": "The list of table dates could not be read: %(error)s",
        "params": {"error": {"message": "the answer is empty", "params": {}}},
    }
    with translation.override("ru"):
        assert str(error) == "Не удалось прочитать список дат таблиц: ответ пустой"


def test_rate_errors_take_the_msgid_not_a_translation():
    with pytest.raises(TypeError, match="gettext_noop"):
        RateDataError(gettext_lazy("the answer is empty"))
