"""Notifications moved out of the plans app: keep every inbox row (its text as a stored event)."""

from django.db import migrations


def copy_rows(apps, schema_editor):
    Old = apps.get_model("plans", "Notification")
    New = apps.get_model("notifications", "Notification")
    New.objects.bulk_create(
        New(
            recipient_id=row.recipient_id, event="legacy", params={"text": row.text}, url=row.url,
            created_at=row.created_at, read_at=row.read_at, emailed_at=row.emailed_at,
            email_skipped=row.emailed_at is None,
        )
        for row in Old.objects.iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("plans", "0003_adoption_file_server_named"),
    ]

    operations = [migrations.RunPython(copy_rows, migrations.RunPython.noop)]
