from django.core.management.base import BaseCommand
from django.utils.translation import gettext, ngettext

from gazette.seo.article_pages import rebuild
from gazette.seo.sitemaps import page_size


class Command(BaseCommand):
    help = (
        "Count the articles sitemap's pages afresh from the articles, after writes that went around "
        "the app (SQL, scripts); publishing, unpublishing, moving and deleting keep them counted."
    )

    def handle(self, *args, **options):
        size = page_size()
        pages = rebuild(size)
        counted = ngettext("%(pages)d page of articles listed", "%(pages)d pages of articles listed", pages) % {
            "pages": pages
        }
        self.stdout.write(
            self.style.SUCCESS(gettext("%(counted)s, %(size)d URLs a page.") % {"counted": counted, "size": size})
        )
