"""Every recorded answer of the bank, and the ways an answer can be bad."""

from datetime import date
from decimal import Decimal

import pytest

from gazette.rates.parsers import RateDataError, parse_catalogue, parse_daily, parse_decimal, parse_dynamic

from .conftest import daily, fixture_bytes, retimed

GOOD_TABLES = [
    # file day, in-force date, number of currencies, USD value, has VunitRate
    ("2002-03-02", date(2002, 3, 2), 17, "30.9436", False),
    ("2007-01-20", date(2007, 1, 20), 18, "26.5075", False),
    ("2021-03-27", date(2021, 3, 27), 34, "75.7576", False),
    ("2021-08-21", date(2021, 8, 21), 34, "74.3640", False),
    ("2022-07-23", date(2022, 7, 23), 34, "57.3917", False),
    ("2023-03-18", date(2023, 3, 18), 43, "76.6044", False),
    ("2023-09-05", date(2023, 9, 5), 43, "96.6199", False),
    ("2023-11-02", date(2023, 11, 2), 43, "93.2801", True),
    ("2024-03-28", date(2024, 3, 28), 43, "92.5919", True),
]


@pytest.mark.parametrize(("day", "in_force", "count", "usd", "has_vunit"), GOOD_TABLES)
def test_every_recorded_daily_table_parses_whole(day, in_force, count, usd, has_vunit):
    table = parse_daily(daily(day))
    assert table.in_force_date == in_force
    assert len(table.rates) == count
    assert table.by_code()["USD"].value == Decimal(usd)
    assert isinstance(table.by_code()["USD"].value, Decimal)
    assert (table.by_code()["USD"].vunit_rate is not None) == has_vunit


def test_windows_1251_names_are_decoded_to_russian():
    table = parse_daily(daily("2024-03-28"))
    assert table.by_code()["USD"].name == "Доллар США"
    assert table.by_code()["JPY"].name == "Японских иен"


def test_declared_windows_1252_english_table():
    table = parse_daily(daily("2007-01-20"))
    assert table.by_code()["GBP"].name == "British Pound Sterling"
    assert table.by_code()["BYR"].nominal == 1000


def test_value_is_per_nominal_and_vunitrate_agrees():
    table = parse_daily(daily("2024-03-28")).by_code()
    huf = table["HUF"]
    assert (huf.nominal, huf.value, huf.vunit_rate) == (100, Decimal("25.3878"), Decimal("0.253878"))
    assert huf.unit_rate == Decimal("0.253878")
    krw = table["KRW"]
    assert krw.nominal == 1000 and krw.unit_rate == Decimal("0.0686527")


def test_nominal_of_cny_changes_over_the_years_but_unit_rate_is_comparable():
    nominals = {day: parse_daily(daily(day)).by_code()["CNY"] for day in ("2007-01-20", "2021-08-21", "2022-07-23")}
    assert [r.nominal for r in nominals.values()] == [10, 1, 10]
    assert nominals["2022-07-23"].value == Decimal("85.8282")
    assert nominals["2022-07-23"].unit_rate == Decimal("8.58282")


def test_vunitrate_with_an_exponent():
    assert parse_decimal("7,21103E-05", "VunitRate") == Decimal("0.0000721103")
    krw_name = "Вон Республики Корея".encode("windows-1251")
    body = daily("2024-03-28").replace(
        b"<Nominal>1000</Nominal><Name>" + krw_name + b"</Name><Value>68,6527</Value><VunitRate>0,0686527</VunitRate>",
        b"<Nominal>1000000</Nominal><Name>" + krw_name + b"</Name><Value>72,1103</Value>"
        b"<VunitRate>7,21103E-05</VunitRate>",
    )
    assert body != daily("2024-03-28")
    krw = parse_daily(body).by_code()["KRW"]
    assert krw.vunit_rate == Decimal("0.0000721103") == krw.unit_rate


def test_vunitrate_that_disagrees_with_value_is_refused():
    body = daily("2024-03-28").replace(b"<VunitRate>92,5919</VunitRate>", b"<VunitRate>95,5919</VunitRate>")
    with pytest.raises(RateDataError, match="USD.*VunitRate 95.5919 disagrees"):
        parse_daily(body)


def test_damaged_names_are_refused():
    body = fixture_bytes("NEGATIVE_XML_daily_2020-11-28_reencoded-to-utf8_prolog-still-says-windows-1251.xml")
    with pytest.raises(RateDataError, match=r"currency names are damaged text \(wrongly decoded\?\): 34 of them"):
        parse_daily(body)


def test_windows_1251_bytes_read_as_latin_text_are_refused():
    body = daily("2021-03-27").replace(b'encoding="windows-1251"', b'encoding="windows-1252"')
    with pytest.raises(RateDataError, match="damaged text"):
        parse_daily(body)


def test_anti_ddos_html_page_is_refused():
    page = b"<!DOCTYPE html><html><head><title>Checking your browser</title></head><body>...</body></html>"
    with pytest.raises(RateDataError, match="HTML page"):
        parse_daily(page)


def test_third_party_json_mirror_is_refused():
    with pytest.raises(RateDataError, match="JSON"):
        parse_daily(fixture_bytes("cbr-xml-daily.ru_daily_json_2021-08-31.json"))


@pytest.mark.parametrize("cut", [100, 2000, -20])
def test_truncated_body_is_refused(cut):
    with pytest.raises(RateDataError, match="truncated or malformed"):
        parse_daily(daily("2024-03-28")[:cut])


def test_well_formed_but_cut_table_is_refused():
    body = daily("2024-03-28")
    start = body.index(b'<Valute ID="R01135">')
    with pytest.raises(RateDataError, match=r"too few currencies in the table \(7, at least 10 expected\)"):
        parse_daily(body[:start] + b"</ValCurs>")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b"<Value>92,5919</Value>", b"<Value></Value>", "USD.*<Value> is missing"),
        (b"<Value>92,5919</Value>", b"<Value>92.59.19</Value>", "USD.*Value '92.59.19' is not a decimal"),
        (b"<Value>92,5919</Value>", b"<Value>-92,5919</Value>", "is not a decimal"),
        (b"<CharCode>USD</CharCode><Nominal>1</Nominal>", b"<CharCode>USD</CharCode><Nominal>0</Nominal>", "Nominal"),
        (b"<CharCode>USD</CharCode>", b"<CharCode>usd1</CharCode>", "CharCode 'usd1'"),
        (b'<ValCurs Date="28.03.2024"', b'<ValCurs Date="2024-03-28"', "ValCurs@Date"),
        (b"<CharCode>EUR</CharCode>", b"<CharCode>USD</CharCode>", "appears twice"),
    ],
)
def test_missing_or_malformed_fields_are_refused(old, new, message):
    body = daily("2024-03-28")
    assert old in body
    with pytest.raises(RateDataError, match=message):
        parse_daily(body.replace(old, new, 1))


def test_table_without_the_dollar_is_refused():
    body = daily("2024-03-28")
    start = body.index(b'<Valute ID="R01235">')
    end = body.index(b"</Valute>", start) + len(b"</Valute>")
    with pytest.raises(RateDataError, match="has no USD"):
        parse_daily(body[:start] + body[end:])


def test_entity_expansion_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE v [<!ENTITY a "aaaaaaaa">]><ValCurs Date="01.01.2024">&a;</ValCurs>'
    with pytest.raises(RateDataError, match="forbidden XML"):
        parse_daily(bomb)


def test_dynamic_lists_only_days_with_a_rate():
    records = parse_dynamic(fixture_bytes("XML_dynamic_R01375-CNY_2021-10-24_to_2021-10-27.xml"))
    # The range starts on Sunday 24.10; Monday 25.10 is covered by Saturday's table.
    assert [(r.in_force_date, r.value) for r in records] == [
        (date(2021, 10, 26), Decimal("10.9908")),
        (date(2021, 10, 27), Decimal("10.8993")),
    ]
    assert {r.currency_id for r in records} == {"R01375"}


@pytest.mark.parametrize(
    ("name", "iso"), [("XML_valFull_2021-10.xml", "CNY"), ("XML_val_2021-03-27_no-d-param.xml", "")]
)
def test_catalogue_gives_english_names(name, iso):
    catalogue = parse_catalogue(fixture_bytes(name))
    assert len(catalogue) == 61
    cny = catalogue["R01375"]
    assert (cny.name, cny.english_name, cny.char_code) == ("Китайский юань", "China Yuan", iso)


def test_retimed_helper_really_changes_the_table():
    table = parse_daily(retimed(daily("2024-03-28"), "29.03.2024", {"USD": "93,0000"}))
    assert table.in_force_date == date(2024, 3, 29)
    assert table.by_code()["USD"].value == Decimal("93.0000")
    assert table.by_code()["USD"].vunit_rate is None
