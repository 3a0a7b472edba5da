"""``manage.py proofread [--since DATE]``: the editorial checks over the published archive."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
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
                raise CommandError(f"--since must be a date like 2024-02-20, not '{since}'.") from err
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
            self.stdout.write(self.style.MIGRATE_HEADING(f"{article.title} (#{article.page_id}) {article.url}"))
            for finding in article.findings:
                label = self.style.ERROR("BLOCKING") if finding.is_blocking else self.style.WARNING("warning")
                where = f" [{finding.where}]" if finding.where else ""
                self.stdout.write(f"  {label} {finding.check}{where}: {finding.message}")
        self.stdout.write(
            f"Checked {report.checked} article{'s' if report.checked != 1 else ''}: "
            f"{report.blocking} blocking, {report.warnings} warnings in {len(report.articles)} articles"
            f"; {report.dismissed} dismissed warnings not listed."
        )
        if report.by_check:
            summary = ", ".join(f"{check} {count}" for check, count in sorted(report.by_check.items()))
            self.stdout.write(f"By check: {summary}")
