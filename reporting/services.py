"""Writes of reports: creating them for a period, the field log, values, spending, the life cycle."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from jmu_planner import access, dates
from jmu_planner.services import model_save, model_update
from plans.models import BudgetLine, Indicator, OperationalPlan
from reporting.models import (
    FieldActivity,
    IndicatorValue,
    Report,
    Spending,
)
from stakeholders.models import JMU, User

Kind = Report.Kind
Status = Report.Status


class ReportNotEditable(ValidationError):
    """The report is submitted or accepted: its content is frozen."""


# --- Periods and deadlines ---------------------------------------------------------------------------


def period_of(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The month, quarter or calendar year that contains `day`."""
    if kind == Kind.MONTHLY:
        return dates.month_start(day), dates.month_end(day)
    if kind == Kind.QUARTERLY:
        start = dates.quarter_start(day)
        return start, dates.month_end(dates.add_months(start, 2))
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


def _require(actor: User, action: str, report: Report) -> None:
    if not access.may(actor, action, report):
        raise ReportNotEditable(access.refusal(actor, action, report))


# --- The monthly report's content ----------------------------------------------------------------------


def month_closed_reason(*, jmu: JMU, day: datetime.date) -> str:
    """Why field work of this JMU on `day` can no longer be logged ('' while its month is open)."""
    return FieldActivity(jmu=jmu, date=day).frozen_reason()


@transaction.atomic
def activity_save(
    *,
    jmu: JMU,
    actor: User,
    data: Mapping[str, Any],
    members: Iterable = (),
    areas: Iterable = (),
    measures: Iterable = (),
    activity: FieldActivity | None = None,
    client_id: uuid.UUID | None = None,
) -> FieldActivity:
    """The JMU's people log field work on a day of a month whose report is not submitted (or
    not started); JMU members change their own entries, coordinators and experts any.

    The measures an entry served are those of the plan in force on its day.
    """
    if not access.may(actor, "reporting.log_field_work", jmu):
        raise ReportNotEditable(access.refusal(actor, "reporting.log_field_work", jmu))
    if activity is not None and not access.may(actor, "reporting.change_activity", activity):
        raise ReportNotEditable(access.refusal(actor, "reporting.change_activity", activity))
    if activity is None:
        activity = FieldActivity(jmu=jmu, created_by=actor)
        if client_id is not None:
            activity.client_id = client_id
    for name, value in data.items():
        setattr(activity, name, value)
    if hasattr(activity, "_month_report"):
        del activity._month_report  # the day may have moved to another month
    if activity.date and (reason := activity.frozen_reason()):
        raise ReportNotEditable({"date": reason})
    members, areas, measures = list(members), list(areas), list(measures)
    if any(member.jmu_id != jmu.pk for member in members):
        raise ValidationError({"members": _("Choose members of this JMU.")})
    if measures:
        plan = plan_in_force(jmu, activity.date, activity.date)
        if plan is None or any(measure.plan_id != plan.pk for measure in measures):
            raise ValidationError(
                {
                    "measures": _("Choose measures of the plan adopted for %(day)s.")
                    % {"day": f"{activity.date:%d.%m.%Y}"}
                }
            )
    model_save(activity, actor=actor)
    activity.members.set(members)
    activity.areas.set(areas)
    activity.measures.set(measures)
    return activity


def activity_known(*, client_id: uuid.UUID, actor: User) -> FieldActivity | None:
    """The entry the device already sent with this id, if any; an id another user's entry holds
    is refused (the same id from two people is no accident)."""
    existing = FieldActivity.objects.filter(client_id=client_id).first()
    if existing is not None and existing.created_by_id != actor.pk:
        raise ValidationError(_("This entry's id is already used by another entry."))
    return existing


def activity_receive(
    *,
    jmu: JMU,
    actor: User,
    client_id: uuid.UUID,
    data: Mapping[str, Any],
    members: Iterable = (),
    areas: Iterable = (),
    measures: Iterable = (),
) -> tuple[FieldActivity, bool]:
    """An entry logged on a device, with the id the device made: the same id again, however often
    or however concurrently it comes, is the same entry (the unique id decides), never a twin.
    Returns the entry and whether it is new."""
    existing = activity_known(client_id=client_id, actor=actor)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            activity = activity_save(
                jmu=jmu,
                actor=actor,
                data=data,
                members=members,
                areas=areas,
                measures=measures,
                client_id=client_id,
            )
    except (IntegrityError, ValidationError) as error:  # the same id saved a moment ago, concurrently
        if isinstance(error, ValidationError) and "client_id" not in getattr(error, "error_dict", {}):
            raise
        existing = activity_known(client_id=client_id, actor=actor)
        if existing is None:
            raise
        return existing, False
    return activity, True


def activity_delete(*, activity: FieldActivity, actor: User) -> None:
    if not access.may(actor, "reporting.change_activity", activity):
        raise ReportNotEditable(access.refusal(actor, "reporting.change_activity", activity))
    activity.delete()


@dataclass
class ValueRow:
    indicator: Indicator
    # value and breakdown, or the reason it is left empty; neither clears the row
    data: dict[str, Any]


@transaction.atomic
def indicator_values_save(*, report: Report, actor: User, rows: Sequence[ValueRow]) -> None:
    _require_editable(report)
    _require(actor, "reporting.change_report", report)
    existing = {v.indicator_id: v for v in report.indicator_values.all()}
    errors: dict[str, list[str]] = {}
    for row in rows:
        current = existing.get(row.indicator.pk)
        if row.data.get("value") is None and not row.data.get("empty_reason"):
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
    """The month's amount on each line: checked first, all of them, then written in bulk, with
    their history rows (a 150-measure plan has some 300 lines; saved one by one they took about 7
    queries each). An amount cleared deletes the line's spending, one by one as before:
    simple_history records a delete per instance."""
    _require_editable(report)
    _require(actor, "reporting.change_report", report)
    existing = {s.budget_line_id: s for s in report.spending.all()}
    created: list[Spending] = []
    changed: list[Spending] = []
    for line, amount in amounts.items():
        current = existing.get(line.pk)
        if amount is None:
            if current is not None:
                current.delete()
            continue
        spending = current or Spending(report=report)
        spending.budget_line = line  # the caller's line, its measure read: Spending.clean needs it
        spending.amount = amount
        # model_save's checks without their per-row queries: the report and line were just read,
        # and there is one row per line (`existing`), which the unique constraint backs.
        spending.full_clean(
            exclude=["report", "budget_line"], validate_unique=False, validate_constraints=False
        )
        (changed if current else created).append(spending)
    if created:
        bulk_create_with_history(created, Spending, default_user=actor)
    if changed:
        bulk_update_with_history(changed, Spending, ["amount"], default_user=actor)


def narrative_update(*, report: Report, actor: User, data: Mapping[str, Any]) -> Report:
    _require_editable(report)
    _require(actor, "reporting.draft_report", report)
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
