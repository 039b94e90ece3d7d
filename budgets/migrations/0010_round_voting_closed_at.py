from django.db import migrations, models

CLOSED_PHASES = ("voting_closed", "counted", "published")

# Once recorded, when voting closed is on the record like the voting dates (0007).
GUARD = """
CREATE OR REPLACE FUNCTION budgets_round_dates_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.phase IN ('voting_closed', 'counted', 'published') AND (
        NEW.voting_opens_at IS DISTINCT FROM OLD.voting_opens_at
        OR NEW.voting_closes_at IS DISTINCT FROM OLD.voting_closes_at
        OR (OLD.voting_closed_at IS NOT NULL
            AND NEW.voting_closed_at IS DISTINCT FROM OLD.voting_closed_at)
    ) THEN
        RAISE EXCEPTION 'A round''s voting dates are fixed once voting has closed.'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
"""
UNGUARD = """
CREATE OR REPLACE FUNCTION budgets_round_dates_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.phase IN ('voting_closed', 'counted', 'published') AND (
        NEW.voting_opens_at IS DISTINCT FROM OLD.voting_opens_at
        OR NEW.voting_closes_at IS DISTINCT FROM OLD.voting_closes_at
    ) THEN
        RAISE EXCEPTION 'A round''s voting dates are fixed once voting has closed.'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
"""


def record_past_closings(apps, schema_editor):
    """Rounds closed before the field: the moment their history first shows them closed
    (every phase change was saved through the model, so it is in the history); the
    planned date only where there is no such version."""
    Round = apps.get_model("budgets", "Round")
    HistoricalRound = apps.get_model("budgets", "HistoricalRound")
    for round_ in Round.objects.filter(phase__in=CLOSED_PHASES, voting_closed_at__isnull=True):
        first = (
            HistoricalRound.objects.filter(id=round_.pk, phase__in=CLOSED_PHASES)
            .order_by("history_date")
            .values_list("history_date", flat=True)
            .first()
        )
        round_.voting_closed_at = first or round_.voting_closes_at
        round_.save(update_fields=["voting_closed_at"])


class Migration(migrations.Migration):
    dependencies = [("budgets", "0009_round_voting_opened_at")]

    operations = [
        migrations.AddField(
            model_name="historicalround",
            name="voting_closed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="voting closed"
            ),
        ),
        migrations.AddField(
            model_name="round",
            name="voting_closed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="voting closed"
            ),
        ),
        migrations.RunPython(record_past_closings, migrations.RunPython.noop),
        migrations.RunSQL(GUARD, UNGUARD),
    ]
