"""What an officer reads when the admin's form breaks a rule the database keeps: a plain
sentence, never Django's "Constraint “…” is violated"."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint

from tests.proposals.factories import ProposalFactory

# The apps whose rows officers edit in the admin.
EDITED_IN_THE_ADMIN = ("neighbourhoods", "budgets", "proposals")


@pytest.mark.parametrize(
    "constraint",
    [
        pytest.param(constraint, id=constraint.name)
        for label in EDITED_IN_THE_ADMIN
        for model in apps.get_app_config(label).get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, CheckConstraint)
    ],
)
def test_each_rule_an_officer_can_break_has_its_own_sentence(constraint):
    message = str(constraint.get_violation_error_message())
    assert constraint.name not in message
    assert "violated" not in message


@pytest.mark.django_db
def test_a_not_feasible_idea_without_a_reason_is_refused_in_plain_words():
    proposal = ProposalFactory()
    proposal.status = "not_feasible"
    proposal.review_reason = ""
    with pytest.raises(ValidationError) as refused:
        proposal.validate_constraints()
    assert refused.value.messages == [
        "Say why the idea cannot be done: the resident is told the reason."
    ]
