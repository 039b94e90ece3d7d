"""``python manage.py count_pb FILE.pb --rule ...``: count a ballot file and print JSON.

It reads only the file: no database. The counting engine's author is writing a fuller
command line (``python -m voting.counting``); this one uses only the engine's public API
and prints the same keys (``selected``, ``total_cost``, and with ``--explain`` the rows).
"""

import json
from fractions import Fraction

from django.core.management.base import BaseCommand, CommandError

from voting.counting import DEFAULT_RULE, RULES, CountingError, count, read_pb


def _number(value):
    value = Fraction(value)
    return int(value) if value.denominator == 1 else str(value)


class Command(BaseCommand):
    help = "Count a participatory-budgeting election from a pabulib .pb file and print JSON."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .pb file")
        parser.add_argument("--rule", choices=RULES, default=DEFAULT_RULE)
        parser.add_argument("--tie-break", choices=("id", "id-desc"), default="id")
        parser.add_argument("--explain", action="store_true")

    def handle(self, *args, **options):
        try:
            outcome = count(read_pb(options["file"]), options["rule"], options["tie_break"])
        except CountingError as exc:
            raise CommandError(f"{options['file']}: {exc}", returncode=2) from None
        result = {"selected": list(outcome.selected), "total_cost": _number(outcome.total_cost)}
        if options["explain"]:
            result["rule"] = outcome.rule
            result["tie_break"] = outcome.tie_break
            result["results"] = [
                {
                    "project_id": r.project_id,
                    "votes": r.votes,
                    "funded": r.funded,
                    "reason": r.reason,
                    "reason_text": r.reason_text,
                }
                for r in outcome.results
            ]
        self.stdout.write(json.dumps(result, ensure_ascii=False))
