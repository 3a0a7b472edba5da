from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, gettext_lazy, ngettext

from gazette.wordpress.parser import WxrError
from gazette.wordpress.services import BATCH_SIZE, CONTENT_LEFT_OUT, OUTCOMES, ImportReport, import_wordpress

# The report's kinds and outcomes in the reader's language. Other post types, and the states
# items had in WordPress (publish, draft, approved...), keep WordPress's own words: they are
# what the newsroom sees in its old admin.
KINDS = {
    "posts": gettext_lazy("posts"),
    "authors": gettext_lazy("authors"),
    "attachments": gettext_lazy("attachments"),
    "comments": gettext_lazy("comments"),
    "redirects": gettext_lazy("redirects"),
    "articles": gettext_lazy("articles"),
    "comment status": gettext_lazy("comment status"),
}
OUTCOME_COUNTS = {
    "created": gettext_lazy("%(count)d created"),
    "updated": gettext_lazy("%(count)d updated"),
    "unchanged": gettext_lazy("%(count)d unchanged"),
    "skipped": gettext_lazy("%(count)d skipped"),
}


def _kind(kind: str) -> str:
    return str(KINDS.get(kind, kind))


def _outcome(outcome: str, count: int) -> str:
    return str(OUTCOME_COUNTS[outcome]) % {"count": count}


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR): posts as articles, authors and co-authors as contributors, "
        "pictures, and comments. Safe to run again: it updates what it imported before."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The WordPress export file (Tools > Export in WordPress).")
        parser.add_argument(
            "--uploads",
            "--media-dir",
            dest="media_dir",
            type=Path,
            help="A copy of the site's wp-content/uploads folder; pictures are looked up there before downloading.",
        )
        parser.add_argument("--no-download", action="store_true", help="Never download pictures; use only --media-dir.")
        parser.add_argument("--dry-run", action="store_true", help="Run the whole import, then roll everything back.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=gettext_lazy(
                "Posts written per transaction (default %(size)s); an interrupted import keeps its finished batches."
            )
            % {"size": BATCH_SIZE},
        )

    def handle(self, *args, **options):
        export: Path = options["export"]
        media_dir: Path | None = options["media_dir"]
        if not export.is_file():
            raise CommandError(gettext("%(path)s is not a file.") % {"path": export})
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(gettext("--uploads %(path)s is not a folder.") % {"path": media_dir})
        if options["batch_size"] < 1:
            raise CommandError(gettext("--batch-size must be at least 1."))
        self.stderr.ending = ""  # tqdm writes partial lines to redraw the bar
        try:
            report = import_wordpress(
                export,
                media_dir=media_dir,
                dry_run=options["dry_run"],
                download=not options["no_download"],
                progress=options["verbosity"] > 0,
                progress_file=self.stderr,
                batch_size=options["batch_size"],
            )
        except WxrError as err:
            raise CommandError(gettext("Nothing was imported: %(error)s") % {"error": err}) from err
        self.write_report(report, options["verbosity"])
        mismatches = report.mismatches()
        if mismatches:
            raise CommandError(
                gettext("The report does not account for every item of the export: %(mismatches)s")
                % {"mismatches": "; ".join(mismatches)}
            )

    def write_report(self, report: ImportReport, verbosity: int) -> None:
        heading = gettext("WordPress import from %(source)s") % {"source": report.source}
        if report.dry_run:
            heading += " " + gettext("(dry run: nothing was saved)")
        self.stdout.write(self.style.MIGRATE_HEADING(heading))
        for kind in sorted(report.outcomes):
            counts = report.outcomes[kind]
            summary = ", ".join(_outcome(outcome, counts[outcome]) for outcome in OUTCOMES)
            if kind in report.expected:
                in_export = sum(report.expected[kind].values())
                line = gettext("%(kind)s (of %(count)d in the export): %(summary)s")
                self.stdout.write("  " + line % {"kind": _kind(kind), "count": in_export, "summary": summary})
            else:
                self.stdout.write(f"  {_kind(kind)}: {summary}")
            for state, state_counts in sorted(report.by_state.get(kind, {}).items()):
                expected = report.expected.get(kind, {}).get(state, 0)
                parts = ", ".join(_outcome(o, state_counts[o]) for o in OUTCOMES if state_counts[o])
                line = gettext("%(state)s (%(count)d in the export): %(summary)s")
                self.stdout.write("      " + line % {"state": state, "count": expected, "summary": parts})
            for reason, n in report.reasons.get(kind, {}).items():
                self.stdout.write(f"      {n} {reason}")
        for kind, counts in (("articles", report.post_states), ("comment status", report.comment_states)):
            if counts:
                summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
                self.stdout.write(f"  {_kind(kind)}: {summary}")
        dropped = report.reasons.get(CONTENT_LEFT_OUT)
        if dropped:
            summary = ", ".join(f"{n} {what}" for what, n in dropped.items())
            self.stdout.write("  " + gettext("content left out: %(summary)s") % {"summary": summary})
        if report.linked_images:
            line = gettext("pictures left linked to the old site: %(count)d (give --uploads to import them)")
            self.stdout.write("  " + line % {"count": report.linked_images})
        if report.unmatched_terms:
            names = sorted(report.unmatched_terms)
            shown = ", ".join(names[:15])
            if len(names) > 15:
                shown = gettext("%(names)s and %(count)d more") % {"names": shown, "count": len(names) - 15}
            line = gettext("categories and tags naming no known city, kept as topics (%(count)d): %(names)s")
            self.stdout.write("  " + line % {"count": len(names), "names": shown})
        if report.problems:
            count = len(report.problems)
            line = ngettext("%(count)d problem:", "%(count)d problems:", count) % {"count": count}
            self.stdout.write(self.style.WARNING("  " + line))
            limit = None if verbosity > 1 else 40
            for message in report.problems[:limit]:
                self.stdout.write(f"    - {message}")
            if limit is not None and count > limit:
                line = gettext("... and %(count)d more (use -v 2 to see all)") % {"count": count - limit}
                self.stdout.write("    " + line)
