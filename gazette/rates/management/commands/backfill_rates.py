import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, gettext_lazy
from tqdm import tqdm

from gazette.rates.backends import RateSourceError
from gazette.rates.services import RatesError, fetch_rates, plan_backfill

from .fetch_rates import iso_date

COUNTED = {
    "stored": gettext_lazy("%(count)d stored"),
    "unchanged": gettext_lazy("%(count)d unchanged"),
    "failed": gettext_lazy("%(count)d failed"),
}


class Command(BaseCommand):
    help = (
        "Fetch every official table in a date range. Stops cleanly on Ctrl-C; a re-run skips "
        "what is already stored, so it resumes where it stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("start", type=iso_date, help="First date (YYYY-MM-DD).")
        parser.add_argument("end", type=iso_date, help="Last date (YYYY-MM-DD).")
        parser.add_argument("--source", default="default", help="Which GAZETTE_RATE_SOURCES entry to use.")
        parser.add_argument("--pause", type=float, default=1.0, help="Seconds between requests (be kind to the bank).")
        parser.add_argument(
            "--dry-run", action="store_true", help="List the dates that would be fetched; store nothing."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (for logs).")

    def handle(self, *args, **options):
        try:
            dates = plan_backfill(options["start"], options["end"], options["source"])
        except (ValueError, RateSourceError) as err:
            raise CommandError(str(err)) from err
        if options["dry_run"]:
            self.stdout.write(gettext("Dry run: %(count)d dates to fetch.") % {"count": len(dates)})
            for day in dates:
                self.stdout.write(f"  {day:%Y-%m-%d}")
            return
        counts = {"stored": 0, "unchanged": 0, "failed": 0}
        bar = tqdm(dates, unit="day", disable=options["no_progress"], file=self.stderr, desc=gettext("Rates"))
        try:
            for index, day in enumerate(bar):
                if index and options["pause"]:
                    time.sleep(options["pause"])
                try:
                    counts[fetch_rates(day, source=options["source"]).status] += 1
                except RatesError as err:
                    counts["failed"] += 1
                    bar.write(f"{day:%Y-%m-%d}: {err}")
                bar.set_postfix(counts)
        except KeyboardInterrupt:
            bar.close()
            self.stdout.write(self.style.WARNING(gettext("Interrupted; run the same command again to resume.")))
        finally:
            bar.close()
        summary = ", ".join(str(COUNTED[k]) % {"count": n} for k, n in counts.items())
        line = gettext("Backfill %(start)s to %(end)s: %(summary)s.")
        self.stdout.write(
            line % {"start": f"{options['start']:%Y-%m-%d}", "end": f"{options['end']:%Y-%m-%d}", "summary": summary}
        )
        if counts["failed"]:
            raise CommandError(
                gettext("%(count)d dates failed; run again to retry them.") % {"count": counts["failed"]}
            )
