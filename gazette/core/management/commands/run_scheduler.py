import signal

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gazette.core.scheduler import Enqueued, load_schedule, run_due, run_forever


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs of GAZETTE_SCHEDULE when they are due (run it beside "
        "`manage.py db_worker`, which runs them). Several schedulers may run at once safely."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue what is due now, then exit.")
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between checks (default 5).")
        parser.add_argument("--dry-run", action="store_true", help="Show the schedule and each job's current slot.")

    def report(self, item: Enqueued) -> None:
        self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} enqueued {item.job.name} ({item.result_id})")

    def handle(self, *args, **options):
        try:
            jobs = load_schedule()
        except ImproperlyConfigured as err:
            raise CommandError(str(err)) from err
        if options["dry_run"]:
            now = timezone.now()
            for job in jobs:
                self.stdout.write(
                    f"{job.name}: every {job.every} s, current slot {job.slot(now):%Y-%m-%d %H:%M:%S} UTC"
                )
            return
        if options["once"]:
            enqueued = run_due(jobs)
            for item in enqueued:
                self.report(item)
            self.stdout.write(f"{len(enqueued)} of {len(jobs)} jobs enqueued.")
            return
        stopping = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.append(True))
        self.stdout.write(f"Scheduler started with {len(jobs)} jobs: {', '.join(j.name for j in jobs)}")
        run_forever(jobs, options["tick"], lambda: bool(stopping), self.report)
        self.stdout.write("Scheduler stopped.")
