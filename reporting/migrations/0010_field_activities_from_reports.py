"""Field entries move from their monthly report to the report's JMU (and keep their day).

Forwards: each entry (and each of its history rows) takes its report's JMU, a device id of its
own, and the time it was first recorded as `created_at`. Backwards: each entry goes back to the
monthly report of its JMU and month; an entry logged for a month without a report has nowhere to
go, and the reversal stops with the list rather than lose it.
"""

import uuid

from django.db import migrations
from django.db.models import Min, OuterRef, Subquery


def to_jmu(apps, schema_editor):
    FieldActivity = apps.get_model("reporting", "FieldActivity")
    History = apps.get_model("reporting", "HistoricalFieldActivity")
    Report = apps.get_model("reporting", "Report")
    jmu_of_report = Report.objects.filter(pk=OuterRef("report_id")).values("jmu_id")[:1]
    FieldActivity.objects.filter(jmu__isnull=True).update(jmu_id=Subquery(jmu_of_report))
    History.objects.filter(jmu__isnull=True, report_id__isnull=False).update(jmu_id=Subquery(jmu_of_report))
    first_recorded = dict(History.objects.values("id").annotate(at=Min("history_date")).values_list("id", "at"))
    entries = list(FieldActivity.objects.filter(client_id__isnull=True))
    for entry in entries:
        entry.client_id = uuid.uuid4()
        entry.created_at = first_recorded.get(entry.pk, entry.created_at)
    FieldActivity.objects.bulk_update(entries, ["client_id", "created_at"], batch_size=500)
    for pk, client_id in FieldActivity.objects.values_list("pk", "client_id"):
        History.objects.filter(id=pk, client_id__isnull=True).update(client_id=client_id)


def to_report(apps, schema_editor):
    FieldActivity = apps.get_model("reporting", "FieldActivity")
    Report = apps.get_model("reporting", "Report")
    reports = {
        (r.jmu_id, r.period_start): r.pk
        for r in Report.objects.filter(kind="monthly").only("pk", "jmu_id", "period_start")
    }
    homeless = []
    entries = list(FieldActivity.objects.all())
    for entry in entries:
        entry.report_id = reports.get((entry.jmu_id, entry.date.replace(day=1)))
        if entry.report_id is None:
            homeless.append(f"#{entry.pk} ({entry.date:%d.%m.%Y})")
    if homeless:
        raise RuntimeError(
            "These field entries have no monthly report to go back to; start the reports of "
            f"their months first: {', '.join(homeless)}"
        )
    FieldActivity.objects.bulk_update(entries, ["report_id"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0009_field_activity_belongs_to_jmu")]

    operations = [migrations.RunPython(to_jmu, to_report)]
