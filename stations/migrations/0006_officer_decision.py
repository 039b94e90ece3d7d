# The three officer decisions (held declaration, offline ballot, paper batch) share
# stations.decisions.OfficerDecision. Data is kept: the batch's withdrawal reason is
# renamed into decision_note, not copied. Constraint names after this migration:
#   stations_held_decided_has_decider (was stations_decided_declaration_has_decider),
#   stations_held_rejection_has_reason (new),
#   stations_offline_decided_has_decider, stations_offline_rejection_has_reason (same),
#   stations_paper_batch_decided_has_decider and stations_paper_batch_rejection_has_reason
#   (together were stations_paper_batch_withdrawn_reason).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def note_unexplained_rejections(apps, schema_editor):
    apps.get_model("stations", "HeldDeclaration").objects.filter(
        status="rejected", decision_note=""
    ).update(decision_note="No reason was recorded.")


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0007_round_voting_dates_guard"),
        ("stations", "0005_plain_constraint_messages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="helddeclaration",
            name="stations_decided_declaration_has_decider",
        ),
        migrations.RemoveConstraint(
            model_name="offlineballot",
            name="stations_offline_decided_has_decider",
        ),
        migrations.RemoveConstraint(
            model_name="paperbatch",
            name="stations_paper_batch_withdrawn_reason",
        ),
        migrations.RenameField(
            model_name="paperbatch",
            old_name="withdrawn_reason",
            new_name="decision_note",
        ),
        migrations.AlterField(
            model_name="paperbatch",
            name="decision_note",
            field=models.TextField(blank=True, verbose_name="reason for the decision"),
        ),
        # The service always asked for a reason; a row from before it did gets words, not
        # a failed migration.
        migrations.RunPython(note_unexplained_rejections, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="paperbatch",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="decided"),
        ),
        migrations.AlterField(
            model_name="paperbatch",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AddConstraint(
            model_name="helddeclaration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "pending"), ("decided_at__isnull", True)),
                    models.Q(
                        models.Q(("status", "pending"), _negated=True),
                        ("decided_at__isnull", False),
                        ("decided_by__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="stations_held_decided_has_decider",
                violation_error_code="decision_without_decider",
                violation_error_message="A decision must record which officer took it, and when.",
            ),
        ),
        migrations.AddConstraint(
            model_name="helddeclaration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "rejected"), _negated=True),
                    models.Q(("decision_note", ""), _negated=True),
                    _connector="OR",
                ),
                name="stations_held_rejection_has_reason",
                violation_error_code="rejection_without_reason",
                violation_error_message="Give the reason for rejecting it.",
            ),
        ),
        migrations.AddConstraint(
            model_name="offlineballot",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decision__in", ["", "pending"]), ("decided_at__isnull", True)),
                    models.Q(
                        ("decision__in", ["accepted", "rejected"]),
                        ("decided_at__isnull", False),
                        ("decided_by__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="stations_offline_decided_has_decider",
                violation_error_code="decision_without_decider",
                violation_error_message="A decision must record which officer took it, and when.",
            ),
        ),
        migrations.AddConstraint(
            model_name="paperbatch",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "withdrawn"), _negated=True),
                    models.Q(
                        ("status", "withdrawn"),
                        ("decided_at__isnull", False),
                        ("decided_by__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="stations_paper_batch_decided_has_decider",
                violation_error_code="decision_without_decider",
                violation_error_message="A decision must record which officer took it, and when.",
            ),
        ),
        migrations.AddConstraint(
            model_name="paperbatch",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "withdrawn"), _negated=True),
                    models.Q(("decision_note", ""), _negated=True),
                    _connector="OR",
                ),
                name="stations_paper_batch_rejection_has_reason",
                violation_error_code="rejection_without_reason",
                violation_error_message="Give the reason for withdrawing the batch.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="offlineballot",
            name="stations_offline_rejection_has_reason",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decision", "rejected"), _negated=True),
                    models.Q(("decision_note", ""), _negated=True),
                    _connector="OR",
                ),
                name="stations_offline_rejection_has_reason",
                violation_error_code="rejection_without_reason",
                violation_error_message="Give the reason for rejecting it.",
            ),
        ),
    ]
