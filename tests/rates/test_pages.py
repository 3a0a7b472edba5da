"""The rates pages, the downloads and the admin's fetch status."""

import csv
import io
import json
import re
from datetime import date

import pytest

from gazette.rates.models import FetchAttempt
from gazette.rates.parsers import parse_daily
from gazette.rates.services import store_table

from .conftest import daily, retimed

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def tables(site):
    for day in ("2007-01-20", "2021-08-21", "2022-07-23", "2023-11-02", "2024-03-28"):
        store_table(parse_daily(daily(day)), origin="test")
    store_table(parse_daily(retimed(daily("2024-03-28"), "27.03.2024", {"USD": "92,2600"})), origin="test")


def test_rates_page_shows_the_newest_whole_table_with_a_date_form(client, tables):
    response = client.get("/rates/")
    html = response.content.decode()
    words = text(html)
    assert response.status_code == 200
    assert "The Bank of Russia official exchange rates on 28 March 2024" in words
    assert '<input type="date" id="rates-date" name="date" value="2024-03-28" min="2007-01-20" max="2024-03-28"' in html
    assert '<label for="rates-date">Rates in force on</label>' in html
    assert html.count('<th scope="row"><a href="/rates/') == 43
    assert "USD US Dollar 1 92.5919 92.5919 ▲ up 0.3319" in words
    assert "HUF Hungarian Forint 100 25.3878 0.253878" in words
    assert "Previous table: 27 March 2024" in words


def test_a_weekend_date_shows_saturdays_table_and_says_why(client, tables):
    words = text(client.get("/rates/?date=2021-08-22").content.decode())
    assert "The Bank of Russia official exchange rates on 21 August 2021" in words
    assert "The bank set no new rates for 22 August 2021" in words and "the rates of 21 August 2021 apply" in words
    assert "USD US Dollar 1 74.3640 74.3640" in words


def test_a_bad_date_is_explained(client, tables):
    response = client.get("/rates/?date=22.08.2021")
    assert response.status_code == 400
    assert "Enter a date as year-month-day" in response.content.decode()
    words = text(client.get("/rates/?date=1990-01-01").content.decode())
    assert "No table is stored for 1 January 1990 or earlier." in words


def test_rates_page_without_rates(client, site):
    response = client.get("/rates/")
    assert response.status_code == 200
    assert "Exchange rates are unavailable at the moment." in text(response.content.decode())


def test_currency_history_chart_is_svg_with_text_and_per_unit_figures(client, tables):
    response = client.get("/rates/cny/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "China Yuan (CNY): official rate history" in text(html)
    assert re.search(
        r'<svg class="rates-chart" role="img"[^>]*><title>CNY \(China Yuan\), roubles for one unit: '
        r"3.4080 on 20 January 2007, 12.7477 on 28 March 2024; lowest 3.4080, highest 12.7477</title>",
        html,
    )
    assert "all figures here are per one unit" in html
    words = text(html)
    assert "23 July 2022 10 85.8282 8.5828" in words
    assert '<a href="/rates/CNY/history.csv" download>CSV</a>' in html


def test_currency_history_period_and_unknown_currency(client, tables):
    html = client.get("/rates/USD/?utm_source=vk&start=2024-01-01&end=2024-12-31").content.decode()
    words = text(html)
    assert "28 March 2024" in words and "21 August 2021" not in words
    # The downloads cover the period shown, and nothing else the address had (the page cache
    # ignores tracking parameters, so the page must not print them).
    assert '<a href="/rates/USD/history.csv?start=2024-01-01&amp;end=2024-12-31" download>CSV</a>' in html
    assert client.get("/rates/ZZZ/").status_code == 404
    assert client.get("/rates/US/").status_code == 404


def test_csv_download(client, tables):
    response = client.get("/rates/CNY/history.csv?start=2021-01-01")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="cbr-cny-2021-01-01.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["date", "currency", "nominal", "value_rub", "rub_per_unit"]
    assert rows[1:3] == [
        ["2021-08-21", "CNY", "1", "11.4403", "11.4403"],
        ["2022-07-23", "CNY", "10", "85.8282", "8.58282"],
    ]
    assert len(rows) == 6


def test_json_download(client, tables):
    response = client.get("/rates/usd/history.json")
    data = json.loads(response.content)
    assert data["currency"] == "USD" and data["name"] == "US Dollar"
    assert data["rates"][0] == {"date": "2007-01-20", "nominal": 1, "value_rub": "26.5075", "rub_per_unit": "26.5075"}
    assert data["rates"][-1]["date"] == "2024-03-28"
    assert client.get("/rates/usd/history.json?end=bad").status_code == 400


def test_admin_shows_last_fetch_date_and_last_error(admin_client, tables):
    FetchAttempt.objects.create(
        started_at="2024-03-27T13:00Z", status="stored", in_force_date=date(2024, 3, 28), source="https://cbr"
    )
    FetchAttempt.objects.create(
        started_at="2024-03-27T14:00Z", status="failed", error="https://cbr failed after 4 attempts; last: HTTP 403"
    )
    words = text(admin_client.get("/admin/rates/status/").content.decode())
    assert "Newest table in force from 28 March 2024" in words
    assert "Last error" in words and "last: HTTP 403" in words
    dashboard = text(admin_client.get("/admin/").content.decode())
    assert "Exchange rates" in dashboard and "last: HTTP 403" in dashboard
