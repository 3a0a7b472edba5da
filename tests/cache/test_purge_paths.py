"""Every cache on a purge path, with the page and fragment caches on: what a reader sees at once
after a rates table is backfilled or corrected, or a city renamed."""

import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from gazette.rates.models import Rate, RateTable
from gazette.rates.parsers import parse_daily
from gazette.rates.services import store_table
from tests.factories import CityFactory, make_article, site_tree

pytestmark = pytest.mark.django_db

CBR_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cbr"


def _recorded(day: str) -> bytes:
    (path,) = list(CBR_FIXTURES.glob(f"XML_daily*{day}*.xml"))
    return path.read_bytes()


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _sidebar(client) -> tuple[str, str]:
    """The front page's X-Cache and the text of its sidebar (the rates widget)."""
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    return response["X-Cache"], _words(html[html.index('<aside class="sidebar"') : html.index("</aside>")])


@pytest.fixture
def table_of_27_march(tmp_path, settings):
    """A file source holding the table of 27 March 2024: the recorded 28 March one, moved a day
    back, with the dollar at 92.2600."""
    content = _recorded("2024-03-28")
    content = content.replace(b'<ValCurs Date="28.03.2024"', b'<ValCurs Date="27.03.2024"', 1)
    content = re.sub(
        rb"(<CharCode>USD</CharCode>.*?<Value>)[^<]+(</Value>)(<VunitRate>[^<]+</VunitRate>)?",
        rb"\g<1>92,2600\g<2>",
        content,
        count=1,
        flags=re.S,
    )
    (tmp_path / "XML_daily_2024-03-27.xml").write_bytes(content)
    settings.GAZETTE_RATE_SOURCES = {
        "default": {"BACKEND": "gazette.rates.backends.file.FileSource", "PATH": str(tmp_path)}
    }
    return tmp_path


@freeze_time("2024-03-28 07:00Z", tick=True)
def test_backfilled_table_shows_on_the_cached_front_page_at_once(client, committed, table_of_27_march):
    site_tree()
    with committed():
        store_table(parse_daily(_recorded("2024-03-28")), origin="test")
    _sidebar(client)
    state, words = _sidebar(client)
    assert state == "HIT"
    assert "USD 92.5919" in words and "Change since" not in words
    out = StringIO()
    with committed():
        call_command("backfill_rates", "2024-03-27", "2024-03-27", "--pause", "0", "--no-progress", stdout=out)
    assert "1 stored" in out.getvalue()
    # The newest table is still 28 March's: only the purge can tell the widget's own cache.
    state, words = _sidebar(client)
    assert state == "MISS"
    assert "USD 92.5919 ▲ up 0.3319" in words and "Change since 27 March 2024." in words


@freeze_time("2024-03-28 07:00Z", tick=True)
def test_corrected_rate_shows_on_the_cached_front_page_at_once(client, committed):
    site_tree()
    with committed():
        table = store_table(parse_daily(_recorded("2024-03-28")), origin="test")[0]
    _sidebar(client)
    state, words = _sidebar(client)
    assert state == "HIT" and "USD 92.5919" in words
    with committed():
        rate = Rate.objects.get(table=table, char_code="USD")
        rate.value = rate.unit_rate = Decimal("93.0000")
        rate.save()
    state, words = _sidebar(client)
    assert "USD 93.0000" in words and "92.5919" not in words
    # Deleting the table (a wrong one stored by hand) empties the widget at once too.
    with committed():
        RateTable.objects.filter(pk=table.pk).delete()
    state, words = _sidebar(client)
    assert "Exchange rates are unavailable at the moment." in words


def test_renamed_city_shows_on_every_page_at_once(client, committed):
    omsk = CityFactory(name="Omsk")
    article = make_article(title="Theatre reopens", cities=[omsk], lead_image=False)
    city_front = reverse("cities:front", kwargs={"slug": "omsk"})
    pages = ("/", city_front, article.url)
    client.cookies["gazette_edition"] = "omsk"
    for url in pages:
        client.get(url)
        response = client.get(url)
        assert response["X-Cache"] == "HIT" and "Omsk" in response.content.decode()
    with committed():
        omsk.name = "Omsk-on-Irtysh"
        omsk.save()
    for url in pages:
        html = client.get(url).content.decode()
        assert "Omsk-on-Irtysh" in html, url
        assert not re.search(r"Omsk(?!-on-Irtysh)", _words(html)), url


def test_city_given_a_new_slug_is_a_valid_edition_at_once(client, committed):
    omsk = CityFactory(name="Omsk")
    make_article(title="Theatre reopens", cities=[omsk], lead_image=False)
    client.cookies["gazette_edition"] = "omsk"
    assert "Omsk</strong> edition" in client.get("/").content.decode()
    with committed():
        omsk.slug = "omsk-city"
        omsk.save()
    # The old slug names no city any more; the new one is an edition at once, though the list
    # of valid editions is itself cached.
    assert "All Cities</strong>" in client.get("/").content.decode()
    client.cookies["gazette_edition"] = "omsk-city"
    assert "Omsk</strong> edition" in client.get("/").content.decode()
