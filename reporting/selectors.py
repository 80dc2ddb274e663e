"""Reads of reports: roll-ups of the months, budget execution, people reached, deadlines."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, F, Max, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from jmu_planner import access
from jmu_planner.dates import iter_months
from plans.models import Bound, BudgetLine, Indicator, Measure, OperationalPlan
from reporting.models import (
    COUNT_FIELDS,
    FieldActivity,
    IndicatorValue,
    Report,
    ReportTransition,
    Spending,
)
from reporting.services import due_date, period_of
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


def plan_measures(plan_id: int) -> dict[int, Measure]:
    """The plan's measures with their areas, by id: 1 query. The report page reads them once for
    its roll-up and budget execution, rather than joining a fresh copy of each measure and area
    into each of a 150-measure plan's 450 indicator and 300 budget-line rows (building those
    model instances was most of the page's time after its rows, bench/report_rollup.py)."""
    return {m.pk: m for m in Measure.objects.filter(plan_id=plan_id).select_related("area")}


def _attach_measure(row: Indicator | BudgetLine, measures: dict[int, Measure] | None) -> None:
    if measures is not None:
        measure = measures.get(row.measure_id)
        if measure is not None:  # else (a measure added since they were read) it loads on access
            row.measure = measure


def rollup(report: Report, measures: dict[int, Measure] | None = None) -> list[IndicatorRow]:
    """Each indicator of the plan with its value for the report's period: 4 queries (the
    indicators' measures joined, or taken from `measures`, plan_measures()).

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
    indicators = Indicator.objects.filter(measure__plan_id=report.plan_id).order_by(
        "measure__area__number", "measure__number", "position", "pk"
    )
    if measures is None:
        indicators = indicators.select_related("measure__area")
    rows = []
    for indicator in indicators:
        _attach_measure(indicator, measures)
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
class LimitExecution:
    """A ceiling or a floor the plan states (a budget line or an envelope), against what is planned
    and spent to date under it: never a row of the sums."""

    label: str
    bound: str
    amount: Decimal
    planned: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def broken(self) -> bool:
        if self.bound == Bound.AT_MOST:
            return self.planned > self.amount or self.spent > self.amount
        return self.planned < self.amount

    @property
    def bound_label(self) -> str:
        return str(Bound(self.bound).label)


@dataclass
class Execution:
    lines: list[ExecutionRow] = field(default_factory=list)
    limits: list[LimitExecution] = field(default_factory=list)
    measures: list[ExecutionRow] = field(default_factory=list)
    areas: list[ExecutionRow] = field(default_factory=list)
    sources: list[ExecutionRow] = field(default_factory=list)
    total: ExecutionRow = field(default_factory=lambda: ExecutionRow(label=gettext("Total")))

    @property
    def overspent(self) -> list[ExecutionRow]:
        return [row for row in self.lines if row.overspent]

    @property
    def limits_broken(self) -> list[LimitExecution]:
        return [limit for limit in self.limits if limit.broken]


def budget_execution(report: Report, measures: dict[int, Measure] | None = None) -> Execution:
    """Planned against spent per line, measure, area and source: 2 queries (the lines' measures
    joined, or taken from `measures`, plan_measures()).

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
        .select_related("source", "envelope")
        .order_by("measure__area__number", "measure__number", "position", "pk")
    )
    if measures is None:
        lines = lines.select_related("measure__area")
    result = Execution()
    groups: dict[tuple[str, object], ExecutionRow] = {}
    # A group's label is written when the group is first met, not for each of its lines.
    labels = {
        "measures": lambda line: f"{line.measure.code} {line.measure.title}",
        "areas": lambda line: str(line.measure.area),
        "sources": lambda line: str(line.source),
        "total": lambda line: "Total",
    }
    # Ceilings and floors are read with the lines (no query of their own) and kept apart.
    stated: list[BudgetLine] = []
    under: dict[tuple, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])  # planned, spent to date
    for line in lines:
        _attach_measure(line, measures)
        if line.bound:
            stated.append(line)
            continue
        found = by_line.get(line.pk, {})
        for key in ((line.measure_id, line.source_id), ("envelope", line.envelope_id)):
            under[key][0] += line.amount
            under[key][1] += found.get("to_date") or ZERO
        row = ExecutionRow(
            label=f"{line.measure.code} {line.source}{f' – {line.description}' if line.description else ''}",
            planned=line.amount,
            in_period=found.get("in_period") or ZERO,
            to_date=found.get("to_date") or ZERO,
        )
        result.lines.append(row)
        for kind, key in [
            ("measures", line.measure_id),
            ("areas", line.measure.area_id),
            ("sources", line.source_id),
            ("total", None),
        ]:
            group = groups.get((kind, key))
            if group is None:
                group = groups[(kind, key)] = ExecutionRow(label=labels[kind](line))
                if kind == "total":
                    result.total = group
                else:
                    getattr(result, kind).append(group)
            group.planned += row.planned
            group.in_period += row.in_period
            group.to_date += row.to_date
    for line in stated:
        planned, spent = under[(line.measure_id, line.source_id)]
        label = f"{line.measure.code} {line.source}{f' – {line.description}' if line.description else ''}"
        result.limits.append(LimitExecution(label, line.bound, line.amount, planned, spent))
    capped = {line.envelope_id: line.envelope for line in lines if line.envelope_id and line.envelope.bound}
    for pk, envelope in capped.items():
        planned, spent = under[("envelope", pk)]
        result.limits.append(LimitExecution(str(envelope), envelope.bound, envelope.amount, planned, spent))
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


def _runs_in(measure: Measure, month: datetime.date) -> bool:
    return (measure.start_month is None or measure.start_month <= month) and (
        measure.end_month is None or month <= measure.end_month
    )


def _missing(report: Report, indicators: list[IndicatorRow]) -> list[str]:
    """services.missing_values (what still blocks submitting a month), read off the month's own
    roll-up instead of 2 more queries: a monthly report's roll-up holds only its own values, so
    an indicator is given when it has a value or a row left empty (months or empty_months), and
    required when its measure runs in the month. test_report_page pins the two as equal."""
    if report.kind != Kind.MONTHLY:
        return []
    return [
        f"{row.indicator.measure.code} {row.indicator.name}"
        for row in indicators
        if _runs_in(row.indicator.measure, report.period_start) and not (row.months or row.empty_months)
    ]


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
    measures = plan_measures(report.plan_id)
    indicators = rollup(report, measures)
    running: dict[int, int] = {}  # months of the period each measure ran
    for row in indicators:
        # What was not reported, against the plan: months the measure ran, minus those with a
        # value or a reason for leaving it empty.
        measure = row.indicator.measure
        if measure.pk not in running:
            running[measure.pk] = sum(1 for m in months if _runs_in(measure, m.period_start))
        row.unreported = max(running[measure.pk] - row.months - len(row.empty_months), 0)
    return ReportPage(
        report=report,
        indicators=indicators,
        execution=budget_execution(report, measures),
        reach=people_reached(report),
        activities=activities,
        months=months,
        transitions=list(ReportTransition.objects.filter(report=report).select_related("actor")),
        missing=_missing(report, indicators) if report.is_editable else [],
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


def _periods_called_for(periods: set[tuple[datetime.date, datetime.date]]) -> dict[tuple, list[tuple]]:
    """(kind, start, end, due) of every report each plan period calls for. Plans share their periods
    (mostly calendar years): each is worked out once, not once per plan (the programme's home page
    and dashboard hold hundreds of plans)."""
    called_for: dict[tuple[datetime.date, datetime.date], list[tuple]] = {}
    for key in periods:
        calls_for = called_for[key] = []
        seen = set()
        for day in iter_months(*key):
            for kind in (Kind.MONTHLY, Kind.QUARTERLY, Kind.ANNUAL):
                start, end = period_of(kind, day)
                if (kind, start) not in seen:
                    seen.add((kind, start))
                    calls_for.append((kind, start, end, due_date(kind, end)))
    return called_for


def expected_reports(plans: list[OperationalPlan], reports: list[Report]) -> list[DueReport]:
    """Every report the adopted plans call for, with the report made for it, if any."""
    made = {(r.jmu_id, r.kind, r.period_start): r for r in reports}
    periods = _periods_called_for({(plan.period_start, plan.period_end) for plan in plans})
    return [
        DueReport(plan=plan, kind=kind, period_start=start, period_end=end, due=due,
                  report=made.get((plan.jmu_id, kind, start)))
        for plan in plans
        for kind, start, end, due in periods[(plan.period_start, plan.period_end)]
    ]  # fmt: skip


@dataclass(frozen=True)
class Overdue:
    """How many reports are overdue, and the earliest of them as rows to show."""

    count: int
    first: list[DueReport]


def overdue_reports(
    *, user: User, lsg_id: int | None = None, today: datetime.date | None = None, limit: int | None = None
) -> list[DueReport]:
    """Reports past their due date and not submitted, for one LSG or all the user may see, the
    earliest first; with `limit`, the first `limit` of them. 4 queries, whatever the programme's size
    (`_overdue_keys`, then the plans and unsubmitted reports of the rows returned)."""
    today = today or timezone.localdate()
    return _overdue_rows(_overdue_keys(user, lsg_id, today)[:limit], today)


def overdue_summary(*, user: User, today: datetime.date | None = None, shown: int = 10) -> Overdue:
    """The count of overdue reports and the first `shown`: 4 queries (2 when none is shown)."""
    today = today or timezone.localdate()
    keys = _overdue_keys(user, None, today)
    return Overdue(count=len(keys), first=_overdue_rows(keys[:shown], today) if shown else [])


def overdue_page(
    *, user: User, page: str | int | None, per_page: int = 50, today: datetime.date | None = None
) -> Page:
    """One page of the overdue reports, the earliest first: 4 queries, whatever the page or the
    programme's size (an officer's list runs to thousands)."""
    today = today or timezone.localdate()
    page_obj = Paginator(_overdue_keys(user, None, today), per_page).get_page(page)
    page_obj.object_list = _overdue_rows(list(page_obj.object_list), today)
    return page_obj


def _overdue_keys(user: User, lsg_id: int | None, today: datetime.date) -> list[tuple]:
    """The overdue reports as sorted tuples (due, LSG name, kind, start, end, plan pk, JMU pk): 2
    queries. The plans and the keys of their submitted reports are read as tuples: an officer sees
    thousands (a model instance each made the officer's home page cost 70 ms more)."""
    plans = OperationalPlan.objects.visible_to(user).filter(status=OperationalPlan.Status.ADOPTED)
    if lsg_id is not None:
        plans = plans.filter(jmu__lsg_id=lsg_id)
    rows = list(plans.values_list("pk", "jmu_id", "period_start", "period_end", "jmu__lsg__name_lat"))
    reported = set(
        Report.objects.filter(plan__in=plans, status__in=REPORTED, period_start__lt=today).values_list(
            "jmu_id", "kind", "period_start"
        )
    )
    periods = _periods_called_for({(row[2], row[3]) for row in rows})  # (pk, jmu, start, end, name)
    return sorted(
        (due, name, kind, start, end, pk, jmu_id)
        for pk, jmu_id, period_start, period_end, name in rows
        for kind, start, end, due in periods[(period_start, period_end)]
        if due < today and (jmu_id, kind, start) not in reported
    )


def _overdue_rows(keys: list[tuple], today: datetime.date) -> list[DueReport]:
    """The rows of these overdue keys, with their plans and the reports begun: 2 queries."""
    shown = OperationalPlan.objects.select_related("jmu__lsg").in_bulk({key[5] for key in keys})
    pending = {
        (r.jmu_id, r.kind, r.period_start): r
        for r in Report.objects.filter(plan__in=list(shown), period_start__lt=today)
        .exclude(status__in=REPORTED)
        .only("pk", "jmu_id", "kind", "period_start", "status")
    }
    return [
        DueReport(plan=shown[pk], kind=kind, period_start=start, period_end=end, due=due,
                  report=pending.get((jmu_id, kind, start)))
        for due, _name, kind, start, end, pk, jmu_id in keys
    ]  # fmt: skip
