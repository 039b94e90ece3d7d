"""Time making the voter-code letters for 10,000 codes: the print-ready PDF (one letter a
page, Welsh and English, QR code) and the print house's CSV.

    uv run --frozen python bench/letters.py

Needs no database: the envelope is built in memory, the codes are made as the service
makes them. BENCH_CODES changes the number. Prints the seconds of CPU and wall time and
the size of each file; the target is under 30 s of server time for 10,000 codes.
"""

import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")

import django  # noqa: E402

django.setup()

from budgets.models import Envelope, Fund, Round  # noqa: E402
from neighbourhoods.models import Council, Neighbourhood  # noqa: E402
from voting.keys import new_voter_code  # noqa: E402
from voting.letters import letters_csv_rows, write_letters_pdf  # noqa: E402

CODES = int(os.environ.get("BENCH_CODES", 10_000))


def envelope() -> Envelope:
    council = Council(pk=1, name="Cardiff", slug="cardiff")
    fund = Fund(pk=1, council=council, name="Levelling Up", total_pence=500_000_00)
    round_ = Round(
        pk=1,
        fund=fund,
        name="Neighbourhoods Decide 2027",
        voting_closes_at=datetime(2027, 3, 31, 17, 0, tzinfo=UTC),
    )
    place = Neighbourhood(pk=1, council=council, name="Tŷ Gwyn")
    return Envelope(pk=1, round=round_, neighbourhood=place, amount_pence=80_000_00)


def timed(label, work):
    wall, cpu = time.perf_counter(), time.process_time()
    size = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label}: {cpu:.2f} s CPU, {wall:.2f} s wall, {size / 1e6:.1f} MB")
    return cpu


def main() -> None:
    codes = sorted({new_voter_code() for _ in range(CODES)})
    target = envelope()

    def pdf():
        with tempfile.TemporaryFile() as output:
            write_letters_pdf(target, codes, output)
            return output.tell()

    def csv():
        return sum(len(line.encode()) for line in letters_csv_rows(target, codes))

    print(f"{len(codes):,} voter codes")
    total = timed("PDF letters", pdf) + timed("CSV for a print house", csv)
    print(f"total: {total:.2f} s of server CPU time")


if __name__ == "__main__":
    main()
