"""Fetching from the bank (mocked HTTP, never the network), storing, refusing, commands."""

import re
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from unittest import mock

import httpx
import pytest
import respx
from django.core.management import CommandError, call_command

from gazette.rates.backends import RateSourceError
from gazette.rates.models import FetchAttempt, Rate, RateTable
from gazette.rates.parsers import RateDataError
from gazette.rates.services import fetch_latest_rates, fetch_rates, plan_backfill

from .conftest import CBR, daily, fixture_bytes, retimed

pytestmark = pytest.mark.django_db

XML = {"Content-Type": "application/xml; charset=windows-1251"}
DDOS = b"<!DOCTYPE html><html><body>Please wait, checking your browser (DDoS protection)</body></html>"


def db_state():
    return (
        list(RateTable.objects.values_list("in_force_date", "requested_date", "source")),
        list(Rate.objects.order_by("pk").values_list("table_id", "char_code", "value")),
    )


@respx.mock
def test_fetch_stores_the_whole_table_with_both_dates(cbr_settings):
    route = respx.get(f"{CBR}XML_daily.asp").mock(
        return_value=httpx.Response(200, content=daily("2024-03-28"), headers=XML)
    )
    with freeze("2024-03-27 14:00"):
        outcome = fetch_rates(date(2024, 3, 28))
    assert outcome.status == "stored"
    assert route.calls.last.request.url.params["date_req"] == "28/03/2024"
    assert "Mozilla/5.0" in route.calls.last.request.headers["User-Agent"]
    table = RateTable.objects.get()
    assert (table.in_force_date, table.requested_date) == (date(2024, 3, 28), date(2024, 3, 28))
    assert table.fetched_at == datetime.fromisoformat("2024-03-27 14:00Z")
    assert table.source.startswith(f"{CBR}XML_daily.asp?date_req=28")
    assert table.rates.count() == 43
    usd = table.rates.get(char_code="USD")
    assert (usd.value, usd.unit_rate, usd.vunit_rate, usd.name) == (
        Decimal("92.5919"),
        Decimal("92.5919"),
        Decimal("92.5919"),
        "Доллар США",
    )
    assert table.rates.get(char_code="AMD").unit_rate == Decimal("0.234582")
    attempt = FetchAttempt.objects.get()
    assert (attempt.status, attempt.in_force_date, attempt.error) == ("stored", date(2024, 3, 28), "")


@respx.mock
def test_weekend_request_gets_saturdays_table_and_monday_changes_nothing(cbr_settings):
    respx.get(f"{CBR}XML_daily.asp").mock(return_value=httpx.Response(200, content=daily("2021-08-21"), headers=XML))
    assert fetch_rates(date(2021, 8, 22)).status == "stored"  # Sunday
    table = RateTable.objects.get()
    assert (table.in_force_date, table.requested_date) == (date(2021, 8, 21), date(2021, 8, 22))
    before = db_state()
    assert fetch_rates(date(2021, 8, 23)).status == "unchanged"  # Monday: still Saturday's table
    assert db_state() == before
    assert list(FetchAttempt.objects.values_list("status", flat=True)) == ["unchanged", "stored"]


@respx.mock
def test_refetching_the_same_day_is_idempotent(cbr_settings):
    respx.get(f"{CBR}XML_daily.asp").mock(return_value=httpx.Response(200, content=daily("2023-11-02"), headers=XML))
    fetch_rates(date(2023, 11, 2))
    before = db_state()
    for _ in range(2):
        assert fetch_rates(date(2023, 11, 2)).status == "unchanged"
    assert db_state() == before


@respx.mock
def test_a_different_table_for_a_stored_date_is_refused(cbr_settings):
    route = respx.get(f"{CBR}XML_daily.asp")
    route.mock(return_value=httpx.Response(200, content=daily("2023-11-02"), headers=XML))
    fetch_rates(date(2023, 11, 2))
    before = db_state()
    changed = retimed(daily("2023-11-02"), "02.11.2023", {"USD": "99,0000"})
    route.mock(return_value=httpx.Response(200, content=changed, headers=XML))
    with pytest.raises(RateDataError, match="different table for 2 November 2023"):
        fetch_rates(date(2023, 11, 2))
    assert db_state() == before


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ([httpx.Response(403)] * 3, "failed, attempts made: 3; last: HTTP 403"),
        ([httpx.Response(200, content=DDOS, headers={"Content-Type": "text/html"})] * 3, "HTML page"),
        ([httpx.ConnectTimeout("timed out")] * 3, "ConnectTimeout"),
        ([httpx.Response(404)], "HTTP 404"),
    ],
)
@respx.mock
def test_http_failures_are_retried_then_refused_leaving_the_database_unchanged(cbr_settings, responses, message):
    respx.get(f"{CBR}XML_daily.asp").mock(return_value=httpx.Response(200, content=daily("2021-03-27"), headers=XML))
    fetch_rates(date(2021, 3, 27))
    before = db_state()
    route = respx.get(f"{CBR}XML_daily.asp").mock(side_effect=responses)
    calls_before = route.call_count
    with pytest.raises(RateSourceError, match=message):
        fetch_rates(date(2021, 8, 21))
    assert route.call_count - calls_before == len(responses)
    assert db_state() == before
    failure = FetchAttempt.objects.filter(status="failed").get()
    assert re.search(message, failure.error)
    assert failure.requested_date == date(2021, 8, 21)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (daily("2024-03-28")[:3000], "truncated or malformed"),
        (
            fixture_bytes("NEGATIVE_XML_daily_2020-11-28_reencoded-to-utf8_prolog-still-says-windows-1251.xml"),
            "damaged text",
        ),
        (fixture_bytes("cbr-xml-daily.ru_daily_json_2021-08-31.json"), "JSON"),
    ],
)
@respx.mock
def test_bad_bodies_are_refused_and_nothing_is_stored(cbr_settings, body, message):
    respx.get(f"{CBR}XML_daily.asp").mock(return_value=httpx.Response(200, content=body, headers=XML))
    with pytest.raises(RateDataError, match=message):
        fetch_rates(date(2020, 11, 28))
    assert db_state() == ([], [])
    assert FetchAttempt.objects.get().status == "failed"


@respx.mock
def test_retry_after_anti_ddos_page_then_success(cbr_settings):
    route = respx.get(f"{CBR}XML_daily.asp").mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(200, content=DDOS),
            httpx.Response(200, content=daily("2022-07-23"), headers=XML),
        ]
    )
    assert fetch_rates(date(2022, 7, 23)).status == "stored"
    assert route.call_count == 3


@respx.mock
def test_redirects_are_followed(cbr_settings):
    respx.get(f"{CBR}XML_daily.asp").mock(
        return_value=httpx.Response(302, headers={"Location": "https://www.cbr.ru/scripts/moved/XML_daily.asp"})
    )
    respx.get("https://www.cbr.ru/scripts/moved/XML_daily.asp").mock(
        return_value=httpx.Response(200, content=daily("2022-07-23"), headers=XML)
    )
    assert fetch_rates(None).table.in_force_date == date(2022, 7, 23)


def test_backoff_doubles_between_retries(cbr_settings):
    from gazette.rates.backends import get_source

    cbr_settings.GAZETTE_RATE_SOURCES["default"].update(BACKOFF=1.5, RETRIES=3)
    source = get_source()
    source.sleep = mock.Mock()
    with respx.mock(assert_all_mocked=True) as router:
        router.get(f"{CBR}XML_daily.asp").mock(return_value=httpx.Response(500))
        with pytest.raises(RateSourceError):
            source.daily(date(2024, 3, 28))
    assert [c.args[0] for c in source.sleep.call_args_list] == [1.5, 3.0, 6.0]


@respx.mock
def test_a_table_far_from_the_requested_date_is_refused(cbr_settings):
    respx.get(f"{CBR}XML_daily.asp").mock(return_value=httpx.Response(200, content=daily("2002-03-02"), headers=XML))
    with pytest.raises(RateDataError, match="asked for 28 March 2024 but got an old table of 2 March 2002"):
        fetch_rates(date(2024, 3, 28))
    assert not RateTable.objects.exists()


@respx.mock
def test_fetch_latest_asks_for_tomorrow_and_then_stops_asking(cbr_settings):
    route = respx.get(f"{CBR}XML_daily.asp").mock(
        return_value=httpx.Response(200, content=daily("2024-03-28"), headers=XML)
    )
    with freeze("2024-03-27 13:00"):  # 16:00 in Moscow: tomorrow's table is out
        assert fetch_latest_rates().status == "stored"
        assert route.calls.last.request.url.params["date_req"] == "28/03/2024"
        assert fetch_latest_rates() is None
    assert route.call_count == 1


@respx.mock
def test_saturdays_table_is_enough_until_monday_afternoon(cbr_settings):
    route = respx.get(f"{CBR}XML_daily.asp").mock(
        return_value=httpx.Response(200, content=daily("2021-08-21"), headers=XML)
    )
    with freeze("2021-08-20 13:00"):  # Friday afternoon: Saturday's table
        fetch_latest_rates()
    with freeze("2021-08-22 09:00"):  # Sunday: nothing newer can exist
        assert fetch_latest_rates() is None
    with freeze("2021-08-23 09:00"):  # Monday: Tuesday's table is due
        assert fetch_latest_rates().status == "unchanged"
    assert route.call_count == 2


def test_fetch_rates_command_reads_a_file_and_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "table.xml"
    path.write_bytes(daily("2023-09-05"))
    out = StringIO()
    call_command("fetch_rates", "--file", str(path), "--dry-run", stdout=out)
    assert "Dry run: would store the table in force from 5 September 2023, 43 currencies" in out.getvalue()
    assert "USD: 96.6199 RUB for 1" in out.getvalue()
    assert not RateTable.objects.exists() and not FetchAttempt.objects.exists()
    call_command("fetch_rates", "--file", str(path), stdout=out)
    assert "Stored the table in force from 5 September 2023" in out.getvalue()
    call_command("fetch_rates", "--file", str(path), stdout=out)
    assert "Already stored, nothing changed" in out.getvalue()
    assert RateTable.objects.count() == 1


def test_fetch_rates_command_fails_clearly_on_a_damaged_file(tmp_path):
    path = tmp_path / "damaged.xml"
    path.write_bytes(
        fixture_bytes("NEGATIVE_XML_daily_2020-11-28_reencoded-to-utf8_prolog-still-says-windows-1251.xml")
    )
    with pytest.raises(
        CommandError, match=r"Rates refused: currency names are damaged text \(wrongly decoded\?\): 34 of them"
    ):
        call_command("fetch_rates", "--file", str(path))
    assert not RateTable.objects.exists()


@respx.mock
def test_fetch_rates_command_with_a_date(cbr_settings):
    respx.get(f"{CBR}XML_daily.asp", params={"date_req": "22/08/2021"}).mock(
        return_value=httpx.Response(200, content=daily("2021-08-21"), headers=XML)
    )
    out = StringIO()
    call_command("fetch_rates", "--date", "2021-08-22", stdout=out)
    assert "Stored the table in force from 21 August 2021" in out.getvalue()
    with pytest.raises(CommandError, match="not a date"):
        call_command("fetch_rates", "--date", "22.08.2021")


def test_backfill_resumes_and_skips_what_is_stored(table_folder):
    table_folder("2021-03-27", "2021-08-21", "2022-07-23")
    assert plan_backfill(date(2021, 1, 1), date(2021, 12, 31)) == [date(2021, 3, 27), date(2021, 8, 21)]
    out, err = StringIO(), StringIO()
    real_fetch = fetch_rates
    calls = []

    def interrupted(day, **kwargs):
        calls.append(day)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_fetch(day, **kwargs)

    with mock.patch("gazette.rates.management.commands.backfill_rates.fetch_rates", side_effect=interrupted):
        call_command("backfill_rates", "2021-01-01", "2022-12-31", "--pause", "0", stdout=out, stderr=err)
    assert "Interrupted; run the same command again to resume." in out.getvalue()
    assert list(RateTable.objects.values_list("in_force_date", flat=True)) == [date(2021, 3, 27)]
    assert "Rates" in err.getvalue()  # the progress bar
    out = StringIO()
    call_command("backfill_rates", "2021-01-01", "2022-12-31", "--pause", "0", "--no-progress", stdout=out)
    assert "2 stored, 0 unchanged, 0 failed" in out.getvalue()
    assert RateTable.objects.count() == 3
    out = StringIO()
    call_command("backfill_rates", "2021-01-01", "2022-12-31", "--dry-run", stdout=out)
    assert "Dry run: 0 dates to fetch." in out.getvalue()


@respx.mock
def test_backfill_from_the_bank_asks_only_for_days_with_a_table(cbr_settings):
    dynamic = respx.get(f"{CBR}XML_dynamic.asp").mock(
        return_value=httpx.Response(
            200, content=fixture_bytes("XML_dynamic_R01375-CNY_2021-10-24_to_2021-10-27.xml"), headers=XML
        )
    )
    assert plan_backfill(date(2021, 10, 24), date(2021, 10, 27)) == [date(2021, 10, 26), date(2021, 10, 27)]
    params = dynamic.calls.last.request.url.params
    assert (params["date_req1"], params["date_req2"], params["VAL_NM_RQ"]) == ("24/10/2021", "27/10/2021", "R01235")


def freeze(moment: str):
    from freezegun import freeze_time

    return freeze_time(datetime.fromisoformat(moment + "Z"))


def test_file_source_answers_like_the_bank(table_folder):
    from gazette.rates.backends import get_source

    folder = table_folder("2021-08-21", "2022-07-23")
    source = get_source()
    assert source.daily(date(2021, 8, 22)).origin.endswith("XML_daily_2021-08-21_saturday_no-VunitRate.xml")
    assert source.daily(None).origin.endswith("XML_daily_2022-07-23_no-VunitRate.xml")
    with pytest.raises(RateSourceError, match="No table in .* is in force on 1 January 2020"):
        source.daily(date(2020, 1, 1))
    assert source.in_force_dates(date(2021, 1, 1), date(2021, 12, 31)) == [date(2021, 8, 21)]
    assert str(folder) in source.daily(None).origin


def test_unknown_source_names_fail_clearly(settings):
    from gazette.rates.backends import InvalidRateSourceError, get_source

    with pytest.raises(InvalidRateSourceError, match="No rate source called 'nope'"):
        get_source("nope")
    settings.GAZETTE_RATE_SOURCES = {"default": {"BACKEND": "gazette.rates.backends.nothing.Source"}}
    with pytest.raises(InvalidRateSourceError, match="Could not import"):
        get_source()
