"""Reads for national monitoring: figures across the LSGs a user may see, for exports and the API.

Everything starts from a scoped queryset (`visible_to`), is narrowed by year and district, and is
computed by the database in a fixed number of grouped queries, whatever the number of LSGs.
Figures that count people and households leave the LSG's own pages suppressed below 5
(`suppressed`, the rule of reporting.selectors.suppress).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import ExtractYear, RowNumber

from plans.models import BudgetLine, Indicator, Measure, OperationalPlan
from reporting.models import COUNT_FIELDS, FieldActivity, IndicatorValue, Report, Spending
from reporting.selectors import REPORTED, SUPPRESS_BELOW, _progress
from stakeholders.models import LSG, User

ZERO = Decimal("0.00")
SUPPRESSED = "<5"


def suppressed(count: int | None) -> int | str | None:
    """A count as it may leave the LSG: the number, or "<5" for 1 to 4 (DOMAIN.md)."""
    if count is None:
        return None
    return SUPPRESSED if 0 < count < SUPPRESS_BELOW else int(count)


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


@dataclass(frozen=True)
class Progress:
    value: Decimal | None
    months: int
    progress: Decimal | None


def progress_of(indicator_list: list[Indicator]) -> dict[int, Progress]:
    """Each indicator's value to date over its plan's reported months, by its roll-up rule, and
    its progress to target: 2 queries for any number of indicators (as selectors.rollup)."""
    values = IndicatorValue.objects.filter(
        indicator__in=[i.pk for i in indicator_list],
        report__kind=Report.Kind.MONTHLY,
        report__status__in=REPORTED,
        value__isnull=False,  # a month left empty on purpose is skipped, as in selectors.rollup
    )
    found = {
        row["indicator"]: row
        for row in values.values("indicator").annotate(
            months=Count("pk"), sum=Sum("value"), max=Max("value"), avg=Avg("value")
        )
    }
    newest_first = Window(
        RowNumber(), partition_by=[F("indicator")], order_by=F("report__period_start").desc()
    )
    for row in values.annotate(rank=newest_first).filter(rank=1).values("indicator", "value"):
        found.setdefault(row["indicator"], {})["latest"] = row["value"]
    result = {}
    for indicator in indicator_list:
        row = found.get(indicator.pk, {})
        raw = row.get(indicator.aggregation)
        value = None if raw is None else Decimal(raw).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        result[indicator.pk] = Progress(
            value=value, months=row.get("months", 0), progress=_progress(value, indicator)
        )
    return result


def value_outside(indicator: Indicator, value: Decimal | None) -> Decimal | str | None:
    """A reported value as it may leave the LSG: a whole count of people below 5 reads "<5"."""
    if value is not None and indicator.type == Indicator.Type.NUMBER and value == int(value):
        return suppressed(int(value))
    return value


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

    def outside(self) -> dict[str, int | str | None]:
        """The counts as they may leave the LSG."""
        return {
            "activities": self.activities,
            "households": suppressed(self.households),
            "people": suppressed(self.people),
            **{name: suppressed(value) for name, value in self.counts.items()},
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
        (row["report__jmu__lsg"], row["year"]): row
        for row in FieldActivity.objects.filter(report__in=months)
        .annotate(year=ExtractYear("report__period_start"))
        .values("report__jmu__lsg", "year")
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
