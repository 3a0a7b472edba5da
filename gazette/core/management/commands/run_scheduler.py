import signal

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext, ngettext

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
        line = gettext("%(time)s enqueued %(job)s (%(id)s)")
        self.stdout.write(
            line % {"time": f"{timezone.now():%Y-%m-%d %H:%M:%S}", "job": item.job.name, "id": item.result_id}
        )

    def handle(self, *args, **options):
        try:
            jobs = load_schedule()
        except ImproperlyConfigured as err:
            raise CommandError(str(err)) from err
        if options["dry_run"]:
            now = timezone.now()
            for job in jobs:
                line = gettext("%(job)s: every %(seconds)s s, current slot %(slot)s UTC")
                self.stdout.write(
                    line % {"job": job.name, "seconds": job.every, "slot": f"{job.slot(now):%Y-%m-%d %H:%M:%S}"}
                )
            return
        if options["once"]:
            enqueued = run_due(jobs)
            for item in enqueued:
                self.report(item)
            line = ngettext("%(count)d of %(total)d job enqueued.", "%(count)d of %(total)d jobs enqueued.", len(jobs))
            self.stdout.write(line % {"count": len(enqueued), "total": len(jobs)})
            return
        stopping = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.append(True))
        line = ngettext(
            "Scheduler started with %(count)d job: %(names)s",
            "Scheduler started with %(count)d jobs: %(names)s",
            len(jobs),
        )
        self.stdout.write(line % {"count": len(jobs), "names": ", ".join(j.name for j in jobs)})
        run_forever(jobs, options["tick"], lambda: bool(stopping), self.report)
        self.stdout.write(gettext("Scheduler stopped."))
