"""Numbers a reader sees follow the site's language (Django's number formats): a decimal comma
and a non-breaking space between thousands in Russian, a point and a comma in English. Downloads
keep the point, whatever the language."""

import json
import re

import pytest
from freezegun import freeze_time

from gazette.rates.parsers import parse_daily
from gazette.rates.services import store_table
from tests.rates.conftest import daily, retimed

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def words(html: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def sidebar(client) -> str:
    html = client.get("/").content.decode()
    return html[html.index('<aside class="sidebar"') : html.index("</aside>")]


@pytest.fixture
def two_tables(site):
    store_table(parse_daily(retimed(daily("2024-03-28"), "27.03.2024", {"USD": "92,2600"})), origin="test")
    store_table(parse_daily(daily("2024-03-28")), origin="test")


@freeze_time("2024-03-28 07:00Z")
def test_widget_in_russian_has_decimal_commas(client, russian_site, two_tables):
    html = sidebar(client)
    text = words(html)
    assert "USD 92,5919 ▲ рост на 0,3319" in text
    assert "92.5919" not in text
    title = re.search(r'<svg class="sparkline".*?<title>(.*?)</title>', html).group(1)
    assert "92,2600" in title and "92,5919" in title and "92.5919" not in title


@freeze_time("2024-03-28 07:00Z")
def test_widget_in_english_has_decimal_points(client, two_tables):
    text = words(sidebar(client))
    assert "USD 92.5919 ▲ up 0.3319" in text
    assert "92,5919" not in text


def test_rates_page_in_russian(client, russian_site, two_tables):
    text = words(client.get("/rates/").content.decode())
    assert "USD Доллар США 1 92,5919 92,5919" in text
    assert "100 25,3878 0,253878" in text
    # Thousands grouped with a non-breaking space, as Django's Russian format does.
    assert f"10{NBSP}000 38,5832 0,00385832" in text
    assert "92.5919" not in text


def test_rates_page_in_english(client, two_tables):
    text = words(client.get("/rates/").content.decode())
    assert "USD US Dollar 1 92.5919 92.5919 ▲ up 0.3319" in text
    assert "10,000 38.5832 0.00385832" in text
    assert "92,5919" not in text


def test_currency_history_in_russian_and_its_download_keeps_the_point(client, russian_site, two_tables):
    html = client.get("/rates/USD/").content.decode()
    assert "92,2600" in words(html) and "92,5919" in words(html)
    chart_title = re.search(r'<svg class="rates-chart".*?<title>(.*?)</title>', html, re.S).group(1)
    assert chart_title.endswith("минимум 92,2600, максимум 92,5919")
    data = json.loads(client.get("/rates/USD/history.json").content)
    assert data["rates"][-1]["rub_per_unit"] == "92.5919"
    csv_text = client.get("/rates/USD/history.csv").content.decode()
    assert "92.5919" in csv_text and "92,5919" not in csv_text
