"""Time counting one envelope of 100,000 ballots (5 choices each, 60 proposals) end to end.

    DATABASE_URL=postgres://postgres@127.0.0.1/postgres uv run --frozen python bench/count_round.py

Creates a scratch database (BENCH_DATABASE_NAME, default ``bench_count_round``) on the
server of DATABASE_URL, never touching the database it names; fills it with COPY; times
``envelope_count`` (read, hash, count, store, commit) and prints the figures; drops the
scratch database. BENCH_BALLOTS, BENCH_PROPOSALS, BENCH_CHOICES and BENCH_RULE change
the shape. Numba's start (which a long Add1 search needs, once per process) is timed
before the count and printed apart; BENCH_COLD=1 leaves it in the count instead.
"""

import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BALLOTS = int(os.environ.get("BENCH_BALLOTS", 100_000))
PROPOSALS = int(os.environ.get("BENCH_PROPOSALS", 60))
CHOICES = int(os.environ.get("BENCH_CHOICES", 5))
RULE = os.environ.get("BENCH_RULE", "equalshares/add1-comparison")
SCRATCH = os.environ.get("BENCH_DATABASE_NAME", "bench_count_round")
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def admin_execute(base_url: str, sql: str) -> None:
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(sql)


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def make_data(rng: random.Random):
    from django.db import connection
    from django.utils import timezone

    from budgets.models import Envelope, Fund, Round
    from neighbourhoods.models import Council, Neighbourhood
    from proposals.models import Proposal

    council = Council.objects.create(name="Bench Council", slug="bench")
    fund = Fund.objects.create(council=council, name="Bench fund", total_pence=10**12)
    now = timezone.now()
    round_ = Round.objects.create(
        fund=fund,
        name="Bench round",
        slug="bench",
        phase=Round.Phase.VOTING_CLOSED,
        proposals_open_at=now - timezone.timedelta(days=60),
        review_starts_at=now - timezone.timedelta(days=40),
        voting_opens_at=now - timezone.timedelta(days=20),
        voting_closes_at=now - timezone.timedelta(days=1),
        ballot_rule=Round.BallotRule.APPROVAL,
        counting_rule=RULE,
    )
    neighbourhood = Neighbourhood.objects.create(council=council, name="Benchton", slug="benchton")
    envelope = Envelope.objects.create(
        round=round_, neighbourhood=neighbourhood, amount_pence=250_000_00
    )
    proposals = Proposal.objects.bulk_create(
        Proposal(
            envelope=envelope,
            title=f"Proposal {i}",
            summary="A bench proposal.",
            description="A bench proposal.",
            cost_pence=rng.randrange(2_000, 40_000) * 100,
            category=Proposal.Category.OTHER,
            status=Proposal.Status.ON_BALLOT,
            submitted_at=now,
        )
        for i in range(PROPOSALS)
    )
    ids = [p.pk for p in proposals]
    # Some proposals are much more popular than others, as in real rounds.
    weights = [1 / (rank + 1) ** 0.7 for rank in range(PROPOSALS)]
    receipts = set()
    while len(receipts) < BALLOTS:
        body = "".join(rng.choice(ALPHABET) for _ in range(12))
        receipts.add(f"{body[:4]}-{body[4:8]}-{body[8:]}")
    receipts = sorted(receipts)
    rng.shuffle(receipts)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        copy_rows(
            raw,
            "voting_ballot",
            ["envelope_id", "ballot_key", "receipt", "channel"],
            ((envelope.pk, f"{i:064x}", r, "online") for i, r in enumerate(receipts)),
        )
        raw.execute("SELECT id FROM voting_ballot WHERE envelope_id = %s", [envelope.pk])
        ballot_ids = [row[0] for row in raw.fetchall()]

        def choices():
            for ballot_id in ballot_ids:
                chosen = set()
                while len(chosen) < CHOICES:
                    chosen.add(rng.choices(ids, weights)[0])
                for proposal_id in chosen:
                    yield (ballot_id, proposal_id, 1)

        copy_rows(raw, "voting_ballotchoice", ["ballot_id", "proposal_id", "points"], choices())
        raw.execute("ANALYZE voting_ballot; ANALYZE voting_ballotchoice")
    return envelope


def main() -> None:
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        sys.exit("Set DATABASE_URL to a PostgreSQL server; a scratch database is made on it.")
    admin_execute(base_url, f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
    admin_execute(base_url, f'CREATE DATABASE "{SCRATCH}"')
    os.environ["DATABASE_URL"] = server_url(base_url, SCRATCH)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from voting.results import services

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        envelope = make_data(random.Random(20240601))
        print(
            f"made {BALLOTS:,} ballots x {CHOICES} choices among {PROPOSALS} proposals "
            f"in {time.perf_counter() - started:.1f} s"
        )

        # Wall time and this process's CPU time at each stage (the database server's CPU
        # is not in the second figure; on a busy machine the wall time is several times it).
        def now():
            return time.perf_counter(), time.process_time()

        # A long Add1 search uses the compiled run; Numba's start (import, loading the
        # compiled code) comes once per worker process, so it is timed apart first.
        # BENCH_COLD=1 leaves it in the count, as the first count of a new process has it.
        if os.environ.get("BENCH_COLD") != "1":
            from voting.counting.equalshares.compiled import warm_up

            before = now()
            warm_up()
            after = now()
            print(
                f"Numba's start, once per process: {after[0] - before[0]:.2f} s wall, "
                f"{after[1] - before[1]:.2f} s CPU"
            )
        marks = {"start": now()}
        outcome = services.envelope_count(
            envelope_id=envelope.pk, on_progress=lambda stage: marks.__setitem__(stage, now())
        )
        marks["end"] = now()
        funded = outcome.proposal_results.filter(funded=True).count()
        print(f"rule {outcome.rule}: {funded} funded; os.getloadavg() {os.getloadavg()}")
        print("         wall     cpu")
        steps = [
            ("read", "start", "read", "one query, a text row per ballot"),
            ("hash", "read", "hashed", "canonical .pb, SHA-256, identical ballots merged"),
            ("count", "hashed", "counted", "the rule"),
            ("store", "counted", "end", "outcome, results, commit, round"),
            ("total", "start", "end", "end to end"),
        ]
        for name, first, last, what in steps:
            wall = marks[last][0] - marks[first][0]
            cpu = marks[last][1] - marks[first][1]
            print(f"  {name:6} {wall:6.2f} s {cpu:6.2f} s  ({what})")
        connections.close_all()
    finally:
        admin_execute(base_url, f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')


if __name__ == "__main__":
    main()
