"""``manage.py proofread [--since DATE]``: the editorial checks over the published archive."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext
from tqdm import tqdm

from gazette.editorial.services import ArchiveReport, archive_pages, proofread_archive


class Command(BaseCommand):
    help = (
        "Run the editorial checks (bylines, credits, place names, spelling, consistency, lengths) over "
        "published articles and print a report. Reads only: findings an editor dismissed are counted, not listed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            metavar="DATE",
            help="Only articles first or last published on or after this day (YYYY-MM-DD).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show the progress bar (e.g. in cron mail)."
        )

    def handle(self, *args, since=None, no_progress=False, **options):
        since_day = None
        if since:
            try:
                since_day = date.fromisoformat(since)
            except ValueError as err:
                raise CommandError(
                    gettext("--since must be a date like 2024-02-20, not '%(value)s'.") % {"value": since}
                ) from err
        pages = archive_pages(since_day)
        report = ArchiveReport()
        # tqdm redraws its line with carriage returns: the wrapper must not add a newline to each.
        ending, self.stderr.ending = self.stderr.ending, ""
        try:
            with tqdm(total=pages.count(), unit="article", file=self.stderr, disable=no_progress) as bar:
                for _progress in proofread_archive(pages.iterator(chunk_size=200), report):
                    bar.update(1)
        finally:
            self.stderr.ending = ending
        self.print_report(report)

    def print_report(self, report: ArchiveReport) -> None:
        for article in report.articles:
            # Titles, ids and addresses are the article's own: no words of ours to translate.
            self.stdout.write(self.style.MIGRATE_HEADING(f"{article.title} (#{article.page_id}) {article.url}"))
            for finding in article.findings:
                if finding.is_blocking:
                    label = self.style.ERROR(gettext("BLOCKING"))
                else:
                    label = self.style.WARNING(gettext("warning"))
                # A check is named by its code (spelling, place), as in the "By check" totals scripts read.
                where = f" [{finding.where}]" if finding.where else ""
                self.stdout.write(f"  {label} {finding.check}{where}: {finding.message}")
        checked = ngettext("Checked %(count)d article", "Checked %(count)d articles", report.checked) % {
            "count": report.checked
        }
        found = ngettext(
            "%(blocking)d blocking, %(warnings)d warnings in %(count)d article",
            "%(blocking)d blocking, %(warnings)d warnings in %(count)d articles",
            len(report.articles),
        ) % {"blocking": report.blocking, "warnings": report.warnings, "count": len(report.articles)}
        dismissed = ngettext(
            "%(count)d dismissed warning not listed.", "%(count)d dismissed warnings not listed.", report.dismissed
        ) % {"count": report.dismissed}
        self.stdout.write(f"{checked}: {found}; {dismissed}")
        if report.by_check:
            summary = ", ".join(f"{check} {count}" for check, count in sorted(report.by_check.items()))
            self.stdout.write(gettext("By check: %(summary)s") % {"summary": summary})
