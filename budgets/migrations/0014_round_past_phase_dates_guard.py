from django.db import migrations

# The planned date of each phase a round has begun is on its record, like the voting dates
# once voting has closed (0007, 0010): no path may rewrite it (Round.fixed_dates).
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
    IF (OLD.phase <> 'draft'
            AND NEW.proposals_open_at IS DISTINCT FROM OLD.proposals_open_at)
        OR (OLD.phase NOT IN ('draft', 'proposals_open')
            AND NEW.review_starts_at IS DISTINCT FROM OLD.review_starts_at)
        OR (OLD.phase NOT IN ('draft', 'proposals_open', 'review')
            AND NEW.voting_opens_at IS DISTINCT FROM OLD.voting_opens_at)
    THEN
        RAISE EXCEPTION 'A round''s dates are fixed once their phase has begun.'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
"""
# As 0010 left it.
UNGUARD = """
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


class Migration(migrations.Migration):
    dependencies = [("budgets", "0013_round_constraints_one_field_each")]

    operations = [migrations.RunSQL(GUARD, UNGUARD)]
