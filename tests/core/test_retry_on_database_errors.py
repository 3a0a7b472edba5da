"""The scheduler and the background worker go on after a database error instead of exiting."""

import logging
from unittest import mock

import pytest
from django.core.management import get_commands
from django.db import OperationalError

from gazette.core import scheduler
from gazette.core.management.commands import db_worker

pytestmark = pytest.mark.django_db


def test_the_scheduler_loop_outlives_a_locked_database(caplog):
    calls = []

    def run_due(jobs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return []

    with mock.patch.object(scheduler, "run_due", side_effect=run_due), caplog.at_level(logging.WARNING):
        scheduler.run_forever([], tick=0.01, should_stop=lambda: len(calls) >= 3, report=lambda item: None)
    assert len(calls) == 3
    assert "Scheduler: database error (database is locked); trying again" in caplog.text


def test_manage_py_db_worker_is_the_retrying_worker():
    assert get_commands()["db_worker"] == "gazette.core"


def test_the_worker_starts_its_loop_again_after_a_database_error(caplog):
    worker = db_worker.RetryingWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    upstream_run = mock.Mock(side_effect=[OperationalError("lock timeout"), OperationalError("gone"), None])
    with (
        mock.patch.object(db_worker.upstream.Worker, "run", upstream_run),
        mock.patch.object(db_worker.time, "sleep") as sleep,
        caplog.at_level(logging.WARNING),
    ):
        worker.run()
    assert upstream_run.call_count == 3
    assert [c.args[0] for c in sleep.call_args_list] == [1.0, 2.0]
    assert "Background worker: database error (lock timeout); trying again in 1 s" in caplog.text


def test_a_worker_asked_to_stop_does_not_retry():
    worker = db_worker.RetryingWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.running = False
    with (
        mock.patch.object(db_worker.upstream.Worker, "run", side_effect=OperationalError("gone")),
        pytest.raises(OperationalError),
    ):
        worker.run()
