"""Reads of operational plans: the plan page, totals and the SCTM co-financing rule."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from jmu_planner import access, i18n
from jmu_planner.dates import add_months, month_start
from jmu_planner.db import ScriptOrder
from plans.models import (
    BudgetLine,
    FundingSource,
    Indicator,
    Measure,
    OperationalPlan,
    ThematicArea,
)
from stakeholders.models import User

ZERO = Decimal("0.00")
SCTM_MAX_SHARE = Decimal("0.70")
LSG_MIN_SHARE = Decimal("0.30")
SCTM_MAX_EUR_TWO_YEARS = Decimal("10000")


def plan_list(*, user: User) -> QuerySet[OperationalPlan]:
    return (
        OperationalPlan.objects.visible_to(user)
        .select_related("jmu__lsg")
        .annotate(measure_count=Count("measures"))
        .order_by("-period_start", ScriptOrder("jmu__lsg__name_lat", "jmu__lsg__name_cyr"), "-version")
    )


@dataclass
class Totals:
    overall: Decimal = ZERO
    by_area: dict[int, Decimal] = field(default_factory=dict)
    by_source: list[tuple[FundingSource, Decimal]] = field(default_factory=list)
    by_financing: list[tuple[str, Decimal]] = field(default_factory=list)


@dataclass(frozen=True)
class CoFinancing:
    total: Decimal
    sctm: Decimal
    lsg: Decimal
    sctm_share: Decimal | None
    lsg_share: Decimal | None
    sctm_eur_two_years: Decimal
    window: tuple[datetime.date, datetime.date]
    warnings: list[str]


@dataclass
class AreaBlock:
    area: ThematicArea
    measures: list[Measure]
    total: Decimal


@dataclass(frozen=True)
class ReviewPanel:
    transitions: list
    threads: list
    open_threads: int
    versions: list
    moves: list[str]
    may_comment: bool
    may_adopt: bool
    may_amend: bool
    subjects: list[tuple[str, str]]


@dataclass(frozen=True)
class PlanPage:
    plan: OperationalPlan
    review: ReviewPanel
    areas: list[AreaBlock]
    totals: Totals
    cofinancing: CoFinancing
    communication: list
    can_edit: bool
    can_copy: bool
    measure_count: int
    indicator_count: int


def plan_totals(measures: list[Measure]) -> Totals:
    """Totals from measures_with_details(): no queries of its own."""
    by_area: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_source: dict[int, Decimal] = defaultdict(lambda: ZERO)
    sources: dict[int, FundingSource] = {}
    by_financing: dict[str, Decimal] = defaultdict(lambda: ZERO)
    overall = ZERO
    for measure in measures:
        for line in measure.line_list:
            by_area[measure.area_id] += line.amount
            by_source[line.source_id] += line.amount
            sources[line.source_id] = line.source
            by_financing[measure.financing] += line.amount
            overall += line.amount
    labels = dict(Measure.Financing.choices)
    return Totals(
        overall=overall,
        by_area=dict(by_area),
        by_source=sorted(
            ((sources[pk], amount) for pk, amount in by_source.items()),
            key=lambda pair: (pair[0].position, pair[0].code),
        ),
        by_financing=[
            (labels[key], by_financing[key]) for key in Measure.Financing.values if key in by_financing
        ],
    )


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part / whole * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def plan_cofinancing(plan: OperationalPlan, totals: Totals) -> CoFinancing:
    """The SCTM rule: SCTM at most 70 % of the plan's costs and at most EUR 10,000 per LSG over
    two years (at this plan's exchange rate); the LSG at least 30 %."""
    sctm = sum((a for s, a in totals.by_source if s.share == FundingSource.Share.SCTM), ZERO)
    lsg = sum((a for s, a in totals.by_source if s.share == FundingSource.Share.LSG), ZERO)
    window_start = month_start(add_months(plan.period_end, -12))
    # Other plans of the same LSG inside the two years that end with this plan (one aggregate).
    others = (
        BudgetLine.objects.filter(
            measure__plan__jmu__lsg_id=plan.jmu.lsg_id,
            measure__plan__period_end__gte=window_start,
            measure__plan__period_start__lte=plan.period_end,
            source__share=FundingSource.Share.SCTM,
        )
        .exclude(measure__plan=plan)
        .aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    sctm_eur = ((sctm + others) / plan.eur_rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
    warnings = []
    total = totals.overall
    sctm_share, lsg_share = _share(sctm, total), _share(lsg, total)
    if sctm_share is not None and sctm > total * SCTM_MAX_SHARE:
        warnings.append(
            _("SCTM would pay %(share)s %% of the plan's costs; the programme pays at most 70 %%.")
            % {"share": sctm_share}
        )
    if lsg_share is not None and sctm and lsg < total * LSG_MIN_SHARE:
        warnings.append(
            _("The LSG pays %(share)s %% of the plan's costs; it must pay at least 30 %%.")
            % {"share": lsg_share}
        )
    if sctm_eur > SCTM_MAX_EUR_TWO_YEARS:
        warnings.append(
            _(
                "SCTM co-financing for this LSG comes to EUR %(eur)s over the two years to "
                "%(end)s; the limit is EUR 10,000."
            )
            % {"eur": i18n.money(sctm_eur), "end": plan.period_end.strftime("%m/%Y")}
        )
    return CoFinancing(
        total=total, sctm=sctm, lsg=lsg, sctm_share=sctm_share, lsg_share=lsg_share,
        sctm_eur_two_years=sctm_eur, window=(window_start, plan.period_end), warnings=warnings,
    )  # fmt: skip


def measures_with_details(plan: OperationalPlan) -> list[Measure]:
    """The plan's measures with area, responsible, `indicator_list` and `line_list`: 3 queries.

    Children are joined on the plan and grouped here rather than with prefetch_related, which
    clones a queryset per measure and, at 150 measures, cost more than the queries themselves.
    """
    measures = list(
        Measure.objects.filter(plan=plan)
        .select_related("area", "responsible")
        .order_by("area__number", "number")
    )
    by_id = {}
    for measure in measures:
        measure.indicator_list, measure.line_list = [], []
        by_id[measure.pk] = measure
    for indicator in Indicator.objects.filter(measure__plan=plan).order_by("position", "pk"):
        # Formatted here once: the page shows 450 of them at 150 measures.
        indicator.baseline_text = indicator.with_unit(indicator.baseline)
        indicator.target_text = indicator.with_unit(indicator.target)
        by_id[indicator.measure_id].indicator_list.append(indicator)
    lines = BudgetLine.objects.filter(measure__plan=plan).select_related("source")
    for line in lines.order_by("position", "pk"):
        by_id[line.measure_id].line_list.append(line)
    return measures


def plan_page(*, user: User, pk: int) -> PlanPage:
    plan = get_object_or_404(
        OperationalPlan.objects.visible_to(user).select_related("jmu__lsg", "copied_from"), pk=pk
    )
    measures = measures_with_details(plan)
    totals = plan_totals(measures)
    blocks: dict[int, AreaBlock] = {}
    for measure in measures:
        block = blocks.get(measure.area_id)
        if block is None:
            block = blocks[measure.area_id] = AreaBlock(
                area=measure.area, measures=[], total=totals.by_area.get(measure.area_id, ZERO)
            )
        block.measures.append(measure)
    return PlanPage(
        plan=plan,
        review=review_panel(user=user, plan=plan, measures=measures),
        areas=list(blocks.values()),
        totals=totals,
        cofinancing=plan_cofinancing(plan, totals),
        communication=list(plan.communication.all()),
        can_edit=access.may(user, "plans.change_plan", plan),
        can_copy=access.may(user, "plans.copy_plan", plan),
        measure_count=len(measures),
        indicator_count=sum(len(m.indicator_list) for m in measures),
    )


# --- Review: the plan's life, comments, versions ---------------------------------------------------


def review_panel(*, user: User, plan: OperationalPlan, measures: list[Measure]) -> ReviewPanel:
    """Timeline, comment threads, versions and what the user may do: 4 queries."""
    from plans.lifecycle import PLAN_LIFECYCLE
    from plans.models import Comment, CommentThread, PlanTransition

    transitions = list(PlanTransition.objects.filter(plan=plan).select_related("actor"))
    threads = list(
        CommentThread.objects.filter(plan=plan)
        .select_related("measure__area", "indicator", "created_by", "resolved_by")
        .prefetch_related(Prefetch("comments", queryset=Comment.objects.select_related("author")))
    )
    versions = list(
        OperationalPlan.objects.filter(lineage=plan.lineage)
        .order_by("version")
        .only("pk", "version", "status", "title", "adoption_date", "lineage")
    )
    moves = [
        m.target for m in PLAN_LIFECYCLE.allowed(user, plan) if m.target != OperationalPlan.Status.ADOPTED
    ]
    subjects = [("", str(_("The plan as a whole")))]
    for measure in measures:
        subjects.append((f"m{measure.pk}", f"{_('Measure')} {measure.code}: {measure.title[:60]}"))
        subjects += [(f"i{i.pk}", f"  {measure.code} · {i.name[:60]}") for i in measure.indicator_list]
    return ReviewPanel(
        transitions=transitions,
        threads=threads,
        open_threads=sum(1 for t in threads if t.is_open),
        versions=versions,
        moves=moves,
        may_comment=access.may(user, "plans.comment_plan", plan),
        may_adopt=access.may(user, "plans.adopt_plan", plan),
        # One amendment at a time: none while another version of the lineage is being worked on.
        may_amend=access.may(user, "plans.amend_plan", plan)
        and all(
            v.status in (OperationalPlan.Status.ADOPTED, OperationalPlan.Status.SUPERSEDED) for v in versions
        ),
        subjects=subjects,
    )


def review_queue(*, user: User) -> QuerySet[OperationalPlan]:
    """Plans waiting for an officer, with the moment they were (last) submitted."""
    from django.db.models import OuterRef, Subquery

    from plans.models import PlanTransition

    submitted_at = (
        PlanTransition.objects.filter(plan=OuterRef("pk"), to_status=OperationalPlan.Status.SUBMITTED)
        .order_by("-at")
        .values("at")[:1]
    )
    return (
        OperationalPlan.objects.visible_to(user)
        .select_related("jmu__lsg__district")
        .annotate(submitted_at=Subquery(submitted_at))
        .order_by("submitted_at", "pk")
    )
