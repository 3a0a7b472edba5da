from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from gazette.comments.models import ReaderComment
from gazette.comments.services import send_moderation_digest


class Command(BaseCommand):
    help = "E-mail the moderators a digest of the comments awaiting moderation (nothing when the queue is empty)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say how many comments are pending.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            pending = ReaderComment.objects.pending().count()
            message = ngettext(
                "%(count)d comment pending; no e-mail sent.", "%(count)d comments pending; no e-mail sent.", pending
            )
            self.stdout.write(message % {"count": pending})
            return
        n = send_moderation_digest()
        message = ngettext("Digest sent to %(count)d moderator.", "Digest sent to %(count)d moderators.", n)
        self.stdout.write(self.style.SUCCESS(message % {"count": n}))
