"""Reading a ballot from a form, defensively: anything odd becomes a plain refusal."""

import uuid

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from voting.rules import BallotRefused

MAX_POINTS_INPUT = 1000
MAX_CHOICES_INPUT = 1000


def read_choices(data) -> dict[int, int]:
    """Proposal id -> points from the POSTed form: ticked ``choice`` boxes count 1 each,
    ``points-<id>`` fields their number (0 or empty leaves it out). Raises BallotRefused
    for junk; whether the choices obey the round's rule is the cast's to judge."""
    choices: dict[int, int] = {}
    try:
        for value in data.getlist("choice"):
            choices[_proposal_id(value)] = 1
    except (TypeError, ValueError):
        raise BallotRefused(
            _("This form was not filled in as expected. Check your choices and send them again.")
        ) from None
    try:
        for name, value in data.items():
            if not name.startswith("points-") or not str(value).strip():
                continue
            points = int(str(value).strip())
            if not -MAX_POINTS_INPUT <= points <= MAX_POINTS_INPUT:
                raise ValueError
            if points:
                choices[_proposal_id(name.removeprefix("points-"))] = points
    except (TypeError, ValueError):
        raise BallotRefused(_("Points must be whole numbers, like 1, 2 or 3.")) from None
    if len(choices) > MAX_CHOICES_INPUT:
        raise BallotRefused(_("That is more choices than there are ideas."))
    return choices


def _proposal_id(text) -> int:
    value = int(str(text).strip())
    # Ids are positive and fit PostgreSQL's bigint; anything else is not on any ballot.
    if not 0 < value < 2**63:
        raise ValueError
    return value


def read_idempotency_key(data) -> uuid.UUID:
    try:
        return uuid.UUID(str(data.get("submission", "")))
    except ValueError:
        raise BallotRefused(
            _("This form was incomplete. Check your choices and send your vote again.")
        ) from None


class VoterCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Voter code"),
        help_text=gettext_lazy("It is on the letter the council sent you, like ABCD-EFGH-JKMN."),
        max_length=20,
    )
