from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext_lazy

from gazette.demo.loader import NEWSROOMS, load_demo

# What the demo made, counted, in the reader's language (Russian has three plural forms).
CREATED = {
    "pages": ngettext_lazy("%(count)d page", "%(count)d pages", "count"),
    "pictures": ngettext_lazy("%(count)d picture", "%(count)d pictures", "count"),
    "articles": ngettext_lazy("%(count)d article", "%(count)d articles", "count"),
    "users": ngettext_lazy("%(count)d user", "%(count)d users", "count"),
    "cities": ngettext_lazy("%(count)d city", "%(count)d cities", "count"),
    "contributors": ngettext_lazy("%(count)d contributor", "%(count)d contributors", "count"),
    "comments": ngettext_lazy("%(count)d comment", "%(count)d comments", "count"),
    "exchange-rate tables": ngettext_lazy("%(count)d exchange-rate table", "%(count)d exchange-rate tables", "count"),
}


def summary(created: dict[str, int]) -> str:
    """``{"users": 2, ...}`` as "2 users, ..." in the active language, leaving out what is none."""
    return ", ".join(
        CREATED[kind] % {"count": n} if kind in CREATED else f"{n} {kind}" for kind, n in created.items() if n
    )


class Command(BaseCommand):
    help = (
        "Load the demo newsroom (stories, contributors, pictures, cities) in the site's language "
        "(GAZETTE_LANGUAGE). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            choices=sorted(NEWSROOMS),
            help="Load this language's newsroom instead of the site's language's.",
        )

    def handle(self, *args, **options):
        try:
            report = load_demo(options.get("language"))
        except ValueError as err:
            raise CommandError(str(err)) from err
        if any(report.created.values()):
            loaded = gettext("Demo content loaded: %(summary)s.") % {"summary": summary(report.created)}
            self.stdout.write(self.style.SUCCESS(loaded))
        else:
            self.stdout.write(gettext("Demo content already loaded; nothing changed."))
        login = gettext("Demo editor login: %(username)s / %(password)s")
        self.stdout.write(login % {"username": report.username, "password": report.password})
