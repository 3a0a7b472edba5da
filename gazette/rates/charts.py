"""Charts drawn on the server as inline SVG: no JavaScript, no image requests, and a text
alternative for every chart (``role="img"`` with a ``<title>`` summarising the figures)."""

from datetime import date
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from gazette.core.dates import long_date


def _points(series: list[tuple[date, Decimal]], width: float, height: float, pad: float) -> list[tuple[float, float]]:
    first, last = series[0][0], series[-1][0]
    span_days = max((last - first).days, 1)
    values = [v for _, v in series]
    low, high = min(values), max(values)
    spread = (high - low) or Decimal(1)
    points = []
    for day, value in series:
        x = pad + (width - 2 * pad) * (day - first).days / span_days
        y = pad + (height - 2 * pad) * float((high - value) / spread)
        points.append((round(x, 1), round(y, 1)))
    return points


def describe(series: list[tuple[date, Decimal]], label: str, fmt=str) -> str:
    """A sentence a screen reader gets instead of the picture."""
    values = [v for _, v in series]
    (d0, v0), (d1, v1) = series[0], series[-1]
    return gettext(
        "%(label)s: %(first)s on %(first_date)s, %(last)s on %(last_date)s; lowest %(lowest)s, highest %(highest)s"
    ) % {
        "label": label,
        "first": fmt(v0),
        "first_date": long_date(d0),
        "last": fmt(v1),
        "last_date": long_date(d1),
        "lowest": fmt(min(values)),
        "highest": fmt(max(values)),
    }


def sparkline(series: list[tuple[date, Decimal]], label: str, fmt=str, width: int = 96, height: int = 24) -> str:
    """A small line of ``series``; empty when fewer than two points make no line."""
    if len(series) < 2:
        return ""
    path = " ".join(f"{x},{y}" for x, y in _points(series, width, height, 2))
    return format_html(
        '<svg class="sparkline" role="img" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>'
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{p}"/></svg>',
        w=width,
        h=height,
        t=describe(series, label, fmt),
        p=path,
    )


def line_chart(series: list[tuple[date, Decimal]], label: str, fmt=str, width: int = 640, height: int = 240) -> str:
    """A chart with its lowest/highest values and first/last dates written on the axes."""
    if len(series) < 2:
        return ""
    pad_x, pad_y = 64, 24
    inner = _points(series, width - pad_x, height - pad_y, 8)
    points = " ".join(f"{x + pad_x},{y}" for x, y in inner)
    values = [v for _, v in series]
    dots = "".join(f'<circle cx="{x + pad_x}" cy="{y}" r="2"/>' for x, y in inner) if len(series) <= 60 else ""
    return format_html(
        '<svg class="rates-chart" role="img" viewBox="0 0 {w} {h}" preserveAspectRatio="xMidYMid meet" '
        'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>'
        '<g class="rates-chart__axis" font-size="12" fill="currentColor">'
        '<text x="{lx}" y="18" text-anchor="end">{high}</text>'
        '<text x="{lx}" y="{ylow}" text-anchor="end">{low}</text>'
        '<text x="{px}" y="{yd}">{d0}</text><text x="{w}" y="{yd}" text-anchor="end">{d1}</text></g>'
        '<line x1="{px}" y1="0" x2="{px}" y2="{ybase}" stroke="currentColor" stroke-width="0.5"/>'
        '<polyline fill="none" stroke="currentColor" stroke-width="2" points="{p}"/>'
        '<g fill="currentColor">{dots}</g></svg>',
        w=width,
        h=height,
        t=describe(series, label, fmt),
        lx=pad_x - 6,
        px=pad_x,
        high=fmt(max(values)),
        low=fmt(min(values)),
        ylow=height - pad_y - 4,
        ybase=height - pad_y,
        yd=height - 6,
        d0=long_date(series[0][0]),
        d1=long_date(series[-1][0]),
        p=points,
        dots=mark_safe(dots),  # noqa: S308 - numbers we formatted
    )
