from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

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
        if dry_run:
            message = ngettext(
                "%(count)d IP address older than %(days)d days would be truncated.",
                "%(count)d IP addresses older than %(days)d days would be truncated.",
                n,
            )
        else:
            message = ngettext(
                "%(count)d IP address older than %(days)d days truncated.",
                "%(count)d IP addresses older than %(days)d days truncated.",
                n,
            )
        self.stdout.write(self.style.SUCCESS(message % {"count": n, "days": days}))
        n = forget_old_reporters(dry_run=dry_run)
        if dry_run:
            message = ngettext(
                "%(count)d report fingerprint older than %(days)d days would be blanked.",
                "%(count)d report fingerprints older than %(days)d days would be blanked.",
                n,
            )
        else:
            message = ngettext(
                "%(count)d report fingerprint older than %(days)d days blanked.",
                "%(count)d report fingerprints older than %(days)d days blanked.",
                n,
            )
        self.stdout.write(self.style.SUCCESS(message % {"count": n, "days": days}))
