from django.core.management.base import BaseCommand

from gazette.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo newsroom (stories, contributors, pictures, cities). Safe to run again."

    def handle(self, *args, **options):
        report = load_demo()
        if any(report.created.values()):
            summary = ", ".join(f"{n} {kind}" for kind, n in report.created.items() if n)
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {summary or 'nothing new'}."))
        else:
            self.stdout.write("Demo content already loaded; nothing changed.")
        self.stdout.write(f"Demo editor login: {report.username} / {report.password}")
