from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from gazette.core.dates import long_date
from gazette.rates.services import RatesError, fetch_rates


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise CommandError(gettext("%(value)r is not a date like 2024-03-28") % {"value": value}) from err


class Command(BaseCommand):
    help = "Fetch the Bank of Russia's official table for a date (or read a saved file), check it and store it."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=iso_date, help="The date to fetch (YYYY-MM-DD); default: the newest table.")
        parser.add_argument("--file", type=Path, help="Read a saved XML_daily answer instead of asking the source.")
        parser.add_argument("--source", default="default", help="Which GAZETTE_RATE_SOURCES entry to use.")
        parser.add_argument("--dry-run", action="store_true", help="Fetch and check, but store nothing.")

    def handle(self, *args, **options):
        try:
            outcome = fetch_rates(
                options["date"], source=options["source"], file=options["file"], dry_run=options["dry_run"]
            )
        except RatesError as err:
            raise CommandError(gettext("Rates refused: %(error)s") % {"error": err}) from err
        table = outcome.table
        facts = {"date": long_date(table.in_force_date), "count": len(table.rates), "origin": outcome.origin}
        if outcome.status == "dry-run":
            line = gettext("Dry run: would store the table in force from %(date)s, %(count)d currencies (%(origin)s).")
            self.stdout.write(line % facts)
            usd = table.by_code().get("USD")
            if usd:
                self.stdout.write(
                    "  " + gettext("USD: %(value)s RUB for %(nominal)s") % {"value": usd.value, "nominal": usd.nominal}
                )
        elif outcome.status == "stored":
            line = gettext("Stored the table in force from %(date)s, %(count)d currencies (%(origin)s).")
            self.stdout.write(self.style.SUCCESS(line % facts))
        else:
            line = gettext(
                "Already stored, nothing changed: table in force from %(date)s, %(count)d currencies (%(origin)s)."
            )
            self.stdout.write(line % facts)
