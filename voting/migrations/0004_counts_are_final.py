from django.db import migrations

# A stored count is final: it may be published (published_at set once), never changed or
# deleted, whatever path tries (admin, History → Revert, a shell). SQLSTATE 23514 reaches
# Django as IntegrityError.
SQL = """
CREATE OR REPLACE FUNCTION voting_count_is_final() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'voting_envelopecount' AND TG_OP = 'UPDATE'
        AND OLD.published_at IS NULL
        AND (to_jsonb(NEW) - 'published_at') = (to_jsonb(OLD) - 'published_at') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'A stored count cannot be changed or deleted.'
        USING ERRCODE = 'check_violation';
END
$$;

CREATE TRIGGER voting_envelopecount_is_final
    BEFORE UPDATE OR DELETE ON voting_envelopecount
    FOR EACH ROW EXECUTE FUNCTION voting_count_is_final();

CREATE TRIGGER voting_proposalresult_is_final
    BEFORE UPDATE OR DELETE ON voting_proposalresult
    FOR EACH ROW EXECUTE FUNCTION voting_count_is_final();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS voting_proposalresult_is_final ON voting_proposalresult;
DROP TRIGGER IF EXISTS voting_envelopecount_is_final ON voting_envelopecount;
DROP FUNCTION IF EXISTS voting_count_is_final();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0003_proposal_result_reason_values"),
    ]

    operations = [migrations.RunSQL(sql=SQL, reverse_sql=REVERSE_SQL)]
