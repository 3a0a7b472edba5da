"""``manage.py rebuild_search_index``: index every live article again (see ``gazette.search.index``)."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext, ngettext

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
            line = gettext("%(done)s / %(total)s articles (%(rate)s/s)")
            figures = {"done": f"{done:,}", "total": f"{total:,}", "rate": f"{rate:,.0f}"}
            self.stdout.write("\r" + line % figures, ending="")
            self.stdout.flush()

        count = index.rebuild(chunk=max(chunk, 1), progress=None if dry_run else progress, dry_run=dry_run)
        if dry_run:
            line = ngettext(
                "%(count)s live article would be indexed.", "%(count)s live articles would be indexed.", count
            )
            self.stdout.write(line % {"count": f"{count:,}"})
        else:
            self.stdout.write("")
            line = ngettext("Indexed %(count)s article.", "Indexed %(count)s articles.", count)
            self.stdout.write(self.style.SUCCESS(line % {"count": f"{count:,}"}))
