"""The sidebar widget: what a reader sees, with time frozen."""

import re

import pytest
from django.test import Client
from freezegun import freeze_time
from wagtail.models import Site

from gazette.core.invalidation import tags_purged
from gazette.rates.models import Rate, RatesSettings
from gazette.rates.parsers import parse_daily
from gazette.rates.services import store_table

from .conftest import daily, retimed

pytestmark = pytest.mark.django_db


def store(content: bytes):
    return store_table(parse_daily(content), origin="test")[0]


def sidebar(client: Client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<aside class="sidebar"') : html.index("</aside>")]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def two_days(site):
    """Real 28.03.2024 table and the day before it built from the same bytes with other values."""
    store(retimed(daily("2024-03-28"), "27.03.2024", {"USD": "92,2600", "EUR": "100,5000", "CNY": "12,7477"}))
    return store(daily("2024-03-28"))


@freeze_time("2024-03-28 07:00Z")  # 10:00 in Moscow
def test_widget_shows_the_in_force_date_rates_and_changes_in_words(client, two_days):
    html = sidebar(client)
    words = text(html)
    assert "The Bank of Russia official exchange rates of foreign currencies" in words
    assert "on 28 March 2024" in words
    assert "older than expected" not in words
    assert "USD 92.5919 ▲ up 0.3319" in words
    assert "EUR 100.2704 ▼ down 0.2296" in words
    assert "CNY 12.7477 unchanged" in words
    assert "Change since 27 March 2024." in words
    assert '<abbr title="US Dollar">USD</abbr>' in html
    # Direction is in words, not only in colour or arrows (the arrows are hidden from screen readers).
    assert '<span aria-hidden="true">▲</span> up' in html
    # Order of the default currencies.
    assert words.index("USD") < words.index("EUR") < words.index("CNY")
    assert "GBP" not in words


@freeze_time("2024-03-28 07:00Z")
def test_sparkline_is_inline_svg_with_a_text_alternative(client, two_days):
    html = sidebar(client)
    svgs = re.findall(r'<svg class="sparkline" role="img".*?</svg>', html)
    assert len(svgs) == 3
    assert (
        "<title>USD in roubles: 92.2600 on 27 March 2024, 92.5919 on 28 March 2024; "
        "lowest 92.2600, highest 92.5919</title>" in svgs[0]
    )
    assert "<script" not in html


@freeze_time("2024-03-28 07:00Z")
def test_sparkline_spans_the_tables_of_the_past_year(client, site):
    store(daily("2024-03-28"))
    store(daily("2023-11-02"))
    store(daily("2022-07-23"))  # more than a year before the newest: not drawn
    html = sidebar(client)
    assert "Change since 2 November 2023." in text(html)
    usd = re.findall(r'<svg class="sparkline".*?</svg>', html)[0]
    assert "<title>USD in roubles: 93.2801 on 2 November 2023, 92.5919 on 28 March 2024;" in usd
    assert len(re.search(r'points="([^"]*)"', usd).group(1).split()) == 2


@freeze_time("2024-03-28 07:00Z")
def test_no_sparkline_without_another_table_in_the_past_year(client, site):
    store(daily("2024-03-28"))
    store(daily("2022-07-23"))
    html = sidebar(client)
    assert "<svg" not in html
    assert "Change since 23 July 2022." in text(html)


@freeze_time("2024-04-02 07:00Z")  # Tuesday: the table of 02.04 should be here
def test_widget_says_when_the_table_is_older_than_expected(client, two_days):
    words = text(sidebar(client))
    assert "on 28 March 2024" in words
    assert "This table is older than expected: the rates for 2 April 2024 have not arrived yet." in words


@freeze_time("2024-04-01 07:00Z")  # Monday: Saturday's table is the newest that can exist
def test_saturdays_table_is_not_old_on_monday(client, site):
    store(daily("2024-03-28"))
    store(retimed(daily("2024-03-28"), "30.03.2024"))
    words = text(sidebar(client))
    assert "on 30 March 2024" in words and "older than expected" not in words
    assert "USD 92.5919 unchanged" in words


@freeze_time("2024-03-28 07:00Z")
def test_editor_chooses_the_currencies(client, two_days):
    setting = RatesSettings.for_site(Site.objects.get(is_default_site=True))
    setting.currencies = "gbp, USD, XYZ, usd"
    setting.save()
    words = text(sidebar(client))
    assert "GBP 116.9251" in words and "USD 92.5919" in words
    assert "EUR" not in words and "XYZ" not in words
    assert words.index("GBP") < words.index("USD")


@freeze_time("2023-11-02 07:00Z")
def test_change_is_per_unit_when_the_nominal_changes(client, site):
    # CNY quoted per 10 units the day before and per 1 unit today: the same rate, unchanged.
    before = retimed(daily("2023-11-02"), "01.11.2023")
    before = before.replace(
        b"<CharCode>CNY</CharCode><Nominal>1</Nominal>", b"<CharCode>CNY</CharCode><Nominal>10</Nominal>"
    ).replace(b"<Value>12,7052</Value>", b"<Value>127,0520</Value>")
    store(before)
    store(daily("2023-11-02"))
    assert Rate.objects.filter(char_code="CNY").count() == 2
    words = text(sidebar(client))
    assert "CNY 12.7052 unchanged" in words


def test_without_any_rates_the_widget_says_unavailable_and_the_page_renders(client, site):
    response = client.get("/")
    assert response.status_code == 200
    words = text(sidebar(client))
    assert "The Bank of Russia official exchange rates of foreign currencies" in words
    assert "Exchange rates are unavailable at the moment." in words
    assert "Latest stories" in response.content.decode()


@freeze_time("2024-03-28 07:00Z")
def test_widget_is_rendered_once_per_table_and_purged_on_a_new_one(
    client, two_days, django_capture_on_commit_callbacks
):
    first = sidebar(client)
    # Figures changed behind the widget's back are not seen: the HTML comes from the cache.
    Rate.objects.filter(table=two_days, char_code="USD").update(unit_rate="1.0000")
    assert sidebar(client) == first
    purged = []

    def receiver(sender, tags, **kwargs):
        purged.append(tags)

    tags_purged.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            store(retimed(daily("2024-03-28"), "29.03.2024", {"USD": "93,0000"}))
    finally:
        tags_purged.disconnect(receiver)
    assert purged == [frozenset({"rates"})]
    words = text(sidebar(client))
    assert "on 29 March 2024" in words
    assert "USD 93.0000 ▲ up 92.0000" in words  # compared with the (tampered) previous table


@freeze_time("2024-03-28 07:00Z")
def test_pages_with_the_widget_carry_the_rates_cache_tag(rf, two_days):
    from django.template import Context, Template

    request = rf.get("/")
    Template("{% load rates_tags %}{% rates_widget %}").render(Context({"request": request}))
    assert "rates" in request.cache_tags


def test_settings_change_purges_the_rates_tag(site, django_capture_on_commit_callbacks):
    purged = []
    tags_purged.connect(lambda sender, tags, **kw: purged.append(tags), weak=False, dispatch_uid="t-settings")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            setting = RatesSettings.for_site(Site.objects.get(is_default_site=True))
            setting.currencies = "USD"
            setting.save()
    finally:
        tags_purged.disconnect(dispatch_uid="t-settings")
    assert frozenset({"rates"}) in purged


def test_settings_refuse_codes_that_are_not_currency_codes():
    from django.core.exceptions import ValidationError

    from gazette.rates.models import validate_currency_codes

    validate_currency_codes("USD, eur")
    with pytest.raises(ValidationError):
        validate_currency_codes("USD, dollars")


def test_pages_showing_the_widget_expire_when_the_moscow_day_changes(client, two_days, settings):
    """No event marks Moscow midnight, yet a table can become late then: cached pages end there."""
    settings.GAZETTE_PAGE_CACHE = settings.GAZETTE_FRAGMENT_CACHE = True
    with freeze_time("2024-03-28 20:30Z") as clock:  # 23:30 in Moscow, 03:30 in Novosibirsk
        first = client.get("/")
        assert "older than expected" not in text(sidebar(client))
        assert client.get("/")["X-Cache"] == "HIT"
        # Half an hour to live, for Gazette's cache and for any CDN, not until Novosibirsk's midnight.
        s_maxage = int(re.search(r"s-maxage=(\d+)", first["Cache-Control"]).group(1))
        assert 0 < s_maxage <= 1800
        clock.move_to("2024-03-28 21:00:01Z")  # Friday in Moscow: Friday's table is due
        response = client.get("/")
        assert response["X-Cache"] == "MISS"
        assert "the rates for 29 March 2024 have not arrived yet" in text(sidebar(client))
