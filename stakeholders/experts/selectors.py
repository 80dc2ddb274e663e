"""Reads of the experts' work: contract summaries, time-sheet totals, the final report."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from stakeholders.models import (
    LSG,
    Engagement,
    ExpertContract,
    FinalReport,
    Recommendation,
    TimeSheet,
    TimeSheetEntry,
    User,
)

ZERO = Decimal("0")


@dataclass
class ContractSummary:
    contract: ExpertContract
    used: Decimal
    accepted: Decimal

    @property
    def left(self) -> Decimal:
        return self.contract.days_contracted - self.used


def contract_summaries(*, user: User) -> list[ContractSummary]:
    """The user's contracts (officers: all) with days entered and days accepted: 1 query."""
    contracts = (
        ExpertContract.objects.visible_to(user)
        .select_related("expert")
        .annotate(
            used=Sum("timesheets__entries__days"),
            accepted=Sum("timesheets__entries__days", filter=Q(timesheets__status=TimeSheet.Status.ACCEPTED)),
        )
    )
    return [ContractSummary(contract=c, used=c.used or ZERO, accepted=c.accepted or ZERO) for c in contracts]


@dataclass
class TimesheetTotals:
    total: Decimal
    by_lsg: list[tuple[LSG, Decimal]]
    by_month: list[tuple[object, Decimal]]


def timesheet_totals(entries: QuerySet[TimeSheetEntry]) -> TimesheetTotals:
    """Days in all, per LSG and per month: 2 grouped queries."""
    total = entries.aggregate(total=Sum("days"))["total"] or ZERO
    per_lsg = dict(entries.values_list("lsg").annotate(days=Sum("days")).order_by())
    lsgs = LSG.objects.in_bulk(list(per_lsg))
    per_month = (
        entries.values_list("timesheet__month").annotate(days=Sum("days")).order_by("timesheet__month")
    )
    return TimesheetTotals(
        total=total,
        by_lsg=sorted(((lsgs[pk], days) for pk, days in per_lsg.items()), key=lambda p: p[0].name_lat),
        by_month=list(per_month),
    )


def final_report_context(report: FinalReport) -> dict:
    """Everything the final report's print layout shows: activities (the expert's engagements in
    the contract's period), recommendations, outputs and time-sheet totals."""
    contract = report.contract
    expert = contract.expert
    engagements = list(
        Engagement.objects.filter(
            created_by=expert, date__gte=contract.period_start, date__lte=contract.period_end
        )
        .prefetch_related("lsgs")
        .order_by("date", "pk")
    )
    recommendations = list(
        Recommendation.objects.filter(engagement__in=[e.pk for e in engagements])
        .select_related("lsg", "engagement")
        .prefetch_related("measures__area")
        .order_by("created_at", "pk")
    )
    entries = TimeSheetEntry.objects.filter(timesheet__contract=contract)
    return {
        "report": report,
        "contract": contract,
        "expert": expert,
        "engagements": engagements,
        "recommendations": recommendations,
        "totals": timesheet_totals(entries),
        "is_draft": not report.is_frozen,
    }
