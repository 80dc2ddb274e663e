"""Frozen means frozen: the reference values an adopted version shows, kept as they were adopted.

Funding sources (names and which side of the SCTM rule they count on), the responsible
institutions' names and the thematic areas' names are reference rows that the administrators go
on editing. At adoption (`plans.lifecycle`, the adopt move's effect) the values the plan shows are
copied onto it (`OperationalPlan.reference_snapshot`); the plan page, its PDF and its spreadsheet
read them back through `apply()` (called by `plans.selectors.measures_with_details`), so an
adopted or superseded version reads the same whatever is renamed or reclassified later.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum

from jmu_planner.dates import add_months, month_start
from plans.cofinancing import sctm_lines_of_other_plans  # the one rule: one version of each plan
from plans.models import FundingSource, Measure, OperationalPlan, ThematicArea
from stakeholders.models import Institution

VERSION = 1


def _sctm_of_other_plans(plan: OperationalPlan) -> Decimal:
    """The SCTM amounts of the LSG's other plans in the co-financing window, as at adoption."""
    window_start = month_start(add_months(plan.period_end, -12))
    lines = sctm_lines_of_other_plans(plan, window_start)
    return lines.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def take(plan: OperationalPlan) -> dict[str, Any]:
    """The reference values the plan shows today: 4 queries."""
    measures = Measure.objects.filter(plan=plan)
    sources = FundingSource.objects.filter(
        Q(budget_lines__measure__plan=plan) | Q(envelopes__plan=plan)
    ).distinct()
    institutions = Institution.objects.filter(
        Q(pk__in=measures.values("responsible_id"))
        | Q(co_led_measures__plan=plan)
        | Q(partnered_measures__plan=plan)
    ).distinct()
    areas = ThematicArea.objects.filter(
        Q(pk__in=measures.values("area_id")) | Q(secondary_measures__plan=plan)
    ).distinct()
    return {
        "version": VERSION,
        "sources": {
            str(s.pk): {
                "code": s.code,
                "name_en": s.name_en,
                "name_sr": s.name_sr,
                "share": s.share,
                "position": s.position,
            }
            for s in sources
        },
        "institutions": {
            str(i.pk): {"name": i.name, "lsg_id": i.lsg_id, "type_id": i.type_id} for i in institutions
        },
        "areas": {
            str(a.pk): {"code": a.code, "number": a.number, "name_en": a.name_en, "name_sr": a.name_sr}
            for a in areas
        },
        "sctm_of_other_plans": str(_sctm_of_other_plans(plan)),
    }


def freeze(plan: OperationalPlan) -> None:
    """Keep the plan's reference values on it (the adopt move's effect)."""
    plan.reference_snapshot = take(plan)
    OperationalPlan.objects.filter(pk=plan.pk).update(reference_snapshot=plan.reference_snapshot)


def _rows(snapshot: dict, key: str, model: type) -> dict[int, Any]:
    return {int(pk): model(pk=int(pk), **fields) for pk, fields in snapshot.get(key, {}).items()}


def apply(plan: OperationalPlan, measures: list[Measure]) -> None:
    """Show a frozen version's measures with the reference values it was adopted with; no queries.
    Rows missing from the snapshot (none, unless edited by hand) keep their live values."""
    snapshot = plan.reference_snapshot if plan.is_frozen else None
    if not snapshot:
        return
    sources = _rows(snapshot, "sources", FundingSource)
    institutions = _rows(snapshot, "institutions", Institution)
    areas = _rows(snapshot, "areas", ThematicArea)
    for measure in measures:
        if measure.area_id in areas:
            measure.area = areas[measure.area_id]
        if measure.responsible_id in institutions:
            measure.responsible = institutions[measure.responsible_id]
        for name, rows in [
            ("co_responsible_list", institutions),
            ("partner_list", institutions),
            ("secondary_area_list", areas),
        ]:
            if hasattr(measure, name):
                setattr(measure, name, [rows.get(row.pk, row) for row in getattr(measure, name)])
        for line in getattr(measure, "line_list", ()):
            if line.source_id in sources:
                line.source = sources[line.source_id]
            envelope = getattr(line, "envelope", None) if line.envelope_id else None
            if envelope is not None and envelope.source_id in sources:
                envelope.source = sources[envelope.source_id]


def sctm_of_other_plans(plan: OperationalPlan) -> Decimal | None:
    """For a frozen version: the other plans' SCTM amounts as at its adoption; otherwise None."""
    snapshot = plan.reference_snapshot if plan.is_frozen else None
    if not snapshot or "sctm_of_other_plans" not in snapshot:
        return None
    return Decimal(snapshot["sctm_of_other_plans"])
