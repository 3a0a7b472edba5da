from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
                self.stdout.write(
                    _("Base model %(version)s: %(rows)s training rows.")
                    % {"version": model.version, "rows": model.trained_rows}
                )
                return
            result = classifier.retrain()
        except (OSError, ValueError) as err:
            raise CommandError(_("Cannot train the comment scorer: %(error)s") % {"error": err}) from err
        self.stdout.write(
            _(
                "Model %(version)s: learned from %(site)s site decisions; compared on %(held)s held-out decisions "
                "(Brier score %(new).4f, current %(previous)s %(old).4f)."
            )
            % {
                "version": result.version,
                "site": result.site_rows,
                "held": result.holdout_rows,
                "new": result.new_loss,
                "previous": result.previous,
                "old": result.old_loss,
            }
        )
        limits = result.thresholds
        values = {
            "hold_spam": limits.hold_spam,
            "hold_abuse": limits.hold_abuse,
            "bin_spam": limits.bin_spam,
            "bin_abuse": limits.bin_abuse,
        }
        if limits.settings_stand:
            self.stdout.write(
                _(
                    "Thresholds checked on %(held)s decisions, each scored by a model that had not learnt it: they do "
                    "not show the settings publishing more than %(budget)s%% unwanted comments, so those stand (held "
                    "from spam %(hold_spam).2f or abuse %(hold_abuse).2f); binned from spam %(bin_spam).2f or abuse "
                    "%(bin_abuse).2f."
                )
                % {
                    **values,
                    "held": limits.decisions,
                    "budget": f"{settings.GAZETTE_COMMENT_PUBLISH_WRONG_BUDGET * 100:g}",
                }
            )
        elif limits.from_site:
            self.stdout.write(
                _(
                    "Thresholds chosen on %(held)s decisions, each scored by a model that had not learnt it: held "
                    "from spam %(hold_spam).2f or abuse %(hold_abuse).2f, binned from spam %(bin_spam).2f or abuse "
                    "%(bin_abuse).2f."
                )
                % {**values, "held": limits.decisions}
            )
        else:
            self.stdout.write(
                _(
                    "No moderator decisions yet: the settings' thresholds stand (held from spam %(hold_spam).2f or "
                    "abuse %(hold_abuse).2f, binned from spam %(bin_spam).2f or abuse %(bin_abuse).2f)."
                )
                % values
            )
        if result.swapped:
            self.stdout.write(
                self.style.SUCCESS(_("%(version)s now scores new comments.") % {"version": result.version})
            )
        elif result.version == result.previous:
            self.stdout.write(_("Nothing new to learn: the current model stays."))
        else:
            self.stdout.write(
                self.style.WARNING(
                    _("Not better than %(previous)s, which stays current.") % {"previous": result.previous}
                )
            )
