"""The round's phases as a small state machine: one step forward at a time."""

from django.utils.translation import gettext_lazy as _

from budgets.models import Round

Phase = Round.Phase

ORDER: list[str] = list(Phase)

# The date on which each phase starts by itself, once a round has left its draft (the
# round is opened by hand).
STARTS_AT: dict[str, str] = {
    phase: field for phase, field in Round.PHASE_DATES.items() if phase != Phase.PROPOSALS_OPEN
}

# Phases the counting job moves a round into; nobody advances into them by date.
COUNTING_PHASES = {Phase.COUNTED}

# Once a round has left its draft, its rules, envelopes and fund are fixed: residents
# propose against them and voters rely on them.
RULES_LOCKED_FROM = Phase.PROPOSALS_OPEN


def next_phase(phase: str) -> str | None:
    index = ORDER.index(phase)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def is_at_or_after(phase: str, other: str) -> bool:
    return ORDER.index(phase) >= ORDER.index(other)


# Ideas may be suggested, reviewed, costed and withdrawn from when proposals open until
# voting opens.
IDEAS_PHASES = frozenset(
    p
    for p in ORDER
    if is_at_or_after(p, Phase.PROPOSALS_OPEN) and not is_at_or_after(p, Phase.VOTING_OPEN)
)


def explain_illegal_move(current: str, target: str) -> str:
    current_label, target_label = Phase(current).label, Phase(target).label
    if current == target:
        return str(_("The round is already in the phase “%(phase)s”.") % {"phase": current_label})
    if ORDER.index(target) < ORDER.index(current):
        return str(
            _("A round cannot go back from “%(current)s” to “%(target)s”.")
            % {"current": current_label, "target": target_label}
        )
    following = next_phase(current)
    return str(
        _("From “%(current)s” the round can only move to “%(next)s”, not “%(target)s”.")
        % {
            "current": current_label,
            "next": Phase(following).label if following else "",
            "target": target_label,
        }
    )
