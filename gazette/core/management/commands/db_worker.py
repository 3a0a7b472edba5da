"""django-tasks-db's ``db_worker``, which outlives database errors.

The upstream worker retries only a "database is locked" met while claiming a task; any other
database error (a lock met while recording a result, PostgreSQL's lock_timeout, a lost
connection) ends the process. Here the worker logs it, drops the connection and starts its loop
again after a pause that doubles from 1 s up to 30 s while the errors go on (back to 1 s once it
has run for a minute). (``gazette.core``
comes before ``django_tasks_db`` in INSTALLED_APPS, so ``manage.py db_worker`` is this command.)
"""

import logging
import time

from django.db import DatabaseError, connections
from django_tasks_db.management.commands import db_worker as upstream

logger = logging.getLogger("gazette.core.worker")

RETRY_FIRST = 1.0
RETRY_MAX = 30.0


class RetryingWorker(upstream.Worker):
    def run(self) -> None:
        pause = RETRY_FIRST
        while True:
            started = time.monotonic()
            try:
                return super().run()
            except DatabaseError as err:
                if not self.running:
                    raise
                if time.monotonic() - started > 60:
                    pause = RETRY_FIRST
                logger.warning("Background worker: database error (%s); trying again in %.0f s", err, pause)
                connections.close_all()
                time.sleep(pause)
                pause = min(RETRY_MAX, pause * 2)


class Command(upstream.Command):
    help = upstream.Command.help + " (retrying after database errors)"

    def handle(self, *args, **options) -> None:
        # The upstream command builds its worker from the module's ``Worker``.
        original = upstream.Worker
        upstream.Worker = RetryingWorker
        try:
            super().handle(*args, **options)
        finally:
            upstream.Worker = original
