"""Gazette's date styles: one per kind of place, defined here and nowhere else.

=============  ========================  ==============================================
Style          Looks like                Where
=============  ========================  ==============================================
masthead       Monday, Feb 26 2024       today's date in the masthead
long date      16 October 2014           the article's dateline and every other date a
                                         reader sees: listings, cards, search results,
                                         the exchange-rate pages, the widget and charts
timestamp      22/10/2016 05:13          a moment: comment times, fetch times (24-hour)
ISO            2014-10-16 / ...T03:00    machine-readable: ``<time datetime>``, form
                                         values, query strings
=============  ========================  ==============================================

Times are shown in the site's time zone (``TIME_ZONE``); plain dates are shown as they are.
Each style is a translatable format: a Russian site shows "понедельник, 26 февраля 2024" and
"16 октября 2014" (Django's ``E``: the month name in the genitive).
Feeds keep their standards, written by Django's feed framework: RFC 822 in RSS, RFC 3339 in
Atom. Templates use the filters of ``gazette_tags`` (``long_date``, ``timestamp``,
``comment_time``, ``iso_date``, ``iso_datetime``) and the ``masthead_date`` tag.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import pgettext_lazy

# Django date formats, translated per language (Russian: "l, j E Y", "j E Y", "d.m.Y H:i").
MASTHEAD_DATE = pgettext_lazy("masthead date format", "l, M j Y")  # Monday, Feb 26 2024
LONG_DATE = pgettext_lazy("long date format", "j F Y")  # 16 October 2014
TIMESTAMP = pgettext_lazy("timestamp format", "d/m/Y H:i")  # 22/10/2016 05:13


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def today() -> date:
    """Today's date in the site's time zone."""
    return timezone.localdate()


def masthead_date(now: datetime | None = None) -> str:
    """Today (or ``now``) in the site's time zone, as the masthead shows it."""
    return date_format(timezone.localtime(now), str(MASTHEAD_DATE))


def long_date(value: date | datetime | None) -> str:
    return date_format(_local(value), str(LONG_DATE)) if value else ""


def timestamp(value: datetime | None) -> str:
    return date_format(_local(value), str(TIMESTAMP)) if value else ""


def iso_date(value: date | datetime | None) -> str:
    if not value:
        return ""
    value = _local(value)
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def iso_datetime(value: date | datetime | None) -> str:
    """Whole seconds: HTML's ``datetime`` attribute allows at most three fractional digits."""
    if not value:
        return ""
    value = _local(value)
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value.isoformat()
