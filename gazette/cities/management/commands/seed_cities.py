from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext

from gazette.cities.services import seed_cities


class Command(BaseCommand):
    help = "Create the region's cities from the GeoNames gazetteer. Safe to re-run: editors' changes are kept."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would change and write nothing.")

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            created, updated = seed_cities()
            if dry_run:
                transaction.set_rollback(True)
        if dry_run:
            message = gettext("Would create %(created)d cities, would update %(updated)d.")
        else:
            message = gettext("Created %(created)d cities, updated %(updated)d.")
        self.stdout.write(self.style.SUCCESS(message % {"created": created, "updated": updated}))
