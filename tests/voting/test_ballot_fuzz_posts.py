"""5,000 hostile ballot POSTs (five runs of 1,000, so parallel test workers share them):
never a 5xx, and only valid ballots are stored.

Foreign and duplicate ids, other envelopes' proposals, bad points, missing, malformed and
reused submission keys (the voter's own and other voters'), odd character sets and
encodings, multipart and JSON bodies, and bodies too big to read, mixed at random (the
seed is printed, so a failure can be replayed with FUZZ_SEED)."""

import os
import random
import uuid

import pytest
from django.test import Client

from budgets.models import Round
from tests.accounts.factories import UserFactory
from tests.neighbourhoods.factories import CouncilFactory
from tests.voting.conftest import make_voting_envelope
from voting.models import Ballot, Participation
from voting.rules import BallotRule, check_ballot
from voting.services import ballot_options

pytestmark = pytest.mark.django_db
PARTS, POSTS = 5, 1_000
JUNK = ["", " ", "0", "-1", "1e9", "NaN", "٣", "0x10", "-0", "9" * 30, "1.5", "ﾠ", "\x00", "'"]


def _ballot_is_valid(ballot) -> bool:
    rule = BallotRule.for_envelope(ballot.envelope)
    try:
        check_ballot(
            rule,
            dict(ballot.choices.values_list("proposal_id", "points")),
            ballot_options(ballot.envelope),
        )
    except ValueError:
        return False
    return True


class Fuzzer:
    def __init__(self, rng, envelopes, clients):
        self.rng = rng
        self.envelopes = envelopes
        self.clients = clients
        self.ids = {e.pk: list(e.proposals.values_list("pk", flat=True)) for e in envelopes}
        self.all_ids = [pid for ids in self.ids.values() for pid in ids]
        self.keys: list[str] = []

    def an_id(self, envelope) -> str:
        pick = self.rng.random()
        if pick < 0.6:
            return str(self.rng.choice(self.ids[envelope.pk]))
        if pick < 0.8:
            return str(self.rng.choice(self.all_ids))
        if pick < 0.9:
            return str(self.rng.randint(-(2**70), 2**70))
        return self.rng.choice(JUNK)

    def a_key(self) -> str:
        pick = self.rng.random()
        if pick < 0.6 or not self.keys:
            key = str(uuid.uuid4())
            self.keys.append(key)
            return key
        if pick < 0.85:
            return self.rng.choice(self.keys)  # reused: own or another voter's
        return self.rng.choice([*JUNK, "not-a-uuid", str(uuid.uuid4()).upper() + "x"])

    def form(self, envelope) -> dict:
        data = {}
        if self.rng.random() < 0.95:
            data["submission"] = self.a_key()
        if envelope.round.ballot_rule == Round.BallotRule.CUMULATIVE:
            for _ in range(self.rng.randint(0, 5)):
                value = (
                    str(self.rng.randint(-3, 8))
                    if self.rng.random() < 0.7
                    else self.rng.choice(JUNK)
                )
                data[f"points-{self.an_id(envelope)}"] = value
        else:
            data["choice"] = [self.an_id(envelope) for _ in range(self.rng.randint(0, 5))]
        if self.rng.random() < 0.1:
            data["age_confirmed"] = self.rng.choice(["yes", "no", ""])
        if self.rng.random() < 0.05:
            data["check"] = "1"
        return data

    def post(self, i: int):
        client = self.rng.choice(self.clients)
        envelope = self.rng.choice(self.envelopes)
        path = f"/envelopes/{envelope.pk}/vote/"
        kind = self.rng.random()
        if kind < 0.85:
            return client.post(path, self.form(envelope))
        if kind < 0.89:
            body = "choice=1&submission=x".encode("utf-16")
            charset = self.rng.choice(["utf-16", "utf-32", "x-unknown", "utf-7", "cp037"])
            return client.generic(
                "POST", path, body, f"application/x-www-form-urlencoded; charset={charset}"
            )
        if kind < 0.93:
            raw = bytes(self.rng.randrange(256) for _ in range(self.rng.randint(1, 200)))
            return client.generic("POST", path, raw, "application/x-www-form-urlencoded")
        if kind < 0.96:
            return client.generic("POST", path, b'{"choice": [1]}', "application/json")
        if kind < 0.98:
            fields = "&".join(f"choice={n}" for n in range(2_000))  # too many fields
            return client.generic("POST", path, fields, "application/x-www-form-urlencoded")
        if kind < 0.985:
            huge = b"choice=" + b"9" * 3_000_000  # bigger than Django reads
            return client.generic("POST", path, huge, "application/x-www-form-urlencoded")
        return client.post(
            path,
            {
                **self.form(envelope),
                "extra": "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
            },
        )


@pytest.mark.parametrize("part", range(PARTS))
def test_hostile_ballot_posts_never_get_a_5xx_and_store_only_valid_ballots(part):
    seed = int(os.environ.get("FUZZ_SEED", random.randrange(2**32))) + part
    print(f"\nFUZZ_SEED={seed} (this part's own seed)")
    rng = random.Random(seed)
    council = CouncilFactory()
    knapsack = make_voting_envelope(council, amount_pence=25_000_00)
    cumulative = make_voting_envelope(
        council,
        ballot_rule=Round.BallotRule.CUMULATIVE,
        points_total=10,
        points_per_proposal_max=5,
    )
    approval = make_voting_envelope(council, ballot_rule=Round.BallotRule.K_APPROVAL, max_choices=2)
    clients = []
    for _ in range(3):
        client = Client()
        client.force_login(UserFactory(home_postcode="CF24 2AB"))
        clients.append(client)
    fuzzer = Fuzzer(rng, [knapsack, cumulative, approval], clients)

    statuses: dict[int, int] = {}
    for i in range(POSTS):
        status = fuzzer.post(i).status_code
        statuses[status] = statuses.get(status, 0) + 1
        assert status < 500, f"post {i} (FUZZ_SEED={seed}) got {status}"
    print("statuses:", dict(sorted(statuses.items())))

    ballots = list(Ballot.objects.select_related("envelope__round"))
    assert ballots, "some of the posts were valid ballots"
    assert all(_ballot_is_valid(b) for b in ballots)
    # One ballot per voter per envelope, one register row per voter per round.
    assert len({(b.envelope_id, b.ballot_key) for b in ballots}) == len(ballots)
    assert Participation.objects.count() == len(ballots)
    assert statuses.get(302, 0) and statuses.get(400, 0)
