from django.db import migrations

# 17988 is budgets.locks.ROUND_LOCK_SPACE, which casts take in shared mode.
TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION budgets_round_close_waits_for_casts() RETURNS trigger AS $$
BEGIN
    IF OLD.phase = 'voting_open' AND NEW.phase IS DISTINCT FROM OLD.phase THEN
        PERFORM pg_advisory_xact_lock(17988, NEW.id::integer);
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER budgets_round_close_waits_for_casts
    BEFORE UPDATE OF phase ON budgets_round
    FOR EACH ROW EXECUTE FUNCTION budgets_round_close_waits_for_casts();
"""

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS budgets_round_close_waits_for_casts ON budgets_round;
DROP FUNCTION IF EXISTS budgets_round_close_waits_for_casts();
"""


class Migration(migrations.Migration):
    """Every change of phase away from "voting open", by any path, waits for the casts in
    progress (budgets.locks)."""

    dependencies = [("budgets", "0005_round_show_ideas_before_review")]

    operations = [migrations.RunSQL(TRIGGER_SQL, DROP_TRIGGER_SQL)]
