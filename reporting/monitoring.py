"""Reads for national monitoring: figures across the LSGs a user may see, for exports and the API.

Everything starts from a scoped queryset (`visible_to`), is narrowed by year and district, and is
computed by the database in a fixed number of grouped queries, whatever the number of LSGs.
Figures that count people and households leave the LSG's own pages with counts from 1 to 4 read
"<5" and the totals beside them as ranges (jmu_planner.figures).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractYear

from jmu_planner import figures
from plans.models import BudgetLine, Indicator, Measure, OperationalPlan
from reporting.models import COUNT_FIELDS, FieldActivity, IndicatorValue, Report, Spending
from reporting.selectors import REPORTED, IndicatorRow, indicator_aggregates
from stakeholders.models import LSG, User

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Selection:
    """What a user asked for: a year (plans whose period touches it, reports of it) and a district."""

    year: int | None = None
    district_id: int | None = None


def lsgs(*, user: User, selection: Selection = Selection()) -> QuerySet[LSG]:
    rows = LSG.objects.visible_to(user).select_related("district")
    if selection.district_id:
        rows = rows.filter(district_id=selection.district_id)
    return rows.order_by("code")


def plans(*, user: User, selection: Selection = Selection(), adopted_only: bool = False) -> QuerySet:
    rows = OperationalPlan.objects.visible_to(user)
    if adopted_only:
        rows = rows.filter(status=OperationalPlan.Status.ADOPTED)
    if selection.year:
        start = datetime.date(selection.year, 1, 1)
        rows = rows.filter(period_start__lte=start.replace(month=12, day=31), period_end__gte=start)
    if selection.district_id:
        rows = rows.filter(jmu__lsg__district_id=selection.district_id)
    return rows


def measures(*, user: User, selection: Selection = Selection()) -> QuerySet[Measure]:
    """Measures of the plans in the selection, with planned and reported spending in RSD."""
    # Two subqueries, not two joins: joined budget lines and spending would multiply each other.
    planned_sum = (
        BudgetLine.objects.planned()
        .filter(measure=OuterRef("pk"))
        .values("measure")
        .annotate(t=Sum("amount"))
        .values("t")
    )
    spent_sum = (
        Spending.objects.filter(
            budget_line__measure=OuterRef("pk"),
            report__kind=Report.Kind.MONTHLY,
            report__status__in=REPORTED,
        )
        .values("budget_line__measure")
        .annotate(t=Sum("amount"))
        .values("t")
    )
    return (
        Measure.objects.filter(plan__in=plans(user=user, selection=selection))
        .select_related("plan__jmu__lsg__district", "area", "responsible")
        .annotate(planned=Subquery(planned_sum), spent=Subquery(spent_sum))
        .order_by("plan__jmu__lsg__code", "plan__period_start", "plan__version", "area__number", "number")
    )


def indicators(*, user: User, selection: Selection = Selection(), adopted_only: bool = False) -> QuerySet:
    return (
        Indicator.objects.filter(
            measure__plan__in=plans(user=user, selection=selection, adopted_only=adopted_only)
        )
        .select_related("measure__plan__jmu__lsg__district", "measure__area")
        .order_by(
            "measure__plan__jmu__lsg__code",
            "measure__plan__period_start",
            "measure__plan__version",
            "measure__area__number",
            "measure__number",
            "position",
            "pk",
        )
    )


def progress_of(indicator_list: list[Indicator]) -> dict[int, IndicatorRow]:
    """Each indicator's value to date over its plan's reported months, by its roll-up rule, with
    its progress and "target met" (selectors.IndicatorRow): 2 queries for any number of indicators
    (selectors.indicator_aggregates, as the report page)."""
    values = IndicatorValue.objects.filter(
        indicator__in=[i.pk for i in indicator_list],
        report__kind=Report.Kind.MONTHLY,
        report__status__in=REPORTED,
    )
    found = indicator_aggregates(values)
    result = {}
    for indicator in indicator_list:
        row = found.get(indicator.pk, {})
        result[indicator.pk] = IndicatorRow(
            indicator=indicator, value=figures.picked(row, indicator.aggregation), months=row.get("months", 0)
        )
    return result


def budget_lines(*, user: User, selection: Selection = Selection()) -> QuerySet[BudgetLine]:
    spent = Sum(
        "spending__amount",
        filter=Q(spending__report__kind=Report.Kind.MONTHLY, spending__report__status__in=REPORTED),
    )
    return (
        BudgetLine.objects.planned()
        .filter(measure__plan__in=plans(user=user, selection=selection))
        .select_related("measure__plan__jmu__lsg__district", "measure__area", "source")
        .annotate(spent=spent)
        .order_by(
            "measure__plan__jmu__lsg__code",
            "measure__plan__period_start",
            "measure__plan__version",
            "measure__area__number",
            "measure__number",
            "position",
            "pk",
        )
    )


# --- Report figures: per LSG and year ------------------------------------------------------------


def reported_months(*, user: User, selection: Selection = Selection()) -> QuerySet[Report]:
    """Monthly reports submitted or accepted: the facts national monitoring counts."""
    rows = Report.objects.visible_to(user).filter(kind=Report.Kind.MONTHLY, status__in=REPORTED)
    if selection.year:
        rows = rows.filter(period_start__year=selection.year)
    if selection.district_id:
        rows = rows.filter(jmu__lsg__district_id=selection.district_id)
    return rows


def figure_groups(*, user: User, selection: Selection = Selection()) -> QuerySet:
    """One row per LSG and year that has reported months: the unit of the aggregated figures."""
    return (
        reported_months(user=user, selection=selection)
        .annotate(year=ExtractYear("period_start"))
        .values("jmu__lsg", "year")
        .annotate(reports=Count("pk"))
        .order_by("jmu__lsg__code", "year")
    )


@dataclass(frozen=True)
class Figures:
    lsg: LSG
    year: int
    reports: int
    activities: int
    households: int
    counts: dict[str, int]
    spent: Decimal

    @property
    def people(self) -> int:
        return sum(self.counts.values())

    def outside(self) -> dict[str, int | str | figures.Range | None]:
        """The counts as they may leave the LSG: 1 to 4 read "<5", and the people, the total of
        the six groups beside them, a range where a group is hidden (jmu_planner.figures)."""
        return {
            "activities": self.activities,
            "households": figures.hidden(self.households),
            "people": figures.hidden_total(self.counts.values()),
            **{name: figures.hidden(value) for name, value in self.counts.items()},
        }


def figures_for(groups: list[dict], *, user: User, selection: Selection = Selection()) -> list[Figures]:
    """The figures of the given (LSG, year) groups: 3 queries, whatever their number."""
    if not groups:
        return []
    lsg_ids = {g["jmu__lsg"] for g in groups}
    years = {g["year"] for g in groups}
    months = reported_months(user=user, selection=selection).filter(
        jmu__lsg_id__in=lsg_ids, period_start__year__in=years
    )
    activity_totals = {
        (row["jmu__lsg"], row["year"]): row
        for row in FieldActivity.objects.in_months(months)
        .annotate(year=ExtractYear("date"))
        .values("jmu__lsg", "year")
        .annotate(
            activities=Count("pk"),
            households_sum=Sum("households"),
            **{f"{name}_sum": Sum(name) for name in COUNT_FIELDS},
        )
    }
    spent = {
        (row["report__jmu__lsg"], row["year"]): row["total"]
        for row in Spending.objects.filter(report__in=months)
        .annotate(year=ExtractYear("report__period_start"))
        .values("report__jmu__lsg", "year")
        .annotate(total=Sum("amount"))
    }
    by_pk = {lsg.pk: lsg for lsg in LSG.objects.filter(pk__in=lsg_ids).select_related("district")}
    result = []
    for group in groups:
        key = (group["jmu__lsg"], group["year"])
        totals = activity_totals.get(key, {})
        result.append(
            Figures(
                lsg=by_pk[group["jmu__lsg"]],
                year=group["year"],
                reports=group["reports"],
                activities=totals.get("activities", 0),
                households=totals.get("households_sum") or 0,
                counts={name: totals.get(f"{name}_sum") or 0 for name in COUNT_FIELDS},
                spent=spent.get(key) or ZERO,
            )
        )
    return result
