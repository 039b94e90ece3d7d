import pytest

from config.sql import CompiledRows
from proposals.models import Proposal
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_compiled_rows_send_each_named_parameter_and_keep_the_querys_constants():
    on_ballot = ProposalFactory(title="Benches", status=Proposal.Status.ON_BALLOT)
    ProposalFactory(envelope=on_ballot.envelope, title="Drafted", status=Proposal.Status.DRAFT)
    # A constant equal to a stand-in value must stay a constant.
    rows = CompiledRows(
        lambda envelope_id, title: (
            Proposal.objects.filter(envelope_id=envelope_id, title=title)
            .exclude(title="stand-in title 0")
            .exclude(status=Proposal.Status.DRAFT)
            .values_list("title", flat=True)
        ),
        envelope_id=int,
        title=str,
    )
    assert rows.rows(envelope_id=on_ballot.envelope_id, title="Benches") == [("Benches",)]
    assert rows.rows(envelope_id=on_ballot.envelope_id, title="Drafted") == []
    assert rows.rows(envelope_id=on_ballot.envelope_id, title="stand-in title 0") == []
    assert rows.rows(envelope_id=on_ballot.envelope_id + 1000, title="Benches") == []


def test_compiled_rows_refuse_a_parameter_the_sql_never_sends():
    rows = CompiledRows(lambda envelope_id: Proposal.objects.values_list("pk"), envelope_id=int)
    with pytest.raises(ValueError, match="not found"):
        rows.rows(envelope_id=1)


def test_compiled_rows_refuse_a_parameter_the_orm_changes():
    rows = CompiledRows(
        lambda title: Proposal.objects.filter(title__contains=title).values_list("pk"),
        title=str,
    )
    with pytest.raises(ValueError, match="changed on its way"):
        rows.rows(title="Benches")


def test_compiled_rows_want_exactly_their_named_parameters():
    rows = CompiledRows(
        lambda envelope_id: Proposal.objects.filter(envelope_id=envelope_id).values_list("pk"),
        envelope_id=int,
    )
    with pytest.raises(TypeError):
        rows.rows(envelope=1)
