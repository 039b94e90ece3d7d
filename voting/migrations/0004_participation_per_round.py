import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The register becomes one row per voter per round (was per envelope), and
    submission keys remember whose ballot they were accepted for."""

    dependencies = [
        ("budgets", "0004_round_close_waits_for_casts"),
        ("voting", "0005_letters_files"),
    ]

    operations = [
        migrations.AddField(
            model_name="participation",
            name="round",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="participations",
                to="budgets.round",
            ),
        ),
        migrations.RunSQL(
            "UPDATE voting_participation p SET round_id = e.round_id "
            "FROM budgets_envelope e WHERE e.id = p.envelope_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="participation",
            name="round",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="participations",
                to="budgets.round",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="participation", name="voting_one_participation_per_voter"
        ),
        migrations.AddConstraint(
            model_name="participation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("voter__isnull", False)),
                fields=("round", "voter"),
                name="voting_one_participation_per_voter_per_round",
            ),
        ),
        # Keys accepted before this change cannot be bound to a ballot; they are only
        # idempotency records of forms long since sent.
        migrations.RunSQL("DELETE FROM voting_submissionkey", migrations.RunSQL.noop),
        migrations.RemoveField(model_name="submissionkey", name="envelope"),
        migrations.RemoveField(model_name="submissionkey", name="accepted_at"),
        migrations.AddField(
            model_name="submissionkey",
            name="owner",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
    ]
