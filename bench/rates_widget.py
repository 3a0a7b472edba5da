"""Figures for the exchange-rate widget: rendering from the cache against computing it.

Prints the mean time per render of the widget's HTML when computed (every cached copy dropped)
and when served from the fragment cache, and their ratio, measured in the same run on a
throw-away SQLite database holding the demo's real tables plus 60 consecutive days.
Run: .venv/bin/python bench/rates_widget.py
"""

import os
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="gazette-bench-rates-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="gazette.settings.test",
    GAZETTE_SQLITE_PATH=str(TMP / "db.sqlite3"),
    GAZETTE_TEST_TMP=str(TMP),
)
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from django.core.management import call_command

from gazette.rates.parsers import parse_daily
from gazette.rates.services import DEMO_DATA, load_table_files, store_table
from gazette.rates.widget import render_widget

ROUNDS = 200


def main():
    call_command("migrate", verbosity=0)
    load_table_files()
    base = (DEMO_DATA / "XML_daily_2024-03-28_with-VunitRate.xml").read_bytes()
    for n in range(1, 61):
        day = date(2024, 3, 28) + timedelta(days=n)
        body = re.sub(rb'Date="[0-9.]+"', f'Date="{day:%d.%m.%Y}"'.encode(), base, count=1)
        body = body.replace(
            b"<Value>92,5919</Value><VunitRate>92,5919</VunitRate>",
            f"<Value>{92 + n / 100:.4f}</Value>".replace(".", ",").encode(),
        )
        store_table(parse_daily(body), origin="bench")
    codes = ["USD", "EUR", "CNY"]
    today = date(2024, 5, 28)

    start = time.perf_counter()
    for n in range(ROUNDS):
        render_widget(codes, today + timedelta(days=n + 1))  # a new day is a new cache key
    computed = (time.perf_counter() - start) / ROUNDS

    render_widget(codes, today)
    start = time.perf_counter()
    for _ in range(ROUNDS):
        render_widget(codes, today)
    cached = (time.perf_counter() - start) / ROUNDS

    print(f"widget computed: {computed * 1000:.2f} ms per render ({ROUNDS} rounds)")
    print(f"widget cached:   {cached * 1000:.2f} ms per render")
    print(f"ratio computed/cached: {computed / cached:.1f}x")


if __name__ == "__main__":
    main()
