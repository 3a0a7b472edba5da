from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gazette.core.dates import long_date
from gazette.rates.services import RatesError, fetch_rates


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise CommandError(f"{value!r} is not a date like 2024-03-28") from err


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
            raise CommandError(f"Rates refused: {err}") from err
        table = outcome.table
        summary = (
            f"table in force from {long_date(table.in_force_date)}, {len(table.rates)} currencies ({outcome.origin})"
        )
        if outcome.status == "dry-run":
            self.stdout.write(f"Dry run: would store the {summary}.")
            usd = table.by_code().get("USD")
            if usd:
                self.stdout.write(f"  USD: {usd.value} RUB for {usd.nominal}")
        elif outcome.status == "stored":
            self.stdout.write(self.style.SUCCESS(f"Stored the {summary}."))
        else:
            self.stdout.write(f"Already stored, nothing changed: {summary}.")
