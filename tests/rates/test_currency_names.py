"""Currency names are in the site's language on every rates page, never mixed."""

import re

import pytest
from django.utils import translation

from gazette.rates.catalogue import currency_name, is_cyrillic
from gazette.rates.parsers import parse_daily
from gazette.rates.services import store_table

from .conftest import daily

pytestmark = pytest.mark.django_db

CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")


@pytest.fixture
def tables(site):
    # Russian-named tables, one English-named table (2007) and the newest with currencies the
    # 2021 catalogue does not know (AED, among others).
    for day in ("2007-01-20", "2021-08-21", "2023-11-02", "2024-03-28"):
        store_table(parse_daily(daily(day)), origin="test")


def _pages(client):
    for url in ("/", "/rates/", "/rates/?date=2021-08-21", "/rates/USD/", "/rates/AED/", "/rates/AED/history.json"):
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, response.content.decode("unicode_escape" if url.endswith(".json") else "utf-8")


def test_an_english_site_shows_no_currency_name_in_cyrillic(client, tables):
    for url, body in _pages(client):
        assert not CYRILLIC_WORD.findall(body), (url, CYRILLIC_WORD.findall(body)[:5])
    table = client.get("/rates/").content.decode()
    assert "<td>UAE Dirham</td>" in table and "<td>US Dollar</td>" in table and "<td>China Yuan</td>" in table
    widget = client.get("/").content.decode()
    assert '<abbr title="US Dollar">USD</abbr>' in widget and '<abbr title="China Yuan">CNY</abbr>' in widget


def test_a_russian_site_shows_the_banks_russian_names_only(client, tables, settings):
    settings.LANGUAGE_CODE = "ru"
    with translation.override("ru"):
        table = client.get("/rates/?date=2024-03-28", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
        old = client.get("/rates/?date=2007-01-20", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "<td>Доллар США</td>" in table and "<td>Дирхам ОАЭ</td>" in table
    assert "<td>US Dollar</td>" not in table and "<td>UAE Dirham</td>" not in table
    # The 2007 table was stored with the bank's English names: the catalogue gives Russian ones.
    assert "<td>Доллар США</td>" in old and "<td>US Dollar</td>" not in old


def test_a_currency_no_shipped_file_names_in_the_language_is_shown_by_its_code():
    assert currency_name("R99999", "Новая валюта", "NEW", language="en") == "NEW"
    assert currency_name("R99999", "New Currency", "NEW", language="ru") == "NEW"
    assert currency_name("R99999", "New Currency", "NEW", language="en-gb") == "New Currency"
    assert not is_cyrillic(currency_name("R01235", "Доллар США", "USD", language="en"))
