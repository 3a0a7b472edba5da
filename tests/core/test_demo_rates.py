"""A fresh demo shows the Bank of Russia's real figures the project ships, as a live site would."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from gazette.rates.models import Rate, RateTable
from gazette.rates.parsers import parse_daily
from gazette.rates.services import DEMO_DATA

pytestmark = pytest.mark.django_db


def test_the_demo_stores_every_shipped_table_as_the_bank_published_it_and_charts_it(client):
    call_command("load_demo")
    files = sorted(Path(DEMO_DATA).glob("*.xml"))
    assert RateTable.objects.count() == len(files) >= 9
    for file in files:
        table = parse_daily(file.read_bytes())
        stored = RateTable.objects.get(in_force_date=table.in_force_date)
        assert stored.source == f"demo: {file.name}"
        assert set(stored.rates.values_list("char_code", "value")) == {(r.char_code, r.value) for r in table.rates}
    # Each currency of the widget has its history chart, one dot per stored table.
    for code in ("USD", "EUR", "CNY"):
        html = client.get(f"/rates/{code}/").content.decode()
        points = Rate.objects.filter(char_code=code).count()
        assert points >= 2
        assert '<svg class="rates-chart" role="img"' in html
        assert html.count("<circle ") == points

    html = client.get("/").content.decode()
    assert '<section class="widget rates-widget"' in html and "28 March 2024" in html
    # The widget draws each currency's line over the past year's real tables (5 September 2023,
    # 2 November 2023 and 28 March 2024).
    sparklines = re.findall(r'<svg class="sparkline".*?</svg>', html)
    assert len(sparklines) == 3
    assert "on 5 September 2023," in sparklines[0] and "on 28 March 2024;" in sparklines[0]
