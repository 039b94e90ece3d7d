"""The table of the "ratelimits" cache (config.ratelimit): rate-limit counters kept in
PostgreSQL so they hold while Redis is down."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_user_language")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
