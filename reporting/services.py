"""Writes of reports: creating them for a period, the field log, values, spending, the life cycle."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jmu_planner import access
from jmu_planner.access import Role
from jmu_planner.services import model_save, model_update
from plans.models import BudgetLine, Indicator, OperationalPlan
from plans.review import notify
from reporting.models import (
    ACTIVITY_LOGGERS,
    REPORT_EDITORS,
    FieldActivity,
    IndicatorValue,
    Report,
    ReportTransition,
    Spending,
    month_end,
)
from stakeholders.models import JMU, User

Kind = Report.Kind
Status = Report.Status


class ReportNotEditable(ValidationError):
    """The report is submitted or accepted: its content is frozen."""


class ReportTransitionRefused(ValidationError):
    pass


# --- Periods and deadlines ---------------------------------------------------------------------------


def period_of(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The month, quarter or calendar year that contains `day`."""
    if kind == Kind.MONTHLY:
        start = day.replace(day=1)
        return start, month_end(start)
    if kind == Kind.QUARTERLY:
        start = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return start, month_end(start.replace(month=start.month + 2))
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


def due_date(kind: str, period_end: datetime.date) -> datetime.date:
    """Monthly by the 10th of the next month, quarterly by the 15th after, annual by 31 January."""
    following = period_end + datetime.timedelta(days=1)
    if kind == Kind.MONTHLY:
        return following.replace(day=settings.REPORT_DUE_MONTHLY_DAY)
    if kind == Kind.QUARTERLY:
        return following.replace(day=settings.REPORT_DUE_QUARTERLY_DAY)
    month, day = settings.REPORT_DUE_ANNUAL
    return datetime.date(period_end.year + 1, month, day)


def plan_in_force(jmu: JMU, start: datetime.date, end: datetime.date) -> OperationalPlan | None:
    """The adopted (not superseded) plan version of the JMU whose period overlaps the period."""
    return (
        OperationalPlan.objects.filter(
            jmu=jmu, status=OperationalPlan.Status.ADOPTED, period_start__lte=end, period_end__gte=start
        )
        .order_by("-version")
        .first()
    )


def report_create(*, jmu: JMU, kind: str, day: datetime.date, actor: User) -> Report:
    start, end = period_of(kind, day)
    plan = plan_in_force(jmu, start, end)
    if plan is None:
        raise ValidationError(
            {
                "period": _(
                    "No adopted plan of this JMU covers %(start)s – %(end)s: report against an "
                    "adopted plan, inside its period."
                )
                % {"start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}"}
            }
        )
    if Report.objects.filter(jmu=jmu, kind=kind, period_start=start).exists():
        raise ValidationError({"period": _("This JMU already has a report for this period.")})
    report = Report(
        jmu=jmu, plan=plan, kind=kind, period_start=start, period_end=end, due_date=due_date(kind, end)
    )
    try:
        with transaction.atomic():
            return model_save(report, actor=actor)
    except IntegrityError as exc:  # the same report made a moment ago in another request
        raise ValidationError({"period": _("This JMU already has a report for this period.")}) from exc


def _require_editable(report: Report) -> None:
    if not report.is_editable:
        raise ReportNotEditable(
            _("This report is %(status)s and can no longer be changed.")
            % {"status": report.get_status_display().lower()}
        )


def _may(user: User, report: Report, roles: Iterable[str]) -> bool:
    return access.is_administrator(user) or bool(access.roles_in(user, report.jmu.lsg_id) & set(roles))


# --- The monthly report's content ----------------------------------------------------------------------


@transaction.atomic
def activity_save(
    *,
    report: Report,
    actor: User,
    data: Mapping[str, Any],
    members: Iterable = (),
    areas: Iterable = (),
    activity: FieldActivity | None = None,
) -> FieldActivity:
    """JMU members log their own field work; coordinators and experts any of the report's."""
    _require_editable(report)
    if report.kind != Kind.MONTHLY:
        raise ValidationError(_("Field activities belong to monthly reports."))
    if not _may(actor, report, ACTIVITY_LOGGERS):
        raise ReportNotEditable(_("You may not log activities for this JMU."))
    if (
        activity is not None
        and not _may(actor, report, REPORT_EDITORS)
        and activity.created_by_id != actor.pk
    ):
        raise ReportNotEditable(_("You may change only the entries you logged."))
    activity = activity or FieldActivity(report=report, created_by=actor)
    for name, value in data.items():
        setattr(activity, name, value)
    model_save(activity, actor=actor)
    activity.members.set(list(members))
    activity.areas.set(list(areas))
    return activity


def activity_delete(*, activity: FieldActivity, actor: User) -> None:
    _require_editable(activity.report)
    if not _may(actor, activity.report, REPORT_EDITORS) and activity.created_by_id != actor.pk:
        raise ReportNotEditable(_("You may delete only the entries you logged."))
    activity.delete()


@dataclass
class ValueRow:
    indicator: Indicator
    data: dict[str, Any]  # value and breakdown; value None clears the row


@transaction.atomic
def indicator_values_save(*, report: Report, actor: User, rows: Sequence[ValueRow]) -> None:
    _require_editable(report)
    existing = {v.indicator_id: v for v in report.indicator_values.all()}
    errors: dict[str, list[str]] = {}
    for row in rows:
        current = existing.get(row.indicator.pk)
        if row.data.get("value") is None:
            if current is not None:
                current.delete()
            continue
        value = current or IndicatorValue(report=report, indicator=row.indicator)
        for name, v in row.data.items():
            setattr(value, name, v)
        try:
            model_save(value, actor=actor)
        except ValidationError as error:
            errors[str(row.indicator.pk)] = error.messages
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def spending_save(*, report: Report, actor: User, amounts: Mapping[BudgetLine, Any]) -> None:
    _require_editable(report)
    existing = {s.budget_line_id: s for s in report.spending.all()}
    for line, amount in amounts.items():
        current = existing.get(line.pk)
        if amount is None:
            if current is not None:
                current.delete()
            continue
        spending = current or Spending(report=report, budget_line=line)
        spending.amount = amount
        model_save(spending, actor=actor)


def narrative_update(*, report: Report, actor: User, data: Mapping[str, Any]) -> Report:
    _require_editable(report)
    return model_update(report, actor=actor, data=data)


def required_indicators(report: Report) -> list[Indicator]:
    """Indicators of the measures running in the report's month."""
    month = report.period_start
    return list(
        Indicator.objects.filter(measure__plan=report.plan)
        .filter(Q(measure__start_month__isnull=True) | Q(measure__start_month__lte=month))
        .filter(Q(measure__end_month__isnull=True) | Q(measure__end_month__gte=month))
        .select_related("measure__area")
        .order_by("measure__area__number", "measure__number", "position", "pk")
    )


def missing_values(report: Report) -> list[str]:
    if report.kind != Kind.MONTHLY:
        return []
    given = set(report.indicator_values.values_list("indicator_id", flat=True))
    return [f"{i.measure.code} {i.name}" for i in required_indicators(report) if i.pk not in given]


# --- Life cycle ----------------------------------------------------------------------------------------

TRANSITIONS = {
    (Status.DRAFT, Status.SUBMITTED): "authors",
    (Status.RETURNED, Status.SUBMITTED): "authors",
    (Status.SUBMITTED, Status.RETURNED): "reviewers",
    (Status.SUBMITTED, Status.ACCEPTED): "reviewers",
}


def may_move(user: User, report: Report, group: str) -> bool:
    if access.is_administrator(user):
        return True
    if group == "reviewers":
        return access.is_programme_officer(user)
    return bool(access.roles_in(user, report.jmu.lsg_id) & REPORT_EDITORS)


def allowed_moves(user: User, report: Report) -> list[str]:
    return [
        to
        for (frm, to), group in TRANSITIONS.items()
        if frm == report.status and may_move(user, report, group)
    ]


@transaction.atomic
def report_transition(*, report: Report, to: str, actor: User, note: str = "") -> Report:
    report = Report.objects.select_for_update().select_related("jmu__lsg").get(pk=report.pk)
    group = TRANSITIONS.get((report.status, to))
    if group is None:
        raise ReportTransitionRefused(
            _("A report that is %(status)s cannot be moved to “%(to)s”.")
            % {"status": report.get_status_display().lower(), "to": Status(to).label.lower()}
        )
    if not may_move(actor, report, group):
        raise ReportTransitionRefused(_("You may not make this change."))
    note = note.strip()
    if to == Status.RETURNED and not note:
        raise ReportTransitionRefused({"note": _("Say what has to be fixed: a note is required.")})
    if to == Status.SUBMITTED:
        missing = missing_values(report)
        if missing:
            raise ReportTransitionRefused([_("Values are missing for these indicators:"), *missing])
    ReportTransition.objects.create(
        report=report, actor=actor, from_status=report.status, to_status=to, note=note
    )
    report.status = to
    fields = ["status"]
    if to == Status.SUBMITTED:
        report.submitted_at = timezone.now()
        fields.append("submitted_at")
    report._history_user = actor
    report.save(update_fields=fields)
    _notify(report, to=to, actor=actor, note=note)
    return report


def _notify(report: Report, *, to: str, actor: User, note: str) -> None:
    url = reverse("reporting:report-detail", args=[report.pk])
    names = {"report": str(report), "who": actor, "note": note}
    if to == Status.SUBMITTED:
        officers = User.objects.filter(is_active=True, global_role=access.GlobalRole.PROGRAMME_OFFICER)
        notify(users=officers, url=url, text=_("%(report)s was submitted.") % names)
        return
    people = User.objects.filter(
        is_active=True,
        lsg_roles__lsg_id=report.jmu.lsg_id,
        lsg_roles__role__in=[Role.COORDINATOR, Role.EXPERT],
    ).distinct()
    text = (
        _("%(who)s returned %(report)s: %(note)s")
        if to == Status.RETURNED
        else _("%(who)s accepted %(report)s.")
    ) % names
    notify(users=[u for u in people if u.pk != actor.pk], url=url, text=text)
