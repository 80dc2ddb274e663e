"""Reads of operational plans: the plan page, totals and the SCTM co-financing rule."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from jmu_planner import access, figures, i18n
from jmu_planner.dates import add_months, month_start
from jmu_planner.db import ScriptOrder
from jmu_planner.lifecycle import lifecycle_of
from plans import snapshot
from plans.cofinancing import sctm_lines_of_other_plans
from plans.models import (
    Bound,
    BudgetEnvelope,
    BudgetLine,
    Comment,
    CommentThread,
    Currency,
    FundingSource,
    Indicator,
    Measure,
    OperationalPlan,
    PlanTransition,
    ThematicArea,
)
from stakeholders.models import Institution, LAPMeasure, Recommendation, User

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import ManyToManyDescriptor
    from django_stubs_ext import StrOrPromise

ZERO = Decimal("0.00")
SCTM_MAX_SHARE = Decimal("0.70")
LSG_MIN_SHARE = Decimal("0.30")
SCTM_MAX_EUR_TWO_YEARS = Decimal("10000")


def plan_list(*, user: User) -> QuerySet[OperationalPlan]:
    return (
        OperationalPlan.objects.visible_to(user)
        .select_related("jmu__lsg")
        # A subquery, not Count("measures") with GROUP BY: the paginator's COUNT leaves it out,
        # so only the shown page's plans have their measures counted.
        .annotate(
            measure_count=Coalesce(
                Subquery(
                    Measure.objects.filter(plan=OuterRef("pk"))
                    .order_by()
                    .values("plan")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("-period_start", ScriptOrder("jmu__lsg__name_lat", "jmu__lsg__name_cyr"), "-version")
    )


def first_free_year(jmus: Any, *, from_year: int) -> int:
    """The first year from `from_year` in which none of the JMUs has a plan: one query.

    The new-plan form defaults to it, so its first save does not meet an overlapping plan.
    """
    taken: set[int] = set()
    for start, end in OperationalPlan.objects.filter(jmu__in=jmus).values_list("period_start", "period_end"):
        taken.update(range(start.year, end.year + 1))
    year = from_year
    while year in taken:
        year += 1
    return year


@dataclass
class EnvelopeUse:
    """A shared envelope: its amount (counted once in the totals) and what the measures draw."""

    envelope: BudgetEnvelope
    drawn: Decimal = ZERO
    measures: list[str] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.envelope.amount - self.drawn

    @property
    def overdrawn(self) -> bool:
        return self.drawn > self.envelope.amount


@dataclass
class LimitCheck:
    """A ceiling or a floor the plan states, against what is planned under it: never a cost.

    A line's limit covers its measure's planned lines of the same source; an envelope's, the
    lines drawing on it."""

    label: str
    source: FundingSource
    bound: str
    amount: Decimal
    planned: Decimal = ZERO

    @property
    def broken(self) -> bool:
        if self.bound == Bound.AT_MOST:
            return self.planned > self.amount
        return self.planned < self.amount

    @property
    def bound_label(self) -> StrOrPromise:
        return Bound(self.bound).label


@dataclass
class Totals:
    overall: Decimal = ZERO
    by_area: dict[int, Decimal] = field(default_factory=dict)
    by_source: list[tuple[FundingSource, Decimal]] = field(default_factory=list)
    by_financing: list[tuple[StrOrPromise, Decimal]] = field(default_factory=list)
    # In EUR at the plan's rate (None when no rate is given).
    overall_eur: Decimal | None = None
    # What the lines written in EUR or USD add up to in their own currency (the rates are theirs).
    by_currency: list[tuple[str, Decimal]] = field(default_factory=list)
    envelopes: list[EnvelopeUse] = field(default_factory=list)
    # Of `overall`, the part of the shared envelopes no measure draws on yet (jmu_planner.figures).
    not_split: Decimal = ZERO
    # What lines draw beyond their envelopes: counted once, in the envelope (overall leaves it out).
    overdrawn: Decimal = ZERO
    # Ceilings and floors (issue 27): kept apart, never in the sums above.
    limits: list[LimitCheck] = field(default_factory=list)


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
    # Which recommendations each measure answers, and the LSG's that none does yet (stakeholders).
    recommendations: Any = None


ENVELOPES = "envelopes"


def plan_envelopes(plan: OperationalPlan) -> list[BudgetEnvelope]:
    return list(BudgetEnvelope.objects.filter(plan=plan).select_related("source", "responsible"))


def envelope_draws(plan_ids: list[int]) -> dict[int, list[tuple[Decimal, Decimal]]]:
    """Each plan's shared envelopes as (amount, drawn by its budget lines): 1 query."""
    found: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    rows = (
        BudgetEnvelope.objects.filter(plan_id__in=plan_ids, bound=Bound.PLANNED)  # a ceiling is no amount
        .annotate(drawn=Coalesce(Sum("lines__amount", filter=Q(lines__bound=Bound.PLANNED)), ZERO))
        .values_list("plan_id", "amount", "drawn")
    )
    for plan_id, amount, drawn in rows:
        found[plan_id].append((amount, drawn))
    return found


def envelope_gaps(plan_field: str = "plan") -> dict[str, Coalesce]:
    """Annotations for rows with a plan (`plan_field`): what its shared envelopes hold that no line
    draws on yet (`envelopes_not_split`) and what lines draw beyond them (`envelopes_overdrawn`).
    The report page reads them with its report, rather than with a query of their own."""
    drawn = Coalesce(
        Subquery(
            BudgetLine.objects.filter(envelope=OuterRef("pk"), bound=Bound.PLANNED)
            .values("envelope")
            .annotate(t=Sum("amount"))
            .values("t")
        ),
        ZERO,
    )
    # A ceiling or a floor is no amount (Bound): neither such an envelope nor such a line counts.
    envelopes = BudgetEnvelope.objects.filter(plan=OuterRef(plan_field), bound=Bound.PLANNED).annotate(
        drawn=drawn
    )
    gaps: dict[str, Coalesce] = {}
    for name, gap in [
        ("envelopes_not_split", F("amount") - F("drawn")),
        ("envelopes_overdrawn", F("drawn") - F("amount")),
    ]:
        per_plan = (
            envelopes.annotate(gap=Greatest(gap, Value(ZERO)))
            .values("plan")
            .annotate(t=Sum("gap"))
            .values("t")
        )
        gaps[name] = Coalesce(Subquery(per_plan), ZERO)
    return gaps


def to_eur(amount: Decimal, rate: Decimal | None) -> Decimal | None:
    if not rate:
        return None
    return (amount / rate).quantize(Decimal("0.01"), ROUND_HALF_UP)


def plan_totals(
    measures: list[Measure], envelopes: list[BudgetEnvelope] | None = None, eur_rate: Decimal | None = None
) -> Totals:
    """Totals from measures_with_details() (and plan_envelopes()): no queries of their own.

    A shared envelope counts once, with its own amount; the lines that draw on it count in
    their measure's area (its share) but not again in the overall, source or financing totals.
    Without `envelopes`, those the lines draw on are counted.
    """
    by_area: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_source: dict[int, Decimal] = defaultdict(lambda: ZERO)
    sources: dict[int, FundingSource] = {}
    by_financing: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_currency: dict[str, Decimal] = defaultdict(lambda: ZERO)
    uses: dict[int, EnvelopeUse] = {e.pk: EnvelopeUse(envelope=e) for e in envelopes or ()}
    lines = ZERO
    for measure in measures:
        for line in measure.line_list:
            if line.bound:
                continue  # a ceiling or a floor: in `limits`, never in a sum
            by_area[measure.area_id] += line.amount
            lines += line.amount
            if line.currency != Currency.RSD:
                by_currency[line.currency] += line.amount_in_currency or ZERO
            envelope = line.envelope if line.envelope_id else None  # selected with the line
            if envelope is not None:
                use = uses.get(envelope.pk)
                if use is None:
                    use = uses[envelope.pk] = EnvelopeUse(envelope=envelope)
                use.drawn += line.amount
                use.measures.append(measure.code)
                if not envelope.bound:
                    continue  # the envelope's amount counts, once

            by_source[line.source_id] += line.amount
            sources[line.source_id] = line.source
            by_financing[measure.financing] += line.amount
    limits = _limit_checks(measures, uses)
    for use in uses.values():
        envelope = use.envelope
        if envelope.bound:
            continue  # a ceiling or a floor: its lines counted above, itself in `limits`
        by_source[envelope.source_id] += envelope.amount
        sources[envelope.source_id] = envelope.source
        by_financing[ENVELOPES] += envelope.amount
    # A ceiling or a floor is no amount: its lines count as lines, the envelope itself only in `limits`.
    total = figures.plan_total(
        lines, [(use.envelope.amount, use.drawn) for use in uses.values() if not use.envelope.bound]
    )
    overall = total.overall
    labels = dict(Measure.Financing.choices) | {ENVELOPES: _("Shared envelopes")}
    return Totals(
        overall=overall,
        overall_eur=to_eur(overall, eur_rate),
        by_currency=sorted(by_currency.items()),
        envelopes=list(uses.values()),
        not_split=total.not_split,
        overdrawn=total.overdrawn,
        limits=limits,
        by_area=dict(by_area),
        by_source=sorted(
            ((sources[pk], amount) for pk, amount in by_source.items()),
            key=lambda pair: (pair[0].position, pair[0].code),
        ),
        by_financing=[
            (labels[key], by_financing[key])
            for key in [*Measure.Financing.values, ENVELOPES]
            if key in by_financing
        ],
    )


def _limit_checks(measures: list[Measure], uses: dict[int, EnvelopeUse]) -> list[LimitCheck]:
    """The plan's ceilings and floors with what is planned under each (no queries)."""
    checks = []
    for measure in measures:
        planned: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for line in measure.line_list:
            if not line.bound:
                planned[line.source_id] += line.amount
        for line in measure.line_list:
            if line.bound:
                label = " ".join(x for x in (measure.code, line.description) if x)
                checks.append(
                    LimitCheck(label, line.source, line.bound, line.amount, planned[line.source_id])
                )
    for use in uses.values():
        envelope = use.envelope
        if envelope.bound:
            checks.append(
                LimitCheck(str(envelope), envelope.source, envelope.bound, envelope.amount, use.drawn)
            )
    return checks


_share = figures.share


def plan_cofinancing(plan: OperationalPlan, totals: Totals) -> CoFinancing:
    """The SCTM rule: SCTM at most 70 % of the plan's costs and at most EUR 10,000 per LSG over
    two years (at this plan's exchange rate); the LSG at least 30 %."""
    sctm = sum((a for s, a in totals.by_source if s.share == FundingSource.Share.SCTM), ZERO)
    lsg = sum((a for s, a in totals.by_source if s.share == FundingSource.Share.LSG), ZERO)
    window_start = month_start(add_months(plan.period_end, -12))
    # Other plans of the same LSG inside the two years that end with this plan (one aggregate);
    # for an adopted version, as they stood at its adoption.
    others = snapshot.sctm_of_other_plans(plan)
    others = (
        others
        if others is not None
        else (sctm_lines_of_other_plans(plan, window_start).aggregate(total=Sum("amount"))["total"] or ZERO)
    )
    sctm_eur = ((sctm + others) / plan.eur_rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
    warnings = []
    total = totals.overall
    sctm_share, lsg_share = _share(sctm, total), _share(lsg, total)
    if sctm_share is not None and sctm > total * SCTM_MAX_SHARE:
        warnings.append(
            _("SCTM would pay %(share)s %% of the plan's costs; the programme pays at most 70 %%.")
            % {"share": i18n.number(sctm_share, 1)}
        )
    if lsg_share is not None and sctm and lsg < total * LSG_MIN_SHARE:
        warnings.append(
            _("The LSG pays %(share)s %% of the plan's costs; it must pay at least 30 %%.")
            % {"share": i18n.number(lsg_share, 1)}
        )
    if sctm_eur > SCTM_MAX_EUR_TWO_YEARS:
        warnings.append(
            _(
                "SCTM co-financing for this LSG comes to EUR %(eur)s over the two years to "
                "%(end)s; the limit is EUR 10,000."
            )
            % {"eur": i18n.money(sctm_eur), "end": plan.period_end.strftime("%m/%Y")}
        )
    # The plan's own ceilings and floors ("SCTM at most EUR 10,000", "the LSG at least ..."): the
    # rule reads them against what is planned under them.
    for limit in totals.limits:
        if limit.broken:
            warnings.append(
                _("%(what)s (%(source)s): %(planned)s RSD planned; the plan states %(bound)s %(amount)s RSD.")
                % {
                    "what": limit.label,
                    "source": limit.source,
                    "planned": i18n.money(limit.planned),
                    "bound": limit.bound_label,
                    "amount": i18n.money(limit.amount),
                }
            )
    return CoFinancing(
        total=total,
        sctm=sctm,
        lsg=lsg,
        sctm_share=sctm_share,
        lsg_share=lsg_share,
        sctm_eur_two_years=sctm_eur,
        window=(window_start, plan.period_end),
        warnings=warnings,
    )


@dataclass
class AnnexRow:
    """A measure's (or an area's) amounts per funding source, in the order of `BudgetAnnex.sources`."""

    label: str
    amounts: list[Decimal]
    total: Decimal
    # What its lines draw on shared envelopes: shown, but counted once in the envelopes' row.
    drawn: Decimal = ZERO
    measure: Measure | None = None


@dataclass
class AnnexArea:
    area: ThematicArea
    rows: list[AnnexRow]
    total: AnnexRow


@dataclass
class BudgetAnnex:
    """The plan's budget as a measure × funding source table: the rows of each area and its total,
    the shared envelopes (each counted once, with its own amount) and the overall row, which equals
    the plan's totals by source and overall (`plan_totals`)."""

    sources: list[FundingSource]
    areas: list[AnnexArea]
    envelopes: AnnexRow | None
    total: AnnexRow


def budget_annex(measures: list[Measure], totals: Totals) -> BudgetAnnex:
    """From measures_with_details() and their plan_totals(): no queries of its own."""
    sources = [source for source, _amount in totals.by_source]
    column = {source.pk: index for index, source in enumerate(sources)}

    def blank() -> list[Decimal]:
        return [ZERO for _source in sources]

    areas: dict[int, AnnexArea] = {}
    for measure in measures:
        amounts, drawn = blank(), ZERO
        for line in measure.line_list:
            if line.envelope_id:
                drawn += line.amount
            else:
                amounts[column[line.source_id]] += line.amount
        row = AnnexRow(
            label=f"{measure.code} {measure.title}",
            amounts=amounts,
            total=sum(amounts, ZERO),
            drawn=drawn,
            measure=measure,
        )
        block = areas.get(measure.area_id)
        if block is None:
            area = measure.area
            block = areas[measure.area_id] = AnnexArea(
                area=area,
                rows=[],
                total=AnnexRow(label=f"{area.number}. {area.name}", amounts=blank(), total=ZERO),
            )
        block.rows.append(row)
        block.total.amounts = [a + b for a, b in zip(block.total.amounts, amounts, strict=True)]
        block.total.total += row.total
        block.total.drawn += drawn
    envelopes = None
    if totals.envelopes:
        amounts = blank()
        for use in totals.envelopes:
            amounts[column[use.envelope.source_id]] += use.envelope.amount
        envelopes = AnnexRow(label=_("Shared envelopes"), amounts=amounts, total=sum(amounts, ZERO))
    return BudgetAnnex(
        sources=sources,
        areas=list(areas.values()),
        envelopes=envelopes,
        total=AnnexRow(label=_("Total"), amounts=[a for _s, a in totals.by_source], total=totals.overall),
    )


def measures_with_details(plan: OperationalPlan) -> list[Measure]:
    """The plan's measures with area, responsible, `indicator_list`, `line_list` (with source and
    envelope), `co_responsible_list`, `partner_list` and `secondary_area_list`: 4 queries.

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
        measure.plan = plan  # the plan's LSG names a measure the LSG or its JMU leads: no query each
        measure.indicator_list, measure.line_list = [], []
        measure.co_responsible_list, measure.partner_list, measure.secondary_area_list = [], [], []
        by_id[measure.pk] = measure
    for indicator in Indicator.objects.filter(measure__plan=plan).order_by("position", "pk"):
        # Formatted here once: the page shows 450 of them at 150 measures.
        indicator.baseline_text = indicator.baseline_display
        indicator.target_text = indicator.target_display
        by_id[indicator.measure_id].indicator_list.append(indicator)
    _attach_links(plan, by_id)
    lines = BudgetLine.objects.filter(measure__plan=plan).select_related("source", "envelope__source")
    for line in lines.order_by("position", "pk"):
        by_id[line.measure_id].line_list.append(line)
    snapshot.apply(plan, measures)  # an adopted version shows the reference values it was adopted with
    return measures


def _attach_links(plan: OperationalPlan, by_id: dict[int, Measure]) -> None:
    """Co-responsible bodies, partner institutions and secondary areas of every measure: one
    query (a UNION of the three link tables) rather than one per link table."""
    from django.db.models import CharField, DateField, F, IntegerField, Value

    def links(
        relation: ManyToManyDescriptor[Any, Any],
        target: str,
        kind: str,
        number: str,
        name_en: str,
        name_sr: str,
    ) -> QuerySet[Any, tuple[Any, ...]]:
        return relation.through._default_manager.filter(measure__plan=plan).values_list(
            "measure_id",
            Value(kind, output_field=CharField()),
            f"{target}_id",
            F(number) if number else Value(0, output_field=IntegerField()),
            name_en,
            name_sr,
            # A body renamed since (its name in force at the plan's adoption: names_in_force).
            F("institution__valid_from")
            if target == "institution"
            else Value(None, output_field=DateField()),
        )

    name = "institution__name"
    rows = links(Measure.co_responsible, "institution", "co", "", name, name).union(
        links(Measure.partner_institutions, "institution", "pa", "", name, name),
        links(
            Measure.secondary_areas,
            "thematicarea",
            "ar",
            "thematicarea__number",
            "thematicarea__name_en",
            "thematicarea__name_sr",
        ),
        all=True,
    )
    for measure_id, kind, pk, number, name_en, name_sr, valid_from in sorted(
        rows, key=lambda r: (r[3], r[4])
    ):
        measure = by_id[measure_id]
        if kind == "ar":
            area = ThematicArea(pk=pk, number=number, name_en=name_en, name_sr=name_sr)
            measure.secondary_area_list.append(area)
        else:
            institution = Institution(pk=pk, name=name_en, valid_from=valid_from)
            (measure.co_responsible_list if kind == "co" else measure.partner_list).append(institution)


def names_in_force(plan: OperationalPlan, measures: list[Measure]) -> None:
    """A plan names bodies as they were called when it was adopted (or, not adopted yet, when its
    period starts): a body renamed since is shown by its former name. No query unless a body the
    plan names was renamed after that day; for shown pages only (the export keeps the body)."""
    day = plan.adoption_date or plan.period_start
    named = [m.responsible for m in measures if m.responsible is not None]  # no query for a null FK
    named += [i for m in measures for i in (*m.co_responsible_list, *m.partner_list)]
    renamed = {i.pk for i in named if i.valid_from and i.valid_from > day}
    if not renamed:
        return
    former = Institution.objects.filter(pk__in=Institution.with_former_names(renamed) - renamed)
    in_force: dict[int, str] = {}
    by_successor: dict[int | None, list[Institution]] = defaultdict(list)
    for body in former:
        by_successor[body.successor_id].append(body)

    def name_on(pk: int) -> str | None:
        for body in by_successor.get(pk, []):
            if (body.valid_from or datetime.date.min) <= day < (body.valid_until or datetime.date.max):
                return body.name
            found = name_on(body.pk)
            if found:
                return found
        return None

    for pk in renamed:
        name = name_on(pk)
        if name:
            in_force[pk] = name
    for body in named:
        if body.pk in in_force:
            body.name = in_force[body.pk]


def plan_page(*, user: User, pk: int) -> PlanPage:
    plan = get_object_or_404(
        OperationalPlan.objects.visible_to(user).select_related("jmu__lsg", "copied_from"), pk=pk
    )
    measures = measures_with_details(plan)
    names_in_force(plan, measures)
    totals = plan_totals(measures, plan_envelopes(plan), plan.eur_rate)
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
        recommendations=_recommendations(plan, measures, user),
    )


def _recommendations(plan: OperationalPlan, measures: list[Measure], user: User) -> PlanRecommendations:
    """The measures with the recommendations they answer, and the unanswered ones: 2 queries
    (none for a reader who may not see the LSG's engagements, e.g. a JMU member)."""
    if not access.may_read_engagements(user, plan.jmu.lsg_id):
        return PlanRecommendations()
    traced = plan_recommendations(plan)
    traced.measures = [(m, traced.by_measure[m.pk]) for m in measures if m.pk in traced.by_measure]
    return traced


# --- Traceability: the recommendations a plan's measures answer; its LAP's measures ----------


@dataclass
class PlanRecommendations:
    by_measure: dict[int, list[Recommendation]] = field(default_factory=dict)
    unanswered: list[Recommendation] = field(default_factory=list)
    measures: list = field(default_factory=list)  # (measure, its recommendations), in plan order

    @property
    def answered_count(self) -> int:
        return len({r.pk for rows in self.by_measure.values() for r in rows})


def plan_recommendations(plan: OperationalPlan) -> PlanRecommendations:
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


def lap_measure_choices(lsg_id: int) -> QuerySet[LAPMeasure]:
    """For the plan's measure form: the measures of the LSG's policy documents."""
    return LAPMeasure.objects.filter(document__lsg_id=lsg_id).select_related("document")


# --- Review: the plan's life, comments, versions ---------------------------------------------------


def review_panel(*, user: User, plan: OperationalPlan, measures: list[Measure]) -> ReviewPanel:
    """Timeline, comment threads, versions and what the user may do: 4 queries."""

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
        m.target
        for m in lifecycle_of(OperationalPlan).allowed(user, plan)
        if m.target != OperationalPlan.Status.ADOPTED
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
