"""Reads of reports: roll-ups of the months, budget execution, people reached, deadlines."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Max, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from jmu_planner import access
from jmu_planner.dates import iter_months
from plans.models import BudgetLine, Indicator, OperationalPlan
from reporting.models import (
    COUNT_FIELDS,
    FieldActivity,
    IndicatorValue,
    Report,
    ReportTransition,
    Spending,
)
from reporting.services import due_date, missing_values, period_of
from stakeholders.models import User

Kind = Report.Kind
Status = Report.Status
ZERO = Decimal("0.00")
REPORTED = [Status.SUBMITTED, Status.ACCEPTED]
SUPPRESS_BELOW = 5
BREAKDOWN_PARTS = ["male", "female", *COUNT_FIELDS]


def suppress(count) -> str:
    """A count as it may leave the LSG's own pages: below 5 it reads "<5" (DOMAIN.md)."""
    if count is None:
        return "—"
    return "<5" if 0 < count < SUPPRESS_BELOW else str(count)


def months_of(report: Report) -> QuerySet[Report]:
    """The monthly reports a report counts: reported months of its period, and itself."""
    months = Report.objects.filter(
        jmu_id=report.jmu_id,
        kind=Kind.MONTHLY,
        period_start__gte=report.period_start,
        period_start__lte=report.period_end,
    )
    return months.filter(Q(status__in=REPORTED) | Q(pk=report.pk))


# --- Indicator roll-ups -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmptyMonth:
    """A month whose value was left empty on purpose, and why."""

    month: datetime.date
    reason: str
    note: str

    @property
    def reason_label(self) -> str:
        return str(IndicatorValue.EmptyReason(self.reason).label) if self.reason else ""


@dataclass
class IndicatorRow:
    indicator: Indicator
    value: Decimal | None
    breakdown: dict[str, Decimal | None]
    months: int
    progress: Decimal | None
    empty_months: list[EmptyMonth] = field(default_factory=list)
    # Months of the period the measure ran with neither a value nor a reason (set by report_page).
    unreported: int = 0

    @property
    def display(self) -> str:
        return self.indicator.display_value(self.value)

    @property
    def display_outside(self) -> str:
        """As shown outside the LSG (exports, PDFs): a count of people below 5 reads "<5"."""
        value = self.value
        if self.indicator.type == Indicator.Type.NUMBER and value is not None and value == int(value):
            return suppress(int(value))
        return self.display


def rollup(report: Report) -> list[IndicatorRow]:
    """Each indicator of the plan with its value for the report's period: 4 queries.

    Monthly values roll up by the indicator's rule (sum, latest, maximum, average), computed by
    the database: one grouped aggregate, and one window query for each indicator's latest month.
    A month with no value is skipped, and so is a month left empty on purpose ("not measured",
    "no activity": its value is NULL); zero counts as zero. "Latest" is the last month with a value.
    """
    values = IndicatorValue.objects.filter(report__in=months_of(report))
    aggregates = {"months": Count("value")}  # months with a value: an on-purpose empty is NULL
    for part in ["value", *BREAKDOWN_PARTS]:
        aggregates |= {f"{part}__sum": Sum(part), f"{part}__max": Max(part), f"{part}__avg": Avg(part)}
    by_indicator = {row["indicator"]: row for row in values.values("indicator").annotate(**aggregates)}
    newest_first = Window(
        RowNumber(), partition_by=[F("indicator")], order_by=F("report__period_start").desc()
    )
    latest_rows = (
        values.filter(value__isnull=False)
        .annotate(rank=newest_first)
        .filter(rank=1)
        .values("indicator", "value", *BREAKDOWN_PARTS)
    )
    for row in latest_rows:
        found = by_indicator.setdefault(row["indicator"], {})
        found |= {f"{part}__latest": row[part] for part in ["value", *BREAKDOWN_PARTS]}
    # What was not reported on purpose, and why: shown against the plan.
    empty = values.filter(value__isnull=True).order_by("report__period_start")
    for indicator_id, month, reason, note in empty.values_list(
        "indicator", "report__period_start", "empty_reason", "empty_note"
    ):
        found = by_indicator.setdefault(indicator_id, {})
        found.setdefault("empty", []).append(EmptyMonth(month=month, reason=reason, note=note))
    indicators = (
        Indicator.objects.filter(measure__plan_id=report.plan_id)
        .select_related("measure__area")
        .order_by("measure__area__number", "measure__number", "position", "pk")
    )
    rows = []
    for indicator in indicators:
        found = by_indicator.get(indicator.pk, {})
        pick = indicator.aggregation  # sum, latest, max or avg: the names of the columns above
        value = _dec(found.get(f"value__{pick}"))
        breakdown = {part: _dec(found.get(f"{part}__{pick}")) for part in BREAKDOWN_PARTS}
        rows.append(
            IndicatorRow(
                indicator=indicator,
                value=value,
                breakdown=breakdown,
                months=found.get("months", 0),
                progress=_progress(value, indicator),
                empty_months=found.get("empty", []),
            )
        )
    return rows


def _dec(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _progress(value: Decimal | None, indicator: Indicator) -> Decimal | None:
    """Progress to target in percent. Where the target is below the baseline (a drop-out rate to
    bring down), progress is the share of the planned fall achieved; otherwise value / target."""
    target, baseline = indicator.target, indicator.baseline
    if value is None or target is None:
        return None
    if baseline is not None and target < baseline:
        share = (baseline - value) / (baseline - target)
    elif target:
        share = value / target
    else:
        return None
    return (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Budget execution -------------------------------------------------------------------------------------


@dataclass
class ExecutionRow:
    label: str
    planned: Decimal = ZERO
    in_period: Decimal = ZERO
    to_date: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.to_date

    @property
    def overspent(self) -> bool:
        return self.to_date > self.planned

    @property
    def rate(self) -> Decimal | None:
        return (self.to_date / self.planned * 100).quantize(Decimal("0.1")) if self.planned else None


@dataclass
class Execution:
    lines: list[ExecutionRow] = field(default_factory=list)
    measures: list[ExecutionRow] = field(default_factory=list)
    areas: list[ExecutionRow] = field(default_factory=list)
    sources: list[ExecutionRow] = field(default_factory=list)
    total: ExecutionRow = field(default_factory=lambda: ExecutionRow(label=gettext("Total")))

    @property
    def overspent(self) -> list[ExecutionRow]:
        return [row for row in self.lines if row.overspent]


def budget_execution(report: Report) -> Execution:
    """Planned against spent per line, measure, area and source: 2 queries.

    "In period" is the report's period; "to date" runs from the plan's start to its end.
    """
    spent = (
        Spending.objects.filter(
            report__jmu_id=report.jmu_id,
            report__kind=Kind.MONTHLY,
            report__plan_id=report.plan_id,
            report__period_start__lte=report.period_end,
        )
        .filter(Q(report__status__in=REPORTED) | Q(report_id=report.pk))
        .values("budget_line")
        .annotate(
            to_date=Sum("amount"),
            in_period=Sum("amount", filter=Q(report__period_start__gte=report.period_start)),
        )
    )
    by_line = {row["budget_line"]: row for row in spent}
    lines = (
        BudgetLine.objects.filter(measure__plan_id=report.plan_id)
        .select_related("measure__area", "source")
        .order_by("measure__area__number", "measure__number", "position", "pk")
    )
    result = Execution()
    groups: dict[tuple[str, object], ExecutionRow] = {}
    for line in lines:
        found = by_line.get(line.pk, {})
        row = ExecutionRow(
            label=f"{line.measure.code} {line.source}{f' – {line.description}' if line.description else ''}",
            planned=line.amount,
            in_period=found.get("in_period") or ZERO,
            to_date=found.get("to_date") or ZERO,
        )
        result.lines.append(row)
        for kind, key, label in [
            ("measures", line.measure_id, f"{line.measure.code} {line.measure.title}"),
            ("areas", line.measure.area_id, str(line.measure.area)),
            ("sources", line.source_id, str(line.source)),
            ("total", None, "Total"),
        ]:
            group = groups.get((kind, key))
            if group is None:
                group = groups[(kind, key)] = ExecutionRow(label=label)
                if kind == "total":
                    result.total = group
                else:
                    getattr(result, kind).append(group)
            group.planned += row.planned
            group.in_period += row.in_period
            group.to_date += row.to_date
    return result


# --- People reached -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    activities: int
    households: int
    counts: dict[str, int]

    @property
    def people(self) -> int:
        return sum(self.counts.values())

    @property
    def by_sex(self) -> dict[str, int]:
        return {
            sex: sum(v for k, v in self.counts.items() if k.startswith(sex)) for sex in ("male", "female")
        }


def people_reached(report: Report) -> Reach:
    """Summed over the period's months: one aggregate query."""
    totals = FieldActivity.objects.filter(report__in=months_of(report)).aggregate(
        activities=Count("pk"), households=Sum("households"), **{name: Sum(name) for name in COUNT_FIELDS}
    )
    return Reach(
        activities=totals["activities"],
        households=totals["households"] or 0,
        counts={name: totals[name] or 0 for name in COUNT_FIELDS},
    )


# --- Pages ----------------------------------------------------------------------------------------------


def report_list(*, user: User) -> QuerySet[Report]:
    return Report.objects.visible_to(user).select_related("jmu__lsg").order_by("-period_start", "kind")


@dataclass(frozen=True)
class ReportPage:
    report: Report
    indicators: list[IndicatorRow]
    execution: Execution
    reach: Reach
    activities: list[FieldActivity]
    months: list[Report]
    transitions: list
    missing: list[str]
    moves: list[str]
    can_edit: bool
    can_log: bool
    can_draft: bool


def report_page(*, user: User, pk: int) -> ReportPage:
    report = get_object_or_404(Report.objects.visible_to(user).select_related("jmu__lsg", "plan"), pk=pk)
    from reporting.lifecycle import REPORT_LIFECYCLE

    activities = []
    if report.kind == Kind.MONTHLY:
        activities = list(
            report.activities.select_related("settlement", "created_by").prefetch_related(
                Prefetch("members", queryset=report.jmu.memberships.select_related("role")), "areas"
            )
        )
    months = list(months_of(report).order_by("period_start").only("pk", "period_start", "status", "kind"))
    indicators = rollup(report)
    for row in indicators:
        # What was not reported, against the plan: months the measure ran, minus those with a
        # value or a reason for leaving it empty.
        measure = row.indicator.measure
        running = sum(
            1
            for m in months
            if (measure.start_month is None or measure.start_month <= m.period_start)
            and (measure.end_month is None or m.period_start <= measure.end_month)
        )
        row.unreported = max(running - row.months - len(row.empty_months), 0)
    return ReportPage(
        report=report,
        indicators=indicators,
        execution=budget_execution(report),
        reach=people_reached(report),
        activities=activities,
        months=months,
        transitions=list(ReportTransition.objects.filter(report=report).select_related("actor")),
        missing=missing_values(report) if report.is_editable else [],
        moves=[move.target for move in REPORT_LIFECYCLE.allowed(user, report)],
        can_edit=access.may(user, "reporting.change_report", report),
        can_log=report.kind == Kind.MONTHLY and access.may(user, "reporting.draft_report", report),
        can_draft=access.may(user, "reporting.draft_report", report),
    )


# --- Deadlines -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueReport:
    plan: OperationalPlan
    kind: str
    period_start: datetime.date
    period_end: datetime.date
    due: datetime.date
    report: Report | None

    @property
    def label(self) -> str:
        if self.kind == Kind.MONTHLY:
            return self.period_start.strftime("%m/%Y")
        if self.kind == Kind.QUARTERLY:
            return f"Q{(self.period_start.month - 1) // 3 + 1}/{self.period_start.year}"
        return str(self.period_start.year)

    @property
    def days_late(self) -> int:
        return (timezone.localdate() - self.due).days


def expected_reports(plans: list[OperationalPlan], reports: list[Report]) -> list[DueReport]:
    """Every report the adopted plans call for, with the report made for it, if any."""
    made = {(r.jmu_id, r.kind, r.period_start): r for r in reports}
    expected = []
    # Plans share their periods (mostly calendar years): each plan period's reports are worked out
    # once, not once per plan (the programme's home page and dashboard hold hundreds of plans).
    periods: dict[tuple[datetime.date, datetime.date], list[tuple]] = {}
    for plan in plans:
        calls_for = periods.get((plan.period_start, plan.period_end))
        if calls_for is None:
            calls_for = periods[(plan.period_start, plan.period_end)] = []
            seen = set()
            for day in iter_months(plan.period_start, plan.period_end):
                for kind in (Kind.MONTHLY, Kind.QUARTERLY, Kind.ANNUAL):
                    start, end = period_of(kind, day)
                    if (kind, start) not in seen:
                        seen.add((kind, start))
                        calls_for.append((kind, start, end, due_date(kind, end)))
        for kind, start, end, due in calls_for:
            expected.append(
                DueReport(
                    plan=plan,
                    kind=kind,
                    period_start=start,
                    period_end=end,
                    due=due,
                    report=made.get((plan.jmu_id, kind, start)),
                )
            )
    return expected


OVERDUE_BATCH = 40  # plans read at a time when only the first `limit` overdue reports are wanted


def overdue_reports(
    *, user: User, lsg_id: int | None = None, today: datetime.date | None = None, limit: int | None = None
) -> list[DueReport]:
    """Reports past their due date and not submitted: for one LSG, or all the user may see, the
    earliest first. 2 queries; with `limit`, the first `limit` of them, reading the plans oldest
    first a batch at a time (2 queries a batch) and stopping once no later plan can come before."""
    today = today or timezone.localdate()
    plans = OperationalPlan.objects.visible_to(user).filter(status=OperationalPlan.Status.ADOPTED)
    if lsg_id is not None:
        plans = plans.filter(jmu__lsg_id=lsg_id)
    plans = plans.select_related("jmu__lsg")
    if limit is None:
        return _overdue(list(plans), today)
    found: list[DueReport] = []
    plans = plans.order_by("period_start", "pk")
    offset = 0
    while True:
        batch = list(plans[offset : offset + OVERDUE_BATCH + 1])
        following = batch.pop() if len(batch) > OVERDUE_BATCH else None
        found = sorted([*found, *_overdue(batch, today)], key=_overdue_order)[:limit]
        # Every report of a later plan falls due after that plan starts.
        if following is None or (len(found) == limit and found[-1].due < following.period_start):
            return found
        offset += OVERDUE_BATCH


def _overdue_order(due: DueReport) -> tuple:
    return (due.due, due.plan.jmu.lsg.name_lat, due.kind)


def _overdue(plans: list[OperationalPlan], today: datetime.date) -> list[DueReport]:
    reports = list(
        Report.objects.filter(plan__in=plans).only("pk", "jmu_id", "kind", "period_start", "status")
    )
    return sorted(
        (
            due
            for due in expected_reports(plans, reports)
            if due.due < today and (due.report is None or due.report.status not in REPORTED)
        ),
        key=_overdue_order,
    )
