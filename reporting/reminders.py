"""Deadline reminders: three days before a report is due, the day after it is missed, then weekly."""

from __future__ import annotations

import datetime

from django.urls import reverse

from jmu_planner.access import Role
from jmu_planner.notifications.events import bilingual
from jmu_planner.notifications.services import notify
from plans.models import OperationalPlan
from reporting.models import Report
from reporting.selectors import REPORTED, expected_reports
from stakeholders.models import User


def send_reminders(*, today: datetime.date, days_before: int) -> int:
    """Notify (inbox and e-mail) the coordinators of each LSG with a report due or overdue today."""
    plans = list(
        OperationalPlan.objects.filter(status=OperationalPlan.Status.ADOPTED).select_related("jmu__lsg")
    )
    reports = list(
        Report.objects.filter(plan__in=plans).only("pk", "jmu_id", "kind", "period_start", "status")
    )
    coordinators: dict[int, list[User]] = {}
    for user in User.objects.filter(is_active=True, lsg_roles__role=Role.COORDINATOR).prefetch_related(
        "lsg_roles"
    ):
        for assignment in user.lsg_roles.all():
            if assignment.role == Role.COORDINATOR:
                coordinators.setdefault(assignment.lsg_id, []).append(user)
    sent = 0
    for due in expected_reports(plans, reports):
        if due.report is not None and due.report.status in REPORTED:
            continue
        late = (today - due.due).days
        if late == -days_before:
            event = "report.due"
        elif late > 0 and late % 7 == 1:
            event = "report.overdue"
        else:
            continue
        lsg = due.plan.jmu.lsg
        url = (
            reverse("reporting:report-detail", args=[due.report.pk])
            if due.report
            else reverse("reporting:report-create")
        )
        notify(
            users=coordinators.get(lsg.pk, []),
            url=url,
            event=event,
            params={
                "kind": due.kind,
                "period": due.label,
                "lsg": bilingual(lsg.name_lat, lsg.name_cyr),
                "due": due.due.isoformat(),
            },
        )
        sent += 1
    return sent
