"""Deadline reminders: three days before a report is due, the day after it is missed, then weekly.

Each reminder has a scheduled day and is recorded when sent (`ReminderSent`, unique per expected
report, event and day). A run sends every reminder scheduled in the last `catch_up_days` days and
not yet recorded: running twice for a day sends nothing twice (two runs at once as well: the unique
constraint decides), and a day the task did not run is caught up by the next run.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse

from jmu_planner.access import Role
from jmu_planner.notifications.events import bilingual
from jmu_planner.notifications.services import notify
from plans.models import OperationalPlan
from reporting.models import ReminderSent, Report
from reporting.selectors import REPORTED, expected_reports
from stakeholders.models import User


def _scheduled_day(*, due: datetime.date, today: datetime.date, days_before: int, catch_up_days: int):
    """The reminder (event, day) the expected report has in the window ending today, if any."""
    oldest = today - datetime.timedelta(days=catch_up_days)
    before = due - datetime.timedelta(days=days_before)
    if oldest <= before <= today and today <= due:
        return "report.due", before
    late = (today - due).days
    if late >= 1:
        # Overdue: the day after the due date, then every 7 days; the latest such day so far.
        day = due + datetime.timedelta(days=1 + 7 * ((late - 1) // 7))
        if day >= oldest:
            return "report.overdue", day
    return None


def send_reminders(*, today: datetime.date, days_before: int, catch_up_days: int = 3) -> int:
    """Notify (inbox and e-mail) the coordinators of each LSG with a report due or overdue, once per
    scheduled reminder. Returns how many reminders were sent by this run."""
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
        scheduled = _scheduled_day(
            due=due.due, today=today, days_before=days_before, catch_up_days=catch_up_days
        )
        lsg = due.plan.jmu.lsg
        users = coordinators.get(lsg.pk, [])
        if scheduled is None or not users:
            continue  # nothing due; or nobody to tell yet (a coordinator named later still is)
        event, day = scheduled
        key = {
            "jmu_id": due.plan.jmu_id,
            "report_kind": due.kind,
            "period_start": due.period_start,
            "event": event,
            "scheduled_for": day,
        }
        if ReminderSent.objects.filter(**key).exists():
            continue
        try:
            # The record and the inbox rows (the e-mail outbox) commit together or not at all.
            with transaction.atomic():
                ReminderSent.objects.create(**key)
                url = (
                    reverse("reporting:report-detail", args=[due.report.pk])
                    if due.report
                    else reverse("reporting:report-create")
                )
                notify(
                    users=users,
                    url=url,
                    event=event,
                    params={
                        "kind": due.kind,
                        "period": due.label,
                        "lsg": bilingual(lsg.name_lat, lsg.name_cyr),
                        "due": due.due.isoformat(),
                    },
                )
        except IntegrityError:
            continue  # another run sent it a moment ago
        sent += 1
    return sent
