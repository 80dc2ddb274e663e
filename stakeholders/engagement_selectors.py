"""Reads of the experts' work: engagement pages, traceability of recommendations to plan measures,
harmonisation of the plan with the LSG's policy documents, time-sheet totals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from jmu_planner import access
from stakeholders.models import (
    LSG,
    Attachment,
    Engagement,
    ExpertContract,
    FinalReport,
    FollowUp,
    JMUMembership,
    LAPMeasure,
    Participant,
    PolicyDocument,
    Recommendation,
    TimeSheet,
    TimeSheetEntry,
    User,
)

ZERO = Decimal("0")


def engagement_list(*, user: User) -> QuerySet[Engagement]:
    """The user's engagements, their LSGs prefetched: 2 queries per page whatever its length."""
    return (
        Engagement.objects.visible_to(user)
        .prefetch_related(Prefetch("lsgs", queryset=LSG.objects.only("pk", "name_lat", "name_cyr")))
        .order_by("-date", "-pk")
    )


def engagement_lsg_choices(*, user: User) -> QuerySet[LSG]:
    """The LSGs an engagement may name: the expert's assigned ones (administrators: all)."""
    if access.is_administrator(user):
        return LSG.objects.in_reading_order()
    return LSG.objects.filter(pk__in=access.lsg_ids_with_role(user, access.EXPERTS)).in_reading_order()


def engagement_get(*, user: User, pk: int) -> Engagement:
    """An engagement the user may see (else 404), its LSGs loaded for the access checks."""
    return get_object_or_404(engagement_list(user=user), pk=pk)


@dataclass
class EngagementPage:
    engagement: Engagement
    lsgs: list
    participants: list
    attachments: list
    follow_ups: list
    recommendations: list
    documents: list
    can_change: bool
    can_export: bool


def engagement_page(*, user: User, pk: int) -> EngagementPage:
    from reporting.models import Document

    engagement = engagement_get(user=user, pk=pk)
    participants = list(
        Participant.objects.filter(engagement=engagement).select_related("membership__institution")
    )
    # A shared engagement (an exchange event of several LSGs): each reader sees its shared part
    # and the recommendations, follow-ups and attachments of the LSGs they may read.
    recommendations = list(
        Recommendation.objects.filter(engagement=engagement)
        .visible_to(user)
        .select_related("lsg")
        .prefetch_related("measures__area", "measures__plan")
    )
    return EngagementPage(
        engagement=engagement,
        lsgs=list(engagement.lsgs.all()),
        participants=participants,
        attachments=list(
            Attachment.objects.filter(engagement=engagement).readable_parts(user).select_related("lsg")
        ),
        follow_ups=list(
            FollowUp.objects.filter(engagement=engagement).readable_parts(user).select_related("lsg")
        ),
        recommendations=recommendations,
        documents=list(
            Document.objects.visible_to(user).filter(engagement=engagement).order_by("-created_at", "-pk")
        ),
        can_change=access.may(user, "stakeholders.change_engagement", engagement),
        can_export=access.may(user, "stakeholders.request_engagement_document", engagement),
    )


def membership_choices(engagement: Engagement) -> QuerySet[JMUMembership]:
    return JMUMembership.objects.filter(jmu__lsg__in=engagement.engagement_lsg_ids).select_related(
        "jmu__lsg", "role"
    )


def current_plan_measures(lsg_id: int):
    """Measures of the LSG's plans that are not superseded by an amendment."""
    from plans.models import Measure, OperationalPlan

    return (
        Measure.objects.filter(plan__jmu__lsg_id=lsg_id)
        .exclude(plan__status=OperationalPlan.Status.SUPERSEDED)
        .select_related("area", "plan")
        .order_by("plan__period_start", "plan__version", "area__number", "number")
    )


# --- Traceability: recommendations ↔ plan measures ---------------------------------------------


@dataclass
class PlanRecommendations:
    by_measure: dict[int, list[Recommendation]] = field(default_factory=dict)
    unanswered: list[Recommendation] = field(default_factory=list)
    measures: list = field(default_factory=list)  # (measure, its recommendations), in plan order

    @property
    def answered_count(self) -> int:
        return len({r.pk for rows in self.by_measure.values() for r in rows})


def plan_recommendations(plan) -> PlanRecommendations:
    """Which recommendations each measure of `plan` answers, and which of the LSG's recommendations
    (not rejected) no measure of this plan answers yet: 2 queries, whatever the number of measures."""
    through = Recommendation.measures.through
    links = through.objects.filter(measure__plan=plan).select_related("recommendation")
    by_measure: dict[int, list[Recommendation]] = defaultdict(list)
    for link in links.order_by("recommendation__created_at", "recommendation_id"):
        by_measure[link.measure_id].append(link.recommendation)
    unanswered = list(
        Recommendation.objects.filter(lsg_id=plan.jmu.lsg_id)
        .exclude(status=Recommendation.Status.REJECTED)
        .exclude(pk__in=through.objects.filter(measure__plan=plan).values("recommendation_id"))
        .order_by("created_at", "pk")
    )
    return PlanRecommendations(by_measure=dict(by_measure), unanswered=unanswered)


@dataclass
class RecommendationPage:
    recommendation: Recommendation
    measures: list
    choices: list
    moves: list
    transitions: list
    can_link: bool


def recommendation_page(*, user: User, pk: int) -> RecommendationPage:
    from stakeholders.lifecycle import RECOMMENDATION_LIFECYCLE

    recommendation = get_object_or_404(
        Recommendation.objects.visible_to(user).select_related("engagement", "lsg"), pk=pk
    )
    measures = list(recommendation.measures.select_related("area", "plan"))
    can_link = access.may(user, "stakeholders.link_recommendation", recommendation)
    linked = {m.pk for m in measures}
    choices = (
        [m for m in current_plan_measures(recommendation.lsg_id) if m.pk not in linked] if can_link else []
    )
    return RecommendationPage(
        recommendation=recommendation,
        measures=measures,
        choices=choices,
        moves=RECOMMENDATION_LIFECYCLE.allowed(user, recommendation),
        transitions=list(recommendation.transitions.select_related("actor")),
        can_link=can_link and not recommendation.is_rejected,
    )


# --- Harmonisation: policy document measures ↔ plan measures -----------------------------------


@dataclass
class HarmonisationRow:
    lap_measure: LAPMeasure
    plan_measures: list


@dataclass
class Harmonisation:
    document: PolicyDocument
    rows: list[HarmonisationRow]

    @property
    def covered(self) -> list[HarmonisationRow]:
        return [row for row in self.rows if row.plan_measures]

    @property
    def uncovered(self) -> list[HarmonisationRow]:
        return [row for row in self.rows if not row.plan_measures]

    @property
    def coverage_percent(self) -> int | None:
        if not self.rows:
            return None
        return round(100 * len(self.covered) / len(self.rows))


def harmonisation(document: PolicyDocument) -> Harmonisation:
    """The document's measures, each with the plan measures implementing it in the LSG's current
    plans whose period overlaps the document's: 2 queries."""
    from plans.models import Measure, OperationalPlan

    lap_measures = list(document.measures.order_by("number", "pk"))
    plan_measures = (
        Measure.objects.filter(
            lap_measure__document=document,
            plan__jmu__lsg_id=document.lsg_id,
            plan__period_start__lte=document.period_end,
            plan__period_end__gte=document.period_start,
        )
        .exclude(plan__status=OperationalPlan.Status.SUPERSEDED)
        .select_related("area", "plan")
        .order_by("plan__period_start", "area__number", "number")
    )
    by_lap: dict[int, list] = defaultdict(list)
    for measure in plan_measures:
        by_lap[measure.lap_measure_id].append(measure)
    return Harmonisation(
        document=document,
        rows=[HarmonisationRow(lap_measure=m, plan_measures=by_lap.get(m.pk, [])) for m in lap_measures],
    )


def lap_measure_choices(lsg_id: int) -> QuerySet[LAPMeasure]:
    """For the plan's measure form: the measures of the LSG's policy documents."""
    return LAPMeasure.objects.filter(document__lsg_id=lsg_id).select_related("document")


# --- Time sheets and the final report ----------------------------------------------------------


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
