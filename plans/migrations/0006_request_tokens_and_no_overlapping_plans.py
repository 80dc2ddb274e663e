"""Double submits: one-time form tokens on plans and measures, and the overlap rule in the database.

The tokens are added empty, then given their per-row default (a callable default on a unique column
would give every existing row the same value). On PostgreSQL an exclusion constraint refuses two
plans of one JMU whose periods overlap unless they are versions of the same plan (one lineage);
SQLite (the embedded default) keeps the model validation and the JMU row lock alone.
"""

import uuid

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models

CONSTRAINT = "plan_periods_of_a_jmu_do_not_overlap"


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE plans_operationalplan ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(jmu_id WITH =, daterange(period_start, period_end, '[]') WITH &&, lineage WITH <>)"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE plans_operationalplan DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_measure_lap_measure"),
    ]

    operations = [
        BtreeGistExtension(),
        migrations.AddField(
            model_name="operationalplan",
            name="request_token",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="operationalplan",
            name="request_token",
            field=models.UUIDField(blank=True, default=uuid.uuid4, editable=False, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="historicaloperationalplan",
            name="request_token",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="historicaloperationalplan",
            name="request_token",
            field=models.UUIDField(blank=True, db_index=True, default=uuid.uuid4, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="measure",
            name="request_token",
            field=models.UUIDField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="measure",
            name="request_token",
            field=models.UUIDField(blank=True, default=uuid.uuid4, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="historicalmeasure",
            name="request_token",
            field=models.UUIDField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="historicalmeasure",
            name="request_token",
            field=models.UUIDField(blank=True, db_index=True, default=uuid.uuid4, null=True),
        ),
        migrations.RunPython(add_exclusion, drop_exclusion, elidable=False),
    ]
