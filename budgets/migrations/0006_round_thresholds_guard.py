from django.db import migrations

# The two new rule fields are fixed once a round leaves its draft, like the others
# (budgets_round_guard in 0004_integrity guards those).
GUARD = """
CREATE OR REPLACE FUNCTION budgets_round_thresholds_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.phase <> 'draft' AND (
        NEW.min_votes IS DISTINCT FROM OLD.min_votes
        OR NEW.cost_share_divisor IS DISTINCT FROM OLD.cost_share_divisor
    ) THEN
        RAISE EXCEPTION 'A round''s fund and rules are fixed once it has left its draft.'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER budgets_round_thresholds_guard
    BEFORE UPDATE ON budgets_round
    FOR EACH ROW EXECUTE FUNCTION budgets_round_thresholds_guard();
"""
UNGUARD = """
DROP TRIGGER budgets_round_thresholds_guard ON budgets_round;
DROP FUNCTION budgets_round_thresholds_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("budgets", "0004_round_close_waits_for_casts")]

    operations = [migrations.RunSQL(GUARD, UNGUARD)]
