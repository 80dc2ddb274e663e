"""Reads of engagements and recommendations (engagement pages, traceability of recommendations to
plan measures) and of policy documents (harmonisation of the plan with the LSG's documents)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from jmu_planner import access
from jmu_planner.lifecycle import lifecycle_of
from plans.models import Measure, OperationalPlan
from reporting.models import Document
from stakeholders.models import (
    LSG,
    Attachment,
    Engagement,
    FollowUp,
    JMUMembership,
    LAPMeasure,
    Participant,
    PolicyDocument,
    Recommendation,
    User,
)

if TYPE_CHECKING:
    from plans.models import Measure

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


def current_plan_measures(lsg_id: int) -> QuerySet[Measure]:
    """Measures of the LSG's plans that are not superseded by an amendment."""
    return (
        Measure.objects.filter(plan__jmu__lsg_id=lsg_id)
        .exclude(plan__status=OperationalPlan.Status.SUPERSEDED)
        .select_related("area", "plan")
        .order_by("plan__period_start", "plan__version", "area__number", "number")
    )


# --- Recommendations ------------------------------------------------------------------------


@dataclass
class RecommendationPage:
    recommendation: Recommendation
    measures: list
    choices: list
    moves: list
    transitions: list
    can_link: bool


def recommendation_page(*, user: User, pk: int) -> RecommendationPage:
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
        moves=lifecycle_of(Recommendation).allowed(user, recommendation),
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
    # The filter on lap_measure__document leaves no measure without a LAP measure.
    by_lap: dict[int | None, list[Measure]] = defaultdict(list)
    for measure in plan_measures:
        by_lap[measure.lap_measure_id].append(measure)
    return Harmonisation(
        document=document,
        rows=[HarmonisationRow(lap_measure=m, plan_measures=by_lap.get(m.pk, [])) for m in lap_measures],
    )
