"""``python manage.py ballots_sha256 ballots.pb``: the fingerprint a published count records.

Reads only the file. See voting/results/canonical.py for the canonical form it hashes.
"""

from django.core.management.base import BaseCommand, CommandError

from voting.counting import CountingError, read_pb
from voting.results.canonical import canonical_sha256


class Command(BaseCommand):
    help = "Print the SHA-256 of a .pb ballot file's canonical form, as stored with its count."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .pb file")

    def handle(self, *args, **options):
        try:
            election = read_pb(options["file"])
            digest = canonical_sha256(election)
        except (CountingError, ValueError) as exc:
            raise CommandError(f"{options['file']}: {exc}", returncode=2) from None
        self.stdout.write(digest)
