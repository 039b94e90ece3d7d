"""The officers' decisions share one abstract model (stations.decisions): the same
fields, the same two rules in the database under known names, refused in plain words;
the migration to it keeps a withdrawn batch's reason."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from stations import paper
from stations.decisions import OfficerDecision
from stations.models import HeldDeclaration, OfflineBallot, PaperBatch, StationSession

pytestmark = pytest.mark.django_db

MODELS = [HeldDeclaration, OfflineBallot, PaperBatch]


@pytest.mark.parametrize("model", MODELS)
def test_each_decision_uses_the_one_abstract_model(model):
    assert issubclass(model, OfficerDecision)
    assert {"decided_by", "decided_at", "decision_note"} <= {f.name for f in model._meta.fields}


@pytest.mark.parametrize(
    ("model", "prefix"),
    [
        (HeldDeclaration, "stations_held"),
        (OfflineBallot, "stations_offline"),
        (PaperBatch, "stations_paper_batch"),
    ],
)
def test_the_database_has_both_rules_under_their_names(model, prefix):
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, model._meta.db_table))
    assert {f"{prefix}_decided_has_decider", f"{prefix}_rejection_has_reason"} <= names
    assert "stations_paper_batch_withdrawn_reason" not in names
    assert "stations_decided_declaration_has_decider" not in names


@pytest.fixture
def held(session, envelope, anchor_staff):
    return HeldDeclaration.objects.create(
        session=session,
        envelope=envelope,
        name="Megan Lewis",
        postcode="CF24 2AB",
        checked_by=anchor_staff,
        why_held="Similar name.",
    )


def test_a_rejection_without_a_reason_is_refused_in_plain_words(held, officer):
    held.status = HeldDeclaration.Status.REJECTED
    held.decided_by, held.decided_at = officer, timezone.now()
    with pytest.raises(ValidationError) as refused:
        held.validate_constraints()
    assert refused.value.messages == ["Give the reason for rejecting it."]
    with (
        pytest.raises(IntegrityError, match="stations_held_rejection_has_reason"),
        transaction.atomic(),
    ):
        held.save()


def test_a_decision_without_a_decider_is_refused_in_plain_words(held):
    held.status = HeldDeclaration.Status.APPROVED
    held.decided_at = timezone.now()
    with pytest.raises(ValidationError) as refused:
        held.validate_constraints()
    assert refused.value.messages == ["A decision must record which officer took it, and when."]
    assert "stations_" not in " ".join(refused.value.messages)


def test_a_withdrawn_batch_needs_its_reason(session, envelope, anchor_staff, officer):
    StationSession.objects.filter(pk=session.pk).update(papers_issued_recorded=1)
    batch = paper.batch_start(
        user=anchor_staff, envelope_id=envelope.pk, papers=1, session_id=session.pk
    )
    batch.status = PaperBatch.Status.WITHDRAWN
    batch.decided_by, batch.decided_at = officer, timezone.now()
    with pytest.raises(ValidationError) as refused:
        batch.validate_constraints()
    assert refused.value.messages == ["Give the reason for withdrawing the batch."]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_a_withdrawn_batch_s_reason(session, envelope, anchor_staff):
    executor = MigrationExecutor(connection)
    before, after = (
        [("stations", "0005_plain_constraint_messages")],
        executor.loader.graph.leaf_nodes(),
    )
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("stations", "PaperBatch")
        old.objects.create(
            envelope_id=envelope.pk,
            session_id=session.pk,
            papers=1,
            status="withdrawn",
            created_by_id=anchor_staff.pk,
            decided_by_id=anchor_staff.pk,
            decided_at=timezone.now(),
            withdrawn_reason="Started twice.",
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    assert PaperBatch.objects.get().decision_note == "Started twice."
