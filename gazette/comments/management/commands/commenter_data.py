import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils.translation import gettext, ngettext

from gazette.comments.services import erase_commenter, export_commenter


class Command(BaseCommand):
    help = (
        "Export (as JSON) or erase everything stored about a commenter, found by e-mail address, "
        "as the privacy policy promises."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The commenter's e-mail address.")
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--export", action="store_true", help="Print everything stored about them as JSON.")
        action.add_argument("--erase", action="store_true", help="Delete their comments and their history.")
        parser.add_argument("--output", help="With --export: write the JSON to this file instead of the screen.")
        parser.add_argument("--dry-run", action="store_true", help="With --erase: only count what would be deleted.")

    def handle(self, *args, email, export=False, erase=False, output=None, dry_run=False, **options):
        try:
            validate_email(email)
        except ValidationError as err:
            raise CommandError(gettext("%(email)r is not an e-mail address.") % {"email": email}) from err
        if export:
            data = json.dumps(export_commenter(email), ensure_ascii=False, indent=2)
            if output:
                try:
                    with open(output, "w", encoding="utf-8") as f:
                        f.write(data)
                except OSError as err:
                    raise CommandError(
                        gettext("Cannot write %(path)s: %(error)s") % {"path": output, "error": err}
                    ) from err
                self.stdout.write(self.style.SUCCESS(gettext("Written to %(path)s.") % {"path": output}))
            else:
                self.stdout.write(data)
            return
        n = erase_commenter(email, dry_run=dry_run)
        if dry_run:
            message = ngettext("%(count)d comment would be erased.", "%(count)d comments would be erased.", n)
        else:
            message = ngettext("%(count)d comment erased.", "%(count)d comments erased.", n)
        self.stdout.write(self.style.SUCCESS(message % {"count": n}))
