"""The rates pages: a whole table for a date, one currency's history, CSV and JSON downloads.

Everything works without JavaScript: the date pickers are GET forms with ``<input type="date">``
and the chart is inline SVG drawn here. Every response carries the ``rates`` cache tag.
"""

import csv
import re
from datetime import date
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy

from gazette.core import tags
from gazette.core.invalidation import add_cache_tags

from .catalogue import currency_name
from .charts import line_chart
from .models import Rate, RateTable
from .services import previous_table, table_on
from .widget import display_change, display_rate

SOURCE_NOTE = gettext_lazy("Official exchange rates of the Central Bank of the Russian Federation (www.cbr.ru)")


def _parse_date(value: str | None) -> tuple[date | None, str]:
    if not value:
        return None, ""
    try:
        return date.fromisoformat(value), ""
    except ValueError:
        return None, gettext("Enter a date as year-month-day, for example 2024-03-28.")


def _bounds() -> tuple[date | None, date | None]:
    dates = RateTable.objects.values_list("in_force_date", flat=True)
    return dates.order_by("in_force_date").first(), dates.order_by("-in_force_date").first()


def rates_table(request):
    """The whole table in force on ``?date=`` (the newest table when no date is given)."""
    add_cache_tags(request, tags.rates())
    requested, error = _parse_date(request.GET.get("date"))
    table = None if error else table_on(requested)
    rows, previous = [], None
    if table is not None:
        previous = previous_table(table)
        before = dict(previous.rates.values_list("char_code", "unit_rate")) if previous else {}
        for rate in table.rates.all():
            change = rate.unit_rate - before[rate.char_code] if rate.char_code in before else None
            rows.append(
                {
                    "rate": rate,
                    "name": currency_name(rate.currency_id, rate.name, rate.char_code),
                    "unit_rate": display_rate(rate.unit_rate),
                    "change": display_change(change, rate.unit_rate) if change is not None else "",
                    "direction": "" if change is None else "up" if change > 0 else "down" if change < 0 else "same",
                }
            )
    first, last = _bounds()
    later = None
    if table is not None:
        later = RateTable.objects.filter(in_force_date__gt=table.in_force_date).order_by("in_force_date").first()
    context = {
        "table": table,
        "rows": rows,
        "previous": previous,
        "next_table": later,
        "requested": requested,
        "error": error,
        "first": first,
        "last": last,
        "source_note": SOURCE_NOTE,
    }
    return render(request, "rates/rates_table.html", context, status=400 if error else 200)


def _currency(code: str) -> tuple[str, Rate]:
    code = code.upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise Http404("Not a currency code")
    newest = Rate.objects.filter(char_code=code).select_related("table").order_by("-table__in_force_date").first()
    if newest is None:
        raise Http404("No rates stored for this currency")
    return code, newest


def _history_rows(request, code: str):
    start, start_error = _parse_date(request.GET.get("start"))
    end, end_error = _parse_date(request.GET.get("end"))
    rates = Rate.objects.filter(char_code=code).select_related("table").order_by("table__in_force_date")
    if start:
        rates = rates.filter(table__in_force_date__gte=start)
    if end:
        rates = rates.filter(table__in_force_date__lte=end)
    return list(rates), start, end, start_error or end_error


def currency_history(request, code):
    """One currency's history as a chart and a table, between ``?start=`` and ``?end=``."""
    code, newest = _currency(code)
    add_cache_tags(request, tags.rates())
    rates, start, end, error = _history_rows(request, code)
    name = currency_name(newest.currency_id, newest.name, code)
    series = [(r.table.in_force_date, r.unit_rate) for r in rates]
    rows = []
    for rate in reversed(rates):
        rows.append({"rate": rate, "unit_rate": display_rate(rate.unit_rate)})
    context = {
        "code": code,
        "name": name,
        "rows": rows,
        "chart": line_chart(
            series, gettext("%(code)s (%(name)s), roubles for one unit") % {"code": code, "name": name}, display_rate
        ),
        "start": start,
        "end": end,
        # The downloads cover the period shown: only its dates, not whatever else the URL had.
        "period_query": urlencode({k: v.isoformat() for k, v in (("start", start), ("end", end)) if v}),
        "error": error,
        "source_note": SOURCE_NOTE,
        "nominal_changed": len({r.nominal for r in rates}) > 1,
    }
    return render(request, "rates/currency_history.html", context, status=400 if error else 200)


def _filename(code: str, start, end, ext: str) -> str:
    span = "-".join(d.isoformat() for d in (start, end) if d) or "all"
    return slugify(f"cbr-{code}-{span}") + f".{ext}"


def currency_history_csv(request, code):
    code, _ = _currency(code)
    add_cache_tags(request, tags.rates())
    rates, start, end, error = _history_rows(request, code)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(code, start, end, "csv")}"'
    writer = csv.writer(response)
    writer.writerow(["date", "currency", "nominal", "value_rub", "rub_per_unit"])
    for r in rates:
        writer.writerow(
            [r.table.in_force_date.isoformat(), code, r.nominal, f"{r.value:f}", f"{r.unit_rate.normalize():f}"]
        )
    return response


def currency_history_json(request, code):
    code, newest = _currency(code)
    add_cache_tags(request, tags.rates())
    rates, start, end, error = _history_rows(request, code)
    if error:
        return JsonResponse({"error": error}, status=400)
    payload = {
        "currency": code,
        "name": currency_name(newest.currency_id, newest.name, code),
        "source": SOURCE_NOTE,
        "note": "value_rub is roubles for `nominal` units; rub_per_unit is roubles for one unit. Decimals are strings.",
        "rates": [
            {
                "date": r.table.in_force_date.isoformat(),
                "nominal": r.nominal,
                "value_rub": f"{r.value:f}",
                "rub_per_unit": f"{r.unit_rate.normalize():f}",
            }
            for r in rates
        ],
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{_filename(code, start, end, "json")}"'
    return response
