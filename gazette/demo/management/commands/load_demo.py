from django.core.management.base import BaseCommand, CommandError

from gazette.demo.loader import NEWSROOMS, load_demo


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
            summary = ", ".join(f"{n} {kind}" for kind, n in report.created.items() if n)
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {summary or 'nothing new'}."))
        else:
            self.stdout.write("Demo content already loaded; nothing changed.")
        self.stdout.write(f"Demo editor login: {report.username} / {report.password}")
