"""``python manage.py count_pb FILE.pb --rule ...``: the engine's command line inside Django.

It reads only the file: no database, no settings beyond Django's own start-up.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from voting.counting.cli import add_arguments, run
from voting.counting.model import CountingError


class Command(BaseCommand):
    help = "Count a participatory-budgeting election from a pabulib .pb file and print JSON."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, **options):
        try:
            result = run(
                options["file"],
                options["rule"],
                options["tie_break"],
                options["explain"],
                options["min_votes"],
                options["cost_share_divisor"],
            )
        except CountingError as exc:
            raise CommandError(f"{options['file']}: {exc}", returncode=2) from None
        for note in result.get("normalised", ()):
            self.stderr.write(f"note: {options['file']}: {note}")
        self.stdout.write(json.dumps(result, ensure_ascii=False))
