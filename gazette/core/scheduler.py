"""Periodic jobs without cron: ``manage.py run_scheduler`` enqueues them, ``db_worker`` runs them.

The schedule is the setting ``GAZETTE_SCHEDULE``, a list of dicts (every app adds its jobs)::

    GAZETTE_SCHEDULE = [
        {"task": "gazette.core.scheduler.publish_scheduled_pages", "every": 60},
        {"task": "gazette.rates.tasks.fetch_latest_rates", "every": 3600},
        {"name": "nightly-digest", "task": "gazette.comments.tasks.send_digest", "every": 86400,
         "offset": 6 * 3600, "kwargs": {"limit": 50}},
    ]

``task`` is the dotted path of a task (a function decorated with ``@task()``); ``every`` is the
period in seconds; ``offset`` shifts the period's start from the Unix epoch (``86400`` with
offset ``21600`` runs at 06:00 UTC); ``name`` defaults to ``task``; ``args``/``kwargs`` are
passed to ``enqueue``.

Time is cut into *slots* of ``every`` seconds. A job runs once per slot: the scheduler claims
the slot by inserting a :class:`~gazette.core.models.ScheduledJobRun` row whose (job, slot)
pair is unique, and enqueues the task only if the insert succeeded. Several scheduler
processes (two servers, or a restart overlapping the old process) therefore never enqueue the
same slot twice, and a scheduler that starts mid-slot runs the current slot at once (so the
first rates fetch happens as soon as ``make run`` starts). Slots missed while no scheduler ran
are not replayed: every job here is "bring things up to date", which the next slot does.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger(__name__)

DEFAULT_SCHEDULE = [
    {"task": "gazette.core.scheduler.publish_scheduled_pages", "every": 60},
    {"task": "gazette.rates.tasks.fetch_latest_rates", "every": 3600},
]
# Claimed slots older than this are deleted (they only need to outlive overlapping schedulers).
KEEP_RUNS = timedelta(days=7)
# Longest pause between two checks while the database keeps failing (seconds).
RETRY_MAX = 30.0


@task()
def publish_scheduled_pages() -> str:
    """Wagtail's scheduled publishing and expiry (its ``publish_scheduled`` command) as a task."""
    call_command("publish_scheduled", verbosity=0)
    return "done"


@dataclass(frozen=True)
class Job:
    name: str
    task_path: str
    every: int
    offset: int = 0
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)

    def slot(self, now: datetime) -> datetime:
        """The start of the period ``now`` falls in (UTC)."""
        seconds = int(now.timestamp()) - self.offset
        start = seconds - seconds % self.every + self.offset
        return datetime.fromtimestamp(start, tz=UTC)

    def get_task(self):
        try:
            target = import_string(self.task_path)
        except ImportError as err:
            raise ImproperlyConfigured(f"GAZETTE_SCHEDULE: cannot import {self.task_path!r}: {err}") from err
        if not callable(getattr(target, "enqueue", None)):
            raise ImproperlyConfigured(f"GAZETTE_SCHEDULE: {self.task_path!r} is not a task (decorate it with @task())")
        return target


def load_schedule(entries: list[dict] | None = None) -> list[Job]:
    """Validate ``GAZETTE_SCHEDULE`` (or ``entries``) into jobs; a mistake fails loudly at start."""
    if entries is None:
        entries = getattr(settings, "GAZETTE_SCHEDULE", DEFAULT_SCHEDULE)
    jobs, names = [], set()
    for entry in entries:
        if "task" not in entry or "every" not in entry:
            raise ImproperlyConfigured(f"GAZETTE_SCHEDULE entry {entry!r} needs 'task' and 'every'")
        every = int(entry["every"])
        if every < 1:
            raise ImproperlyConfigured(f"GAZETTE_SCHEDULE entry {entry!r}: 'every' must be at least 1 second")
        job = Job(
            name=entry.get("name", entry["task"]),
            task_path=entry["task"],
            every=every,
            offset=int(entry.get("offset", 0)) % every,
            args=tuple(entry.get("args", ())),
            kwargs=dict(entry.get("kwargs", {})),
        )
        if job.name in names:
            raise ImproperlyConfigured(f"GAZETTE_SCHEDULE has two jobs named {job.name!r}; give one a 'name'")
        names.add(job.name)
        job.get_task()
        jobs.append(job)
    return jobs


@dataclass
class Enqueued:
    job: Job
    slot: datetime
    result_id: str


def claim(job: Job, slot: datetime) -> bool:
    """Insert the (job, slot) row; ``False`` when another scheduler already has it."""
    from .models import ScheduledJobRun

    try:
        with transaction.atomic():
            ScheduledJobRun.objects.create(job=job.name, slot=slot)
    except IntegrityError:
        return False
    return True


def run_due(jobs: list[Job], now: datetime | None = None) -> list[Enqueued]:
    """Enqueue every job whose current slot nobody has claimed yet; return what was enqueued."""
    from .models import ScheduledJobRun

    now = now or timezone.now()
    enqueued = []
    for job in jobs:
        slot = job.slot(now)
        if not claim(job, slot):
            continue
        try:
            result = job.get_task().enqueue(*job.args, **job.kwargs)
        except Exception:
            # Give the slot back so the next tick (here or in another scheduler) tries again.
            ScheduledJobRun.objects.filter(job=job.name, slot=slot).delete()
            logger.exception("Could not enqueue %s for %s", job.name, slot)
            continue
        ScheduledJobRun.objects.filter(job=job.name, slot=slot).update(task_result_id=str(result.id)[:64])
        logger.info("Enqueued %s for slot %s (%s)", job.name, slot.isoformat(), result.id)
        enqueued.append(Enqueued(job, slot, str(result.id)))
    return enqueued


def prune(now: datetime | None = None) -> int:
    from .models import ScheduledJobRun

    deleted, _ = ScheduledJobRun.objects.filter(slot__lt=(now or timezone.now()) - KEEP_RUNS).delete()
    return deleted


def run_forever(
    jobs: list[Job], tick: float, should_stop: Callable[[], bool], report: Callable[[Enqueued], None]
) -> None:
    """Check for due jobs every ``tick`` seconds until ``should_stop()``.

    A database error (a lock held past the wait bound, a lost connection) does not stop the
    scheduler: it is logged, the connection is dropped, and the check is tried again after a
    pause that doubles from one tick up to RETRY_MAX seconds while the errors go on.
    """
    last_prune = 0.0
    failures = 0
    while not should_stop():
        close_old_connections()
        try:
            for item in run_due(jobs):
                report(item)
            if time.monotonic() - last_prune > 3600:
                prune()
                last_prune = time.monotonic()
        except DatabaseError as err:
            failures += 1
            pause = min(RETRY_MAX, tick * 2 ** (failures - 1))
            logger.warning("Scheduler: database error (%s); trying again in %.0f s", err, pause)
            connection.close()
        else:
            failures, pause = 0, tick
        deadline = time.monotonic() + pause
        while not should_stop() and time.monotonic() < deadline:
            time.sleep(min(0.5, tick))
