"""What the sidebar widget shows, computed once per new table and cached as HTML.

The cache key holds what the HTML depends on that no event announces: the newest table's id,
the currencies the editor chose, the language of the currency names, and today's date in Moscow
(which decides "older than expected"). The cached HTML also carries the ``rates`` cache tag,
as the pages around the widget do: a table stored, backfilled or corrected (see
``signal_handlers.py``) rebuilds it together with them. Nothing is recomputed per request.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext

from gazette.core import tags
from gazette.core.caching import cached_fragment

from .catalogue import currency_name, site_language
from .charts import sparkline
from .models import Rate, RateTable
from .services import currency_history, expected_in_force_date, moscow_today, previous_table

# The sparkline draws the newest tables held, at most this many and none older than a year: a
# site that fetches daily gets about six weeks of working days, a sparse archive (the demo's real
# tables) still gets a line, and the title says which dates it spans.
SPARKLINE_TABLES = 30
SPARKLINE_SPAN = timedelta(days=365)
CACHE_SECONDS = 24 * 3600


def format_rate(value: Decimal | None) -> str:
    """Roubles per unit: four decimals from one rouble up, six significant digits below."""
    if value is None:
        return ""
    if abs(value) >= 1:
        return f"{value.quantize(Decimal('0.0001')):f}"
    digits = f"{value:.6g}"
    return f"{Decimal(digits):f}"


def format_change(change: Decimal, rate: Decimal) -> str:
    """The size of a change with as many decimals as the rate it belongs to is shown with."""
    shown = format_rate(rate)
    places = len(shown.partition(".")[2])
    return f"{abs(change).quantize(Decimal(1).scaleb(-places)):f}"


def localised(figure: str) -> str:
    """A figure written by :func:`format_rate` or :func:`format_change` (``92.5919``) as readers
    of the active language write it, with the same decimals: Django's number format, digits
    grouped (``92,5919`` and ``1\u00a0234,5`` in Russian, ``1,234.5`` in English). Only for text a
    person reads: downloads, JSON and attributes keep :func:`format_rate`'s dot."""
    if not figure:
        return ""
    places = len(figure.partition(".")[2])
    return formats.number_format(Decimal(figure), decimal_pos=places, force_grouping=True)


def display_rate(value: Decimal | None) -> str:
    """:func:`format_rate` in the reader's number format."""
    return localised(format_rate(value))


def display_change(change: Decimal, rate: Decimal) -> str:
    """:func:`format_change` in the reader's number format."""
    return localised(format_change(change, rate))


@dataclass
class WidgetRow:
    char_code: str
    name: str
    unit_rate: Decimal
    change: Decimal | None
    direction: str  # "up", "down", "unchanged" or "" when there is nothing to compare with
    sparkline: str

    @property
    def rate_text(self) -> str:
        return display_rate(self.unit_rate)

    @property
    def change_text(self) -> str:
        return display_change(self.change, self.unit_rate) if self.change is not None else ""


def build_rows(table: RateTable, codes: list[str]) -> tuple[list[WidgetRow], RateTable | None]:
    previous = previous_table(table)
    current = {r.char_code: r for r in Rate.objects.filter(table=table, char_code__in=codes)}
    before = {r.char_code: r for r in Rate.objects.filter(table=previous, char_code__in=codes)} if previous else {}
    rows = []
    for code in codes:
        rate = current.get(code)
        if rate is None:
            continue
        change, direction = None, ""
        if code in before:
            change = rate.unit_rate - before[code].unit_rate
            direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
        series = currency_history(code, table.in_force_date - SPARKLINE_SPAN, table.in_force_date)[-SPARKLINE_TABLES:]
        rows.append(
            WidgetRow(
                char_code=code,
                name=currency_name(rate.currency_id, rate.name, rate.char_code),
                unit_rate=rate.unit_rate,
                change=change,
                direction=direction,
                sparkline=sparkline(series, gettext("%(code)s in roubles") % {"code": code}, display_rate),
            )
        )
    return rows, previous


def newest_table() -> tuple[int, date] | None:
    """The newest table's id and date in force (None before the first fetch)."""
    return RateTable.objects.order_by("-in_force_date").values_list("pk", "in_force_date").first()


def render_widget(codes: list[str], today: date | None = None, latest: tuple[int, date] | None | bool = False) -> str:
    """The widget's HTML for ``codes``, from the cache when this table was rendered before.

    ``latest`` is :func:`newest_table`'s answer when the caller has it (read here otherwise).
    """
    today = today or moscow_today()
    if latest is False:
        latest = newest_table()
    digest = hashlib.sha1(",".join(codes).encode(), usedforsecurity=False).hexdigest()[:12]  # a cache key
    key = f"rates:widget:{latest[0] if latest else 'none'}:{digest}:{today:%Y%m%d}:{site_language()}"

    def build() -> str:
        context = {"table": None, "rows": [], "previous": None, "stale": False}
        if latest:
            table = RateTable.objects.get(pk=latest[0])
            rows, previous = build_rows(table, codes)
            context.update(
                table=table,
                rows=rows,
                previous=previous,
                stale=table.in_force_date < expected_in_force_date(today),
                expected=expected_in_force_date(today),
            )
        return render_to_string("rates/widget.html", context)

    return cached_fragment(key, {tags.rates()}, build, timeout=CACHE_SECONDS, always=True)
