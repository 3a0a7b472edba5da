from django.core.management.base import BaseCommand, CommandError

from gazette.comments import classifier


class Command(BaseCommand):
    help = (
        "Retrain the comment scorer from the shipped corpora plus this site's moderator decisions, and make "
        "the new model current only if it does at least as well on the held-out decisions. The worker also "
        "does this daily (GAZETTE_SCHEDULE). With --base-only: build the shipped-data model if it is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-only", action="store_true", help="Only make sure the shipped-data (base) model file exists."
        )

    def handle(self, *args, base_only=False, **options):
        try:
            if base_only:
                model = classifier.base_model()
                self.stdout.write(f"Base model {model.version}: {model.trained_rows} training rows.")
                return
            result = classifier.retrain()
        except (OSError, ValueError) as err:
            raise CommandError(f"Cannot train the comment scorer: {err}") from err
        self.stdout.write(
            f"Model {result.version}: learned from {result.site_rows} site decisions; compared on "
            f"{result.holdout_rows} held-out decisions (Brier score {result.new_loss:.4f}, "
            f"current {result.previous} {result.old_loss:.4f})."
        )
        if result.swapped:
            self.stdout.write(self.style.SUCCESS(f"{result.version} now scores new comments."))
        elif result.version == result.previous:
            self.stdout.write("Nothing new to learn: the current model stays.")
        else:
            self.stdout.write(self.style.WARNING(f"Not better than {result.previous}, which stays current."))
