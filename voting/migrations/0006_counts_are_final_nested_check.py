from django.db import migrations

# 0004's guard read OLD.published_at on proposal results too (PL/pgSQL does not stop at
# the first false condition), so changing a result failed with an error instead of the
# guard's refusal. The same rule, with the checks nested.
SQL = """
CREATE OR REPLACE FUNCTION voting_count_is_final() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'voting_envelopecount' AND TG_OP = 'UPDATE' THEN
        IF to_jsonb(OLD) ->> 'published_at' IS NULL
            AND (to_jsonb(NEW) - 'published_at') = (to_jsonb(OLD) - 'published_at') THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'A stored count cannot be changed or deleted.'
        USING ERRCODE = 'check_violation';
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0004_participation_per_round"),
    ]

    operations = [migrations.RunSQL(sql=SQL, reverse_sql=migrations.RunSQL.noop)]
