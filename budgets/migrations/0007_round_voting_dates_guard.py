from django.db import migrations

# Once voting has closed, the round's voting dates are part of the record (the published
# ballot file carries them): no path may rewrite them.
GUARD = """
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
CREATE TRIGGER budgets_round_dates_guard
    BEFORE UPDATE ON budgets_round
    FOR EACH ROW EXECUTE FUNCTION budgets_round_dates_guard();
"""
UNGUARD = """
DROP TRIGGER budgets_round_dates_guard ON budgets_round;
DROP FUNCTION budgets_round_dates_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("budgets", "0006_round_thresholds_guard")]

    operations = [migrations.RunSQL(GUARD, UNGUARD)]
