"""The experts' work for one LSG, shared by the access matrix and the engagement tests."""

from __future__ import annotations

import datetime
import subprocess
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile

from stakeholders.models import (
    Attachment,
    Engagement,
    ExpertContract,
    FinalReport,
    LAPMeasure,
    PolicyDocument,
    Recommendation,
    TimeSheet,
    TimeSheetEntry,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def engagement_world(*, lsg, plan, measure, users) -> SimpleNamespace:
    expert = users["expert"]
    engagement = Engagement.objects.create(
        type=Engagement.Type.WORKSHOP,
        title="Radionica o merama",
        date=datetime.date(2026, 3, 10),
        created_by=expert,
    )
    engagement.lsgs.set([lsg])
    attachment = Attachment(engagement=engagement, kind="png", original_name="slika.png", size=len(PNG))
    attachment.file.save("slika.png", ContentFile(PNG), save=False)
    attachment.save()
    recommendation = Recommendation.objects.create(
        engagement=engagement,
        lsg=lsg,
        text="Uvesti redovne obilaske naselja.",
        addressee="Mobilni tim",
        created_by=expert,
    )
    policy = PolicyDocument.objects.create(
        lsg=lsg,
        kind=PolicyDocument.Kind.LAP_ROMA,
        title="LAP za Rome",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2030, 12, 31),
    )
    lap_measure = LAPMeasure.objects.create(document=policy, number="1.1", title="Predškolsko obrazovanje")
    contract = ExpertContract.objects.create(
        expert=expert,
        title="Ekspert za operativne planove",
        days_contracted=Decimal("20"),
        period_start=datetime.date(2029, 1, 1),
        period_end=datetime.date(2029, 12, 31),
    )
    timesheet = TimeSheet.objects.create(contract=contract, month=datetime.date(2029, 3, 1))
    timesheet_entry = TimeSheetEntry.objects.create(
        timesheet=timesheet, lsg=lsg, activity="Radionica", days=Decimal("1.5")
    )
    final_report = FinalReport.objects.create(contract=contract, outputs="Nacrt plana.")
    return SimpleNamespace(
        engagement=engagement,
        attachment=attachment,
        recommendation=recommendation,
        policy=policy,
        lap_measure=lap_measure,
        contract=contract,
        timesheet=timesheet,
        timesheet_entry=timesheet_entry,
        final_report=final_report,
    )


def pdf_text(document) -> str:
    """The text of a rendered document (`reporting.models.Document`), laid out as on the page."""
    result = subprocess.run(
        ["pdftotext", "-layout", document.file.path, "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def inbox(user) -> list[str]:
    from jmu_planner.notifications.events import render
    from jmu_planner.notifications.models import Notification

    return [render(n.event, n.params) for n in Notification.objects.filter(recipient=user).order_by("pk")]


def as_user(client, user):
    client.force_login(user)
    return client
