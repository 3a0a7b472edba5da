from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, gettext_lazy

from gazette.demo.loader import NEWSROOMS, load_demo

# What the demo made, counted, in the reader's language.
CREATED = {
    "pages": gettext_lazy("%(count)d pages"),
    "pictures": gettext_lazy("%(count)d pictures"),
    "articles": gettext_lazy("%(count)d articles"),
    "users": gettext_lazy("%(count)d users"),
    "cities": gettext_lazy("%(count)d cities"),
    "contributors": gettext_lazy("%(count)d contributors"),
    "comments": gettext_lazy("%(count)d comments"),
    "exchange-rate tables": gettext_lazy("%(count)d exchange-rate tables"),
}


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
            summary = ", ".join(
                str(CREATED.get(kind, "%(count)d " + kind)) % {"count": n} for kind, n in report.created.items() if n
            )
            self.stdout.write(self.style.SUCCESS(gettext("Demo content loaded: %(summary)s.") % {"summary": summary}))
        else:
            self.stdout.write(gettext("Demo content already loaded; nothing changed."))
        login = gettext("Demo editor login: %(username)s / %(password)s")
        self.stdout.write(login % {"username": report.username, "password": report.password})
