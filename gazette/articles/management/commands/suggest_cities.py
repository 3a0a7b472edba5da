from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import ngettext

from gazette.articles.models import ArticlePage
from gazette.cities.services import update_suggestions


class Command(BaseCommand):
    help = (
        "Find the cities each article names and offer them as suggestions in the editor, for articles "
        "that never went through the editor (imports) or after cities or spellings were added."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the suggestions and store nothing.")

    def handle(self, *args, dry_run=False, **options):
        articles = suggestions = 0
        with transaction.atomic():
            for page in ArticlePage.objects.order_by("pk").iterator(chunk_size=200):
                pending = update_suggestions(page.get_latest_revision_as_object())
                articles += 1
                suggestions += len(pending)
                if pending:
                    names = ", ".join(s.city.name for s in pending)
                    self.stdout.write(f"{page.title}: {names}")
            if dry_run:
                transaction.set_rollback(True)
        checked = ngettext("%(count)d article checked", "%(count)d articles checked", articles) % {"count": articles}
        if dry_run:
            offered = ngettext(
                "%(count)d suggestion would be offered.", "%(count)d suggestions would be offered.", suggestions
            )
        else:
            offered = ngettext("%(count)d suggestion offered.", "%(count)d suggestions offered.", suggestions)
        self.stdout.write(self.style.SUCCESS(f"{checked}; {offered % {'count': suggestions}}"))
