"""Reading a ballot from a form, defensively: anything odd becomes a plain refusal."""

import uuid

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from voting.rules import BallotRefused

MAX_POINTS_INPUT = 1000


def read_choices(data, *, uses_points: bool) -> dict[int, int]:
    """Proposal id -> points from the POSTed form. Raises BallotRefused for junk."""
    choices: dict[int, int] = {}
    try:
        if uses_points:
            for name, value in data.items():
                if not name.startswith("points-") or not str(value).strip():
                    continue
                points = int(str(value).strip())
                if points == 0:
                    continue
                if not -MAX_POINTS_INPUT <= points <= MAX_POINTS_INPUT:
                    raise ValueError
                choices[int(name.removeprefix("points-"))] = points
        else:
            for value in data.getlist("choice"):
                choices[int(value)] = 1
    except (TypeError, ValueError):
        raise BallotRefused(_("Points must be whole numbers, like 1, 2 or 3.")) from None
    return choices


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
