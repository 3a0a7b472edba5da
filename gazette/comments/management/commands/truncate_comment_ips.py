from django.conf import settings
from django.core.management.base import BaseCommand

from gazette.comments.services import forget_old_reporters, truncate_old_ips


class Command(BaseCommand):
    help = (
        "Truncate commenters' IP addresses kept longer than GAZETTE_COMMENT_IP_RETENTION_DAYS (IPv4 /24, IPv6 /48) "
        "and blank the address fingerprints of readers' reports as old."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the addresses due for truncation.")

    def handle(self, *args, dry_run=False, **options):
        n = truncate_old_ips(dry_run=dry_run)
        days = getattr(settings, "GAZETTE_COMMENT_IP_RETENTION_DAYS", 30)
        verb = "would be truncated" if dry_run else "truncated"
        self.stdout.write(self.style.SUCCESS(f"{n} IP address(es) older than {days} days {verb}."))
        n = forget_old_reporters(dry_run=dry_run)
        verb = "would be blanked" if dry_run else "blanked"
        self.stdout.write(self.style.SUCCESS(f"{n} report fingerprint(s) older than {days} days {verb}."))
