-- The database's own guard on a round's money, rules and phases, so that every path
-- (admin edit, delete, bulk action, History → Revert, a shell) obeys the same rules as
-- budgets/services.py, which refuses first with a plain message.
-- SQLSTATE 23514 (check_violation) reaches Django as IntegrityError.

CREATE OR REPLACE FUNCTION budgets_fund_handed_out(fund bigint, leave_out bigint)
RETURNS bigint LANGUAGE sql AS $$
    SELECT COALESCE(SUM(e.amount_pence), 0)::bigint
    FROM budgets_envelope e JOIN budgets_round r ON r.id = e.round_id
    WHERE r.fund_id = fund AND e.id IS DISTINCT FROM leave_out
$$;

CREATE OR REPLACE FUNCTION budgets_envelope_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_phase text;
    fund bigint;
    fund_total bigint;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT phase INTO old_phase FROM budgets_round WHERE id = OLD.round_id;
        IF old_phase IS DISTINCT FROM 'draft' AND (
            TG_OP = 'DELETE'
            OR NEW.amount_pence <> OLD.amount_pence
            OR NEW.round_id <> OLD.round_id
            OR NEW.neighbourhood_id <> OLD.neighbourhood_id
        ) THEN
            RAISE EXCEPTION 'The envelopes of a round are fixed once it has left its draft.'
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    SELECT fund_id INTO fund FROM budgets_round WHERE id = NEW.round_id;
    -- The fund's row lock queues envelope writes and total changes one behind another;
    -- each then sums what the others committed.
    SELECT total_pence INTO fund_total FROM budgets_fund WHERE id = fund FOR UPDATE;
    IF budgets_fund_handed_out(fund, NEW.id) + NEW.amount_pence > fund_total THEN
        RAISE EXCEPTION 'The envelopes of a fund''s rounds cannot add up to more than the fund.'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER budgets_envelope_guard
    BEFORE INSERT OR UPDATE OR DELETE ON budgets_envelope
    FOR EACH ROW EXECUTE FUNCTION budgets_envelope_guard();

CREATE OR REPLACE FUNCTION budgets_fund_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM budgets_fund WHERE id = NEW.id FOR UPDATE;
    IF NEW.total_pence < budgets_fund_handed_out(NEW.id, NULL) THEN
        RAISE EXCEPTION 'A fund''s total cannot be less than its rounds'' envelopes.'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER budgets_fund_guard
    BEFORE UPDATE OF total_pence ON budgets_fund
    FOR EACH ROW EXECUTE FUNCTION budgets_fund_guard();

CREATE OR REPLACE FUNCTION budgets_round_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.phase <> 'draft' THEN
            RAISE EXCEPTION 'A round that has left its draft cannot be deleted.'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.phase <> 'draft' AND (
        NEW.fund_id <> OLD.fund_id
        OR NEW.ballot_rule IS DISTINCT FROM OLD.ballot_rule
        OR NEW.max_choices IS DISTINCT FROM OLD.max_choices
        OR NEW.points_total IS DISTINCT FROM OLD.points_total
        OR NEW.points_per_proposal_max IS DISTINCT FROM OLD.points_per_proposal_max
        OR NEW.counting_rule IS DISTINCT FROM OLD.counting_rule
        OR NEW.requires_voter_code IS DISTINCT FROM OLD.requires_voter_code
        OR NEW.minimum_age IS DISTINCT FROM OLD.minimum_age
    ) THEN
        RAISE EXCEPTION 'A round''s fund and rules are fixed once it has left its draft.'
            USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.phase <> 'draft' AND NEW.phase = 'draft' THEN
        RAISE EXCEPTION 'A round cannot go back to its draft.' USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.phase = 'published' AND NEW.phase <> 'published' THEN
        RAISE EXCEPTION 'A published round stays published.' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.phase = 'published' AND OLD.phase NOT IN ('counted', 'published') THEN
        RAISE EXCEPTION 'Only a counted round can be published.' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.fund_id <> OLD.fund_id THEN
        PERFORM 1 FROM budgets_fund WHERE id = NEW.fund_id FOR UPDATE;
        IF budgets_fund_handed_out(NEW.fund_id, NULL) + (
            SELECT COALESCE(SUM(amount_pence), 0) FROM budgets_envelope WHERE round_id = NEW.id
        ) > (SELECT total_pence FROM budgets_fund WHERE id = NEW.fund_id) THEN
            RAISE EXCEPTION 'The envelopes of a fund''s rounds cannot add up to more than the fund.'
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER budgets_round_guard
    BEFORE UPDATE OR DELETE ON budgets_round
    FOR EACH ROW EXECUTE FUNCTION budgets_round_guard();
