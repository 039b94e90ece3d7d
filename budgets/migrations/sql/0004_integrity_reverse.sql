DROP TRIGGER IF EXISTS budgets_round_guard ON budgets_round;
DROP FUNCTION IF EXISTS budgets_round_guard();
DROP TRIGGER IF EXISTS budgets_fund_guard ON budgets_fund;
DROP FUNCTION IF EXISTS budgets_fund_guard();
DROP TRIGGER IF EXISTS budgets_envelope_guard ON budgets_envelope;
DROP FUNCTION IF EXISTS budgets_envelope_guard();
DROP FUNCTION IF EXISTS budgets_fund_handed_out(bigint, bigint);
