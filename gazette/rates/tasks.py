"""Background work: the scheduler (``manage.py run_scheduler``) enqueues these periodically."""

import logging

from django_tasks import task

from gazette.core.dates import long_date

logger = logging.getLogger(__name__)


@task()
def fetch_latest_rates() -> str:
    """Fetch the newest official table unless it is already stored.

    A refused or failed fetch is recorded (the admin shows it) and re-raised so the task
    result is marked failed too; the last good table stays in place for readers.
    """
    from .services import fetch_latest_rates as fetch

    outcome = fetch()
    if outcome is None:
        return "up to date"
    return f"{outcome.status}: table of {long_date(outcome.table.in_force_date)}"
