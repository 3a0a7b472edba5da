from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gazette.comments import classifier


class Command(BaseCommand):
    help = (
        "Load the spam classifier's bootstrap corpus (TubeSpam) into an empty model. Moderators' decisions "
        "train it afterwards; this only matters on a fresh database, where the first comment does it anyway."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only read the corpus and say what it holds.")

    def handle(self, *args, dry_run=False, **options):
        path = Path(classifier.BOOTSTRAP_CSV)
        try:
            rows = classifier.read_corpus(path)
        except (OSError, KeyError) as err:
            raise CommandError(f"Cannot read {path}: {err}") from err
        spam = sum(1 for _, label in rows if label == classifier.SPAM)
        self.stdout.write(f"{path.name}: {len(rows)} comments, {spam} spam.")
        if not dry_run:
            classifier.ensure_bootstrapped()
            self.stdout.write(self.style.SUCCESS("The classifier is bootstrapped."))
