"""``manage.py rebuild_search_index``: index every live article again (see ``gazette.search.index``)."""

import time

from django.core.management.base import BaseCommand

from gazette.search import index


class Command(BaseCommand):
    help = "Rebuild the article search index from the live articles (safe to interrupt and run again)."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=1000, help="Articles indexed per transaction.")
        parser.add_argument("--dry-run", action="store_true", help="Count the live articles, write nothing.")

    def handle(self, *args, chunk, dry_run, **options):
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(f"\r{done:,} / {total:,} articles ({rate:,.0f}/s)", ending="")
            self.stdout.flush()

        count = index.rebuild(chunk=max(chunk, 1), progress=None if dry_run else progress, dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count:,} live articles would be indexed.")
        else:
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(f"Indexed {count:,} articles."))
