"""Fetching, storing and reading official exchange rates: what commands, tasks and views share.

Storing is all-or-nothing and idempotent: a table is parsed and checked completely before a
transaction writes it with all its lines; a table already stored for the same in-force date
with the same figures is "unchanged"; a different one for the same date is refused (the bank
does not revise tables, so a difference means a bad answer). Every fetch, including refused
ones, leaves a :class:`~gazette.rates.models.FetchAttempt` so the admin can show the last
success and the last error. A new table purges the ``rates`` cache tag.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from gazette.core import tags
from gazette.core.invalidation import purge_tags

from .backends import FetchedBody, RateSourceError, get_source
from .models import FetchAttempt, Rate, RateTable
from .parsers import DailyTable, RateDataError, parse_daily

logger = logging.getLogger(__name__)

MOSCOW = ZoneInfo("Europe/Moscow")
# The bank sets rates on working days for the next day: tables come into force Tuesday to
# Saturday (Saturday's also covers Sunday and Monday). Monday=0 ... Sunday=6.
IN_FORCE_WEEKDAYS = {1, 2, 3, 4, 5}
# An answer for a requested date must be in force between these bounds around it: the bank
# may answer with tomorrow's table, and the longest gap (New Year holidays) is under 20 days.
MAX_DAYS_AHEAD = 1
MAX_DAYS_BEHIND = 20
ATTEMPTS_KEPT_DAYS = 90

RatesError = (RateSourceError, RateDataError)


@dataclass
class FetchOutcome:
    """What a fetch did: ``status`` is a :class:`FetchAttempt.Status` value or ``"dry-run"``."""

    status: str
    table: DailyTable | None = None
    stored: RateTable | None = None
    origin: str = ""
    notes: list[str] = field(default_factory=list)


def moscow_today(now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), MOSCOW).date()


def next_moscow_midnight(now: datetime | None = None) -> datetime:
    """When the next Moscow day begins: the in-force table and what counts as old change then."""
    day = moscow_today(now) + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=MOSCOW)


def expected_in_force_date(day: date) -> date:
    """The newest in-force date a complete archive has on ``day`` (weekends and Mondays fall back
    to Saturday). Public holidays are not known here, so on a holiday the widget may call a
    table older than expected: it says so in words, which is true enough for a reader."""
    while day.weekday() not in IN_FORCE_WEEKDAYS:
        day -= timedelta(days=1)
    return day


def _check_dates(table: DailyTable, requested: date | None) -> None:
    if requested is None:
        return
    if table.in_force_date > requested + timedelta(days=MAX_DAYS_AHEAD):
        raise RateDataError(
            gettext_noop("asked for %(requested)s but the table is in force from %(in_force)s"),
            requested=requested,
            in_force=table.in_force_date,
        )
    if table.in_force_date < requested - timedelta(days=MAX_DAYS_BEHIND):
        raise RateDataError(
            gettext_noop("asked for %(requested)s but got an old table of %(in_force)s"),
            requested=requested,
            in_force=table.in_force_date,
        )


def _same_figures(stored: RateTable, table: DailyTable) -> bool:
    have = set(stored.rates.values_list("currency_id", "char_code", "nominal", "value"))
    new = {(r.currency_id, r.char_code, r.nominal, r.value) for r in table.rates}
    return have == new


def store_table(table: DailyTable, *, origin: str, requested: date | None = None) -> tuple[RateTable, bool]:
    """Store ``table`` whole; return ``(stored table, created)``. Raises :class:`RateDataError`
    when a different table is already stored for the same in-force date."""
    existing = RateTable.objects.filter(in_force_date=table.in_force_date).first()
    if existing is None:
        try:
            with transaction.atomic():
                stored = RateTable.objects.create(
                    in_force_date=table.in_force_date,
                    requested_date=requested,
                    fetched_at=timezone.now(),
                    source=origin,
                )
                Rate.objects.bulk_create(
                    Rate(
                        table=stored,
                        currency_id=r.currency_id,
                        num_code=r.num_code,
                        char_code=r.char_code,
                        nominal=r.nominal,
                        name=r.name,
                        value=r.value,
                        unit_rate=r.unit_rate,
                        vunit_rate=r.vunit_rate,
                    )
                    for r in table.rates
                )
                purge_tags({tags.rates()})
            return stored, True
        except IntegrityError:
            # Another process stored the same date between our check and our insert.
            existing = RateTable.objects.filter(in_force_date=table.in_force_date).first()
            if existing is None:
                raise
    if not _same_figures(existing, table):
        raise RateDataError(
            gettext_noop("a different table for %(date)s is already stored; the new answer is refused"),
            date=table.in_force_date,
        )
    return existing, False


def _record(started: datetime, requested: date | None, origin: str, status: str, **extra) -> FetchAttempt:
    attempt = FetchAttempt.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        requested_date=requested,
        source=origin[:200],
        status=status,
        **extra,
    )
    FetchAttempt.objects.filter(started_at__lt=timezone.now() - timedelta(days=ATTEMPTS_KEPT_DAYS)).delete()
    return attempt


def fetch_rates(
    on: date | None = None, *, source: str = "default", file: Path | None = None, dry_run: bool = False
) -> FetchOutcome:
    """Fetch the table for ``on`` (from source ``source``, or read ``file``), check and store it.

    Raises :class:`RateSourceError` or :class:`RateDataError` after recording the failure;
    with ``dry_run`` nothing at all is written (not even the attempt).
    """
    started = timezone.now()
    origin = str(file) if file else source
    try:
        if file is not None:
            try:
                body = FetchedBody(content=Path(file).read_bytes(), origin=str(file))
            except OSError as err:
                raise RateSourceError(gettext_noop("Cannot read %(file)s: %(error)s"), file=file, error=err) from err
        else:
            body = get_source(source).daily(on)
        origin = body.origin
        table = parse_daily(body.content)
        _check_dates(table, on)
        if dry_run:
            return FetchOutcome(status="dry-run", table=table, origin=origin)
        stored, created = store_table(table, origin=origin, requested=on)
    except RatesError as err:
        logger.warning("Exchange rates not stored (%s): %s", origin, err.english())
        if not dry_run:
            _record(
                started,
                on,
                origin,
                FetchAttempt.Status.FAILED,
                error=err.english(),
                error_message=err.message.as_json(),
            )
        raise
    status = FetchAttempt.Status.STORED if created else FetchAttempt.Status.UNCHANGED
    _record(started, on, origin, status, in_force_date=table.in_force_date)
    return FetchOutcome(status=status, table=table, stored=stored, origin=origin)


def fetch_latest_rates(source: str = "default", now: datetime | None = None) -> FetchOutcome | None:
    """Fetch tomorrow's table if the bank may have set it and we do not have it yet.

    Returns ``None`` without asking the bank when the newest stored table is already the
    newest one that can exist (so an hourly schedule costs the bank a request or two a day).
    """
    tomorrow = moscow_today(now) + timedelta(days=1)
    latest = RateTable.objects.order_by("-in_force_date").values_list("in_force_date", flat=True).first()
    if latest is not None and latest >= expected_in_force_date(tomorrow):
        return None
    return fetch_rates(tomorrow, source=source)


def plan_backfill(start: date, end: date, source: str = "default") -> list[date]:
    """Dates in ``[start, end]`` still to fetch: skips what is stored, so a re-run resumes."""
    if end < start:
        raise ValueError(gettext("The end date is before the start date."))
    dates = get_source(source).in_force_dates(start, end)
    if dates is None:
        dates = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    stored = set(RateTable.objects.filter(in_force_date__range=(start, end)).values_list("in_force_date", flat=True))
    asked = set(RateTable.objects.filter(requested_date__range=(start, end)).values_list("requested_date", flat=True))
    return [d for d in dates if d not in stored and d not in asked]


# Reading --------------------------------------------------------------------------------------


def table_on(day: date | None = None) -> RateTable | None:
    """The table in force on ``day`` (the newest on or before it); the newest of all for ``None``."""
    tables = RateTable.objects.order_by("-in_force_date")
    if day is not None:
        tables = tables.filter(in_force_date__lte=day)
    return tables.first()


def previous_table(table: RateTable) -> RateTable | None:
    return RateTable.objects.filter(in_force_date__lt=table.in_force_date).order_by("-in_force_date").first()


def currency_history(char_code: str, start: date | None = None, end: date | None = None) -> list[tuple[date, Decimal]]:
    """``[(in-force date, roubles per unit), ...]`` oldest first; per unit, so nominal changes
    (CNY per 10 in 2022, per 1 in 2023) do not show as jumps."""
    rates = Rate.objects.filter(char_code=char_code.upper())
    if start:
        rates = rates.filter(table__in_force_date__gte=start)
    if end:
        rates = rates.filter(table__in_force_date__lte=end)
    return list(rates.order_by("table__in_force_date").values_list("table__in_force_date", "unit_rate"))


def fetch_status() -> dict:
    """What the admin shows: the newest table, the last success and the last failure."""
    ok = (FetchAttempt.Status.STORED, FetchAttempt.Status.UNCHANGED)
    return {
        "latest_table": table_on(None),
        "last_success": FetchAttempt.objects.filter(status__in=ok).first(),
        "last_failure": FetchAttempt.objects.filter(status=FetchAttempt.Status.FAILED).first(),
        "recent": list(FetchAttempt.objects.all()[:20]),
        "expected": expected_in_force_date(moscow_today()),
    }


DEMO_DATA = Path(__file__).parent / "demo_data"


def load_table_files(folder: Path = DEMO_DATA) -> int:
    """Store every saved daily table in ``folder`` (the demo's real tables); returns how many
    were new. Idempotent, and records no fetch attempts: nothing was fetched."""
    created = 0
    for file in sorted(folder.glob("*.xml")):
        table = parse_daily(file.read_bytes())
        created += store_table(table, origin=f"demo: {file.name}")[1]
    return created
