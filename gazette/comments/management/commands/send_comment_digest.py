from django.core.management.base import BaseCommand

from gazette.comments.models import ReaderComment
from gazette.comments.services import send_moderation_digest


class Command(BaseCommand):
    help = "E-mail the moderators a digest of the comments awaiting moderation (nothing when the queue is empty)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say how many comments are pending.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            self.stdout.write(f"{ReaderComment.objects.pending().count()} comment(s) pending; no e-mail sent.")
            return
        n = send_moderation_digest()
        self.stdout.write(self.style.SUCCESS(f"Digest sent to {n} moderator(s)."))
