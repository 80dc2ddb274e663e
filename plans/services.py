"""Writes to operational plans. Multi-row writes are atomic; numbering stays gapless."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jmu_planner.dates import add_months, month_start, months_between
from jmu_planner.services import model_save
from plans.models import (
    BudgetLine,
    CommunicationItem,
    Indicator,
    Measure,
    OperationalPlan,
    ThematicArea,
)
from stakeholders.models import JMU, User


class PlanNotEditable(ValidationError):
    """The plan is not a draft (or sent back for changes): its content is frozen."""


class MeasureConflict(ValidationError):
    """Someone saved the measure after this person opened it (optimistic locking)."""


@dataclass
class ChildRow:
    """A row of an inline formset: an existing row or a new one, its data, whether to drop it."""

    instance: Indicator | BudgetLine | None
    data: dict[str, Any]
    delete: bool = False


@dataclass
class MeasureInput:
    data: dict[str, Any]
    indicators: list[ChildRow] = field(default_factory=list)
    budget_lines: list[ChildRow] = field(default_factory=list)


def _require_editable(plan: OperationalPlan) -> None:
    if not plan.is_editable:
        raise PlanNotEditable(
            _("This plan is %(status)s and can no longer be changed.")
            % {"status": plan.get_status_display().lower()}
        )


def _lock(plan: OperationalPlan) -> OperationalPlan:
    """Serialise writes to one plan's measures (numbering) and re-read its status."""
    locked = OperationalPlan.objects.select_for_update().select_related("jmu").get(pk=plan.pk)
    _require_editable(locked)
    return locked


# --- Plans -------------------------------------------------------------------------------------


def plan_create(*, jmu: JMU, actor: User, data: Mapping[str, Any]) -> OperationalPlan:
    return model_save(OperationalPlan(jmu=jmu, status=OperationalPlan.Status.DRAFT, **data), actor=actor)


def plan_update(*, plan: OperationalPlan, actor: User, data: Mapping[str, Any]) -> OperationalPlan:
    _require_editable(plan)
    for name, value in data.items():
        setattr(plan, name, value)
    if {"period_start", "period_end"} & set(data):
        outside = [m.code for m in plan.measures.select_related("area") if _outside(plan, m)]
        if outside:
            raise ValidationError(
                {"period_start": _("Measures %(codes)s would fall outside the new period.")
                 % {"codes": ", ".join(outside)}}
            )  # fmt: skip
    return model_save(plan, actor=actor, update_fields=list(data))


def _outside(plan: OperationalPlan, measure: Measure) -> bool:
    first = month_start(plan.period_start)
    return any(
        month is not None and not (first <= month <= plan.period_end)
        for month in (measure.start_month, measure.end_month)
    )


@transaction.atomic
def communication_save(
    *, plan: OperationalPlan, actor: User, rows: Sequence[ChildRow]
) -> list[CommunicationItem]:
    plan = _lock(plan)
    kept = []
    for position, row in enumerate(rows):
        if row.delete:
            if row.instance is not None and row.instance.pk:
                row.instance.delete()
            continue
        item = row.instance or CommunicationItem(plan=plan)
        for name, value in row.data.items():
            setattr(item, name, value)
        item.position = position
        kept.append(model_save(item, actor=actor))
    return kept


# --- Measures ----------------------------------------------------------------------------------


def _next_number(plan: OperationalPlan, area: ThematicArea) -> int:
    return Measure.objects.filter(plan=plan, area=area).count() + 1


def _renumber(plan: OperationalPlan, area_id: int) -> None:
    """Numbers 1..n in the current order, so `2.3` never leaves a gap."""
    measures = list(Measure.objects.filter(plan=plan, area_id=area_id).order_by("number", "pk"))
    changed = []
    for number, measure in enumerate(measures, start=1):
        if measure.number != number:
            measure.number = number
            changed.append(measure)
    Measure.objects.bulk_update(changed, ["number"])


def _save_children(*, measure: Measure, actor: User, rows: Iterable[ChildRow], model: type) -> None:
    errors: list[str] = []
    position = 0
    for row in rows:
        if row.delete:
            if row.instance is not None and row.instance.pk:
                row.instance.delete()
            continue
        child = row.instance if row.instance is not None else model(measure=measure)
        child.measure = measure
        for name, value in row.data.items():
            setattr(child, name, value)
        child.position = position
        position += 1
        try:
            model_save(child, actor=actor)
        except ValidationError as error:
            errors.extend(f"{model._meta.verbose_name} {position}: {m}" for m in error.messages)
    if errors:
        raise ValidationError(errors)


def _create_measure(plan: OperationalPlan, actor: User, values: MeasureInput) -> Measure:
    measure = Measure(plan=plan, **values.data)
    measure.number = _next_number(plan, measure.area) if measure.area_id else 1
    model_save(measure, actor=actor)
    _save_children(measure=measure, actor=actor, rows=values.indicators, model=Indicator)
    _save_children(measure=measure, actor=actor, rows=values.budget_lines, model=BudgetLine)
    return measure


@transaction.atomic
def measure_create(*, plan: OperationalPlan, actor: User, values: MeasureInput) -> Measure:
    return _create_measure(_lock(plan), actor, values)


@transaction.atomic
def plan_import_measures(
    *, plan: OperationalPlan, actor: User, measures: Sequence[MeasureInput]
) -> list[Measure]:
    """Append imported measures to their areas; all of them or, on any error, none."""
    plan = _lock(plan)
    return [_create_measure(plan, actor, values) for values in measures]


@transaction.atomic
def measure_update(*, measure: Measure, actor: User, values: MeasureInput, lock_version: int) -> Measure:
    plan = _lock(measure.plan)
    # The conditional UPDATE is the lock: it matches only if nobody saved in between.
    claimed = Measure.objects.filter(pk=measure.pk, lock_version=lock_version).update(
        lock_version=F("lock_version") + 1
    )
    if not claimed:
        latest = measure.history.select_related("history_user").first()
        who = latest.history_user if latest and latest.history_user else _("someone else")
        raise MeasureConflict(
            _(
                "%(who)s saved this measure after you opened it. Your changes were not saved: "
                "they are still in the form below. Open the measure again to see the new version "
                "and apply your changes there."
            )
            % {"who": who}
        )
    old_area_id = measure.area_id
    for name, value in values.data.items():
        setattr(measure, name, value)
    measure.lock_version = lock_version + 1
    if measure.area_id != old_area_id:
        measure.number = _next_number(plan, measure.area)
    model_save(measure, actor=actor)
    if measure.area_id != old_area_id:
        _renumber(plan, old_area_id)
    _save_children(measure=measure, actor=actor, rows=values.indicators, model=Indicator)
    _save_children(measure=measure, actor=actor, rows=values.budget_lines, model=BudgetLine)
    return measure


@transaction.atomic
def measure_delete(*, measure: Measure, actor: User) -> None:
    plan = _lock(measure.plan)
    area_id = measure.area_id
    measure._history_user = actor
    measure.delete()
    _renumber(plan, area_id)


@transaction.atomic
def measure_move(*, measure: Measure, actor: User, offset: int) -> Measure:
    """Move a measure up (offset -1) or down (+1) within its area; numbers stay gapless."""
    plan = _lock(measure.plan)
    siblings = list(Measure.objects.filter(plan=plan, area_id=measure.area_id).order_by("number"))
    index = next(i for i, m in enumerate(siblings) if m.pk == measure.pk)
    target = index + offset
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for number, sibling in enumerate(siblings, start=1):
            sibling.number = number
            sibling.lock_version += 1
        Measure.objects.bulk_update(siblings, ["number", "lock_version"])
    return Measure.objects.get(pk=measure.pk)


# --- Copy into the next period -----------------------------------------------------------------


def _shift_month(day: datetime.date | None, months: int) -> datetime.date | None:
    return None if day is None else month_start(add_months(day, months))


@transaction.atomic
def plan_copy(
    *, plan: OperationalPlan, actor: User, title: str,
    period_start: datetime.date, period_end: datetime.date, amendment_version: int | None = None,
) -> OperationalPlan:  # fmt: skip
    """A new draft with the same measures, indicators, budget and communication plan.

    For another period (measure months move with it; baselines stay for the coordinator to
    update), or, with `amendment_version`, as the next version of the same plan.
    """
    data = {"title": title, "period_start": period_start, "period_end": period_end,
            "lap_name": plan.lap_name, "lap_period": plan.lap_period,
            "lap_adoption": plan.lap_adoption, "context": plan.context,
            "eur_rate": plan.eur_rate, "copied_from": plan}  # fmt: skip
    if amendment_version is not None:
        data |= {"lineage": plan.lineage, "amends": plan, "version": amendment_version}
    copy = plan_create(jmu=plan.jmu, actor=actor, data=data)
    shift = months_between(plan.period_start, period_start)
    measures = list(plan.measures.prefetch_related("indicators", "budget_lines"))
    new_measures = []
    for measure in measures:
        clone = Measure(
            plan=copy, area_id=measure.area_id, number=measure.number, title=measure.title,
            objective=measure.objective, objective_reference=measure.objective_reference,
            activities=measure.activities, responsible_id=measure.responsible_id,
            partners=measure.partners, target_group=measure.target_group,
            financing=measure.financing, notes=measure.notes,
            start_month=_shift_month(measure.start_month, shift),
            end_month=_shift_month(measure.end_month, shift), origin=measure,
        )  # fmt: skip
        clone.full_clean()
        new_measures.append(clone)
    Measure.objects.bulk_create(new_measures)
    indicators, lines = [], []
    for old, new in zip(measures, new_measures, strict=True):
        indicators += [
            Indicator(
                measure=new, name=i.name, unit=i.unit, type=i.type, baseline=i.baseline,
                target=i.target, means_of_verification=i.means_of_verification,
                breakdown=i.breakdown, aggregation=i.aggregation, position=i.position,
            )
            for i in old.indicators.all()
        ]  # fmt: skip
        lines += [
            BudgetLine(
                measure=new, source_id=b.source_id, category=b.category,
                description=b.description, amount=b.amount, position=b.position,
            )
            for b in old.budget_lines.all()
        ]  # fmt: skip
    Indicator.objects.bulk_create(indicators)
    BudgetLine.objects.bulk_create(lines)
    CommunicationItem.objects.bulk_create(
        CommunicationItem(
            plan=copy, audience=c.audience, message=c.message, channel=c.channel,
            timing=c.timing, responsible=c.responsible, position=c.position,
        )
        for c in plan.communication.all()
    )  # fmt: skip
    return copy
