from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, gettext_lazy

from gazette.wordpress.parser import WxrError
from gazette.wordpress.services import BATCH_SIZE, OUTCOMES, ImportReport, import_wordpress


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
            raise CommandError(f"{export} is not a file.")
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"--uploads {media_dir} is not a folder.")
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
            raise CommandError(f"Nothing was imported: {err}") from err
        self.write_report(report, options["verbosity"])
        mismatches = report.mismatches()
        if mismatches:
            raise CommandError("The report does not account for every item of the export: " + "; ".join(mismatches))

    def write_report(self, report: ImportReport, verbosity: int) -> None:
        heading = f"WordPress import from {report.source}"
        if report.dry_run:
            heading += " (dry run: nothing was saved)"
        self.stdout.write(self.style.MIGRATE_HEADING(heading))
        for kind in sorted(report.outcomes):
            counts = report.outcomes[kind]
            summary = ", ".join(f"{counts[outcome]} {outcome}" for outcome in OUTCOMES)
            in_export = sum(report.expected[kind].values()) if kind in report.expected else None
            total = f" (of {in_export} in the export)" if in_export is not None else ""
            self.stdout.write(f"  {kind}{total}: {summary}")
            for state, state_counts in sorted(report.by_state.get(kind, {}).items()):
                expected = report.expected.get(kind, {}).get(state, 0)
                parts = ", ".join(f"{state_counts[o]} {o}" for o in OUTCOMES if state_counts[o])
                self.stdout.write(f"      {state} ({expected} in the export): {parts}")
            for reason, n in report.reasons.get(kind, {}).items():
                self.stdout.write(f"      {n} {reason}")
        for kind, counts in (("articles", report.post_states), ("comment status", report.comment_states)):
            if counts:
                self.stdout.write(f"  {kind}: " + ", ".join(f"{n} {state}" for state, n in sorted(counts.items())))
        if "content left out" in report.reasons:
            dropped = report.reasons["content left out"]
            self.stdout.write("  content left out: " + ", ".join(f"{n} {what}" for what, n in dropped.items()))
        if report.linked_images:
            self.stdout.write(
                f"  pictures left linked to the old site: {report.linked_images} (give --uploads to import them)"
            )
        if report.unmatched_terms:
            names = sorted(report.unmatched_terms)
            shown = ", ".join(names[:15]) + (f" and {len(names) - 15} more" if len(names) > 15 else "")
            self.stdout.write(f"  categories and tags naming no known city ({len(names)}): {shown}")
        if report.problems:
            self.stdout.write(self.style.WARNING(f"  {len(report.problems)} problems:"))
            limit = None if verbosity > 1 else 40
            for message in report.problems[:limit]:
                self.stdout.write(f"    - {message}")
            if limit is not None and len(report.problems) > limit:
                self.stdout.write(f"    ... and {len(report.problems) - limit} more (use -v 2 to see all)")
