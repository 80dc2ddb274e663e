"""Reads of reports: roll-ups of the months, budget execution, people reached, deadlines."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, F, Max, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from jmu_planner import access, figures
from jmu_planner.dates import iter_months
from plans.models import Bound, BudgetLine, Indicator, Measure, OperationalPlan
from plans.selectors import envelope_draws, envelope_gaps
from reporting.lifecycle import REPORT_LIFECYCLE
from reporting.models import (
    AGE_GROUPS,
    COUNT_FIELDS,
    SEXES,
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
BREAKDOWN_PARTS = ["male", "female", *COUNT_FIELDS]


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
    """An indicator with its value for a period, and the figures read off it (jmu_planner.figures)."""

    indicator: Indicator
    value: Decimal | None
    breakdown: dict[str, Decimal | None] = field(default_factory=dict)
    months: int = 0
    empty_months: list[EmptyMonth] = field(default_factory=list)
    # Months of the period the measure ran with neither a value nor a reason (set by report_page).
    unreported: int = 0

    @property
    def progress(self) -> Decimal | None:
        indicator = self.indicator
        return figures.progress(self.value, baseline=indicator.baseline, target=indicator.target)

    @property
    def met(self) -> bool | None:
        indicator = self.indicator
        return figures.target_met(
            self.value,
            target=indicator.target,
            qualifier=indicator.target_qualifier,
            baseline=indicator.baseline,
        )

    @property
    def display(self) -> str:
        return self.indicator.display_value(self.value)

    # As the row leaves the LSG (documents, exports, the API, officers' cross-LSG views): a whole
    # count from 1 to 4 reads "<5", and its progress and "met" are not shown beside it (10 % of a
    # target of 30 would give the 3 back).
    @property
    def hidden(self) -> bool:
        return self.value_outside == figures.SMALL

    @property
    def value_outside(self) -> Decimal | str | None:
        return figures.hidden_value(self.value, is_count=self.indicator.type == Indicator.Type.NUMBER)

    @property
    def display_outside(self) -> str:
        return figures.SMALL if self.hidden else self.display

    @property
    def progress_outside(self) -> Decimal | None:
        return None if self.hidden else self.progress

    @property
    def met_outside(self) -> bool | None:
        return None if self.hidden else self.met


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


def indicator_aggregates(
    values: QuerySet[IndicatorValue], parts: list[str] | None = None
) -> dict[int, dict[str, Any]]:
    """Each indicator's months of `values` by every roll-up rule, for jmu_planner.figures.picked:
    2 queries, whatever the number of indicators and months (one grouped aggregate, and one window
    query for each indicator's latest month with a value). `months` counts the months with a value
    (one left empty on purpose is NULL). The one roll-up query of the report page, the exports, the
    API and the dashboard."""
    parts = parts or ["value"]
    aggregates: dict[str, Any] = {"months": Count("value")}
    for part in parts:
        aggregates |= {f"{part}__sum": Sum(part), f"{part}__max": Max(part), f"{part}__avg": Avg(part)}
    # The plugin types the rows by "indicator" alone: it cannot see the keys that **aggregates adds.
    rows = cast("QuerySet[Any, dict[str, Any]]", values.values("indicator").annotate(**aggregates))
    by_indicator = {row["indicator"]: row for row in rows}
    newest_first = Window(
        RowNumber(), partition_by=[F("indicator")], order_by=F("report__period_start").desc()
    )
    latest_rows = (
        values.filter(value__isnull=False)
        .annotate(rank=newest_first)
        .filter(rank=1)
        .values("indicator", *parts)
    )
    for row in latest_rows:
        found = by_indicator.setdefault(row["indicator"], {})
        found |= {f"{part}__latest": row[part] for part in parts}
    return by_indicator


def rollup(report: Report, measures: dict[int, Measure] | None = None) -> list[IndicatorRow]:
    """Each indicator of the plan with its value for the report's period: 4 queries (the
    indicators' measures joined, or taken from `measures`, plan_measures()).

    Monthly values roll up by the indicator's rule (sum, latest, maximum, average: the rules of
    jmu_planner.figures.roll_up), computed by the database (indicator_aggregates). A month with no
    value is skipped, and so is a month left empty on purpose ("not measured", "no activity": its
    value is NULL); zero counts as zero. "Latest" is the last month with a value.
    """
    values = IndicatorValue.objects.filter(report__in=months_of(report))
    by_indicator = indicator_aggregates(values, ["value", *BREAKDOWN_PARTS])
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
        rule = indicator.aggregation
        rows.append(
            IndicatorRow(
                indicator=indicator,
                value=figures.picked(found, rule),
                breakdown={part: figures.picked(found, rule, part) for part in BREAKDOWN_PARTS},
                months=found.get("months", 0),
                empty_months=found.get("empty", []),
            )
        )
    return rows


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
        return figures.share(self.to_date, self.planned)


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
    # The plan's total as its page gives it (jmu_planner.figures.plan_total): the shared
    # envelopes' part no measure draws on yet is planned, and shown as such beside the lines.
    plan_total: figures.PlanTotal | None = None

    @property
    def overspent(self) -> list[ExecutionRow]:
        return [row for row in self.lines if row.overspent]

    @property
    def limits_broken(self) -> list[LimitExecution]:
        return [limit for limit in self.limits if limit.broken]


def budget_execution(report: Report, measures: dict[int, Measure] | None = None) -> Execution:
    """Planned against spent per line, measure, area and source: 3 queries (the lines' measures
    joined, or taken from `measures`, plan_measures(); the plan's envelopes, unless the report was
    read with plans.selectors.envelope_gaps(): then 2).

    "In period" is the report's period; "to date" runs from the plan's start to its end. The
    total planned is the plan's total (plans.selectors.plan_totals gives the same): the lines,
    and what shared envelopes hold that no measure draws on yet (`plan_total.not_split`).
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
    by_line: dict[int, Mapping[str, Any]] = {row["budget_line"]: row for row in spent}
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
        for kind, group_key in [
            ("measures", line.measure_id),
            ("areas", line.measure.area_id),
            ("sources", line.source_id),
            ("total", None),
        ]:
            group = groups.get((kind, group_key))
            if group is None:
                group = groups[(kind, group_key)] = ExecutionRow(label=labels[kind](line))
                if kind == "total":
                    result.total = group
                else:
                    getattr(result, kind).append(group)
            group.planned += row.planned
            group.in_period += row.in_period
            group.to_date += row.to_date
    for line in stated:
        planned, spent_to_date = under[(line.measure_id, line.source_id)]
        label = f"{line.measure.code} {line.source}{f' – {line.description}' if line.description else ''}"
        result.limits.append(LimitExecution(label, line.bound, line.amount, planned, spent_to_date))
    # A line without an envelope has None for it, read without a query.
    capped = {
        line.envelope_id: line.envelope for line in lines if line.envelope is not None and line.envelope.bound
    }
    for pk, envelope in capped.items():
        planned, spent_to_date = under[("envelope", pk)]
        result.limits.append(
            LimitExecution(str(envelope), envelope.bound, envelope.amount, planned, spent_to_date)
        )
    lines_planned = result.total.planned
    if hasattr(report, "envelopes_not_split"):  # read with the report (report_page: envelope_gaps)
        # envelope_gaps() annotates the report: the two sums are not fields of Report.
        gaps = cast(Any, report)
        draws = [(gaps.envelopes_not_split, ZERO), (ZERO, gaps.envelopes_overdrawn)]
    else:
        draws = envelope_draws([report.plan_id])[report.plan_id]
    result.plan_total = figures.plan_total(lines_planned, draws)
    result.total.planned = result.plan_total.overall
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

    def grid(self) -> list[list[int]]:
        """People by age group (rows) and sex (columns: men/boys, women/girls)."""
        return [[self.counts[f"{sex}_{age}"] for sex, _s in SEXES] for age, _a in AGE_GROUPS]

    def outside(self) -> ReachOutside:
        """As the period's figures leave the LSG (documents, exports): counts from 1 to 4 read
        "<5", and every total beside them (by age, by sex, people) is the range the shown counts
        allow, so that none can be worked back by subtraction (jmu_planner.figures)."""
        grid = figures.hidden_grid(self.grid())
        return ReachOutside(
            activities=self.activities,
            households=figures.hidden(self.households),
            people=grid.total,
            rows=[
                (label, *cells, total)
                for (_age, label), cells, total in zip(AGE_GROUPS, grid.cells, grid.row_totals, strict=True)
            ],
            by_sex=grid.column_totals,
            counts={
                f"{sex}_{age}": grid.cells[r][c]
                for r, (age, _a) in enumerate(AGE_GROUPS)
                for c, (sex, _s) in enumerate(SEXES)
            },
        )


@dataclass(frozen=True)
class ReachOutside:
    activities: int
    households: int | str | None
    people: int | str | figures.Range
    rows: list[tuple]  # (age label, men/boys, women/girls, total)
    by_sex: list  # totals of men/boys, women/girls
    counts: dict[str, int | str | None]


def people_reached(report: Report) -> Reach:
    """Summed over the period's months: one aggregate query."""
    totals = FieldActivity.objects.in_months(months_of(report)).aggregate(
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
    log_day: datetime.date | None = None  # the day "Log field work" offers: today within the month


def _runs_in(measure: Measure, month: datetime.date) -> bool:
    return (measure.start_month is None or measure.start_month <= month) and (
        measure.end_month is None or month <= measure.end_month
    )


def _missing(report: Report, indicators: list[IndicatorRow]) -> list[str]:
    """lifecycle.missing_values (what still blocks submitting a month), read off the month's own
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
    report = get_object_or_404(
        Report.objects.visible_to(user).select_related("jmu__lsg", "plan").annotate(**envelope_gaps()), pk=pk
    )

    activities = []
    if report.kind == Kind.MONTHLY:
        activities = list(
            FieldActivity.objects.in_month_of(report)
            .select_related("settlement", "created_by")
            .prefetch_related(
                Prefetch("members", queryset=report.jmu.memberships.select_related("role")),
                "areas",
                Prefetch("measures", queryset=Measure.objects.select_related("area")),
            )
        )
        for activity in activities:
            activity._month_report = report
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
        can_log=report.kind == Kind.MONTHLY
        and report.is_editable
        and access.may(user, "reporting.log_field_work", report.jmu),
        can_draft=access.may(user, "reporting.draft_report", report),
        log_day=min(max(timezone.localdate(), report.period_start), report.period_end),
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
        DueReport(
            plan=plan,
            kind=kind,
            period_start=start,
            period_end=end,
            due=due,
            report=made.get((plan.jmu_id, kind, start)),
        )
        for plan in plans
        for kind, start, end, due in periods[(plan.period_start, plan.period_end)]
    ]


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
    # The page, paginated by the keys, shows their rows: the object list changes type on purpose.
    page_obj.object_list = _overdue_rows(list(page_obj.object_list), today)  # type: ignore[assignment]
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
        DueReport(
            plan=shown[pk],
            kind=kind,
            period_start=start,
            period_end=end,
            due=due,
            report=pending.get((jmu_id, kind, start)),
        )
        for due, _name, kind, start, end, pk, jmu_id in keys
    ]


# --- The field log ------------------------------------------------------------------------------------


def attach_month_reports(activities: list[FieldActivity]) -> list[FieldActivity]:
    """Each entry learns its month's report (whether it is still open) in one query."""
    keys = {(a.jmu_id, a.date.replace(day=1)) for a in activities}
    reports = {}
    if keys:
        condition = Q()
        for jmu_id, month in keys:
            condition |= Q(jmu_id=jmu_id, period_start=month)
        reports = {(r.jmu_id, r.period_start): r for r in Report.objects.filter(condition, kind=Kind.MONTHLY)}
    for activity in activities:
        activity._month_report = reports.get((activity.jmu_id, activity.date.replace(day=1)))
    return activities


@dataclass(frozen=True)
class FieldLog:
    """The member's own entries: this week's with their totals, and the ones before."""

    week_start: datetime.date
    this_week: list[FieldActivity]
    earlier: list[FieldActivity]
    households: int
    counts: dict[str, int]

    @property
    def people(self) -> int:
        return sum(self.counts.values())


def field_log(*, user: User, earlier: int = 20) -> FieldLog:
    """3 queries: this week's and the earlier entries in one, their months' reports, their settlements."""
    today = timezone.localdate()
    week_start = today - datetime.timedelta(days=today.weekday())
    rows = list(
        FieldActivity.objects.visible_to(user)
        .filter(created_by=user)
        .select_related("settlement", "jmu__lsg")
        .order_by("-date", "-pk")[: earlier + 50]
    )
    this_week = [
        a for a in rows if week_start <= a.date <= today + datetime.timedelta(days=6 - today.weekday())
    ]
    before = [a for a in rows if a not in this_week][:earlier]
    attach_month_reports(this_week + before)
    return FieldLog(
        week_start=week_start,
        this_week=this_week,
        earlier=before,
        households=sum(a.households for a in this_week),
        counts={name: sum(getattr(a, name) for a in this_week) for name in COUNT_FIELDS},
    )
