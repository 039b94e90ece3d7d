"""``python manage.py count_pb FILE.pb --rule ...``: the engine's command line inside Django.

It reads only the file: no database, no settings beyond Django's own start-up.
"""

from django.core.management.base import BaseCommand, CommandError

from voting.counting.cli import OPTIONS, add_arguments, printout
from voting.counting.model import CountingError


class Command(BaseCommand):
    help = (
        "Count a participatory-budgeting election from a pabulib .pb file and print JSON "
        "(with --check, the outcome in plain words)."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, **options):
        file = options["file"]
        try:
            text, notes = printout(file, **{name: options[name] for name in OPTIONS})
        except CountingError as exc:
            raise CommandError(f"{file}: {exc}", returncode=2) from None
        for note in notes:
            self.stderr.write(f"note: {file}: {note}")
        self.stdout.write(text)
