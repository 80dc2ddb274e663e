"""Writes to operational plans. Multi-row writes are atomic; numbering stays gapless."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from jmu_planner.dates import add_months, month_start, months_between
from jmu_planner.services import M, model_save, set_history_user
from plans.models import (
    BudgetEnvelope,
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


# What an inline formset edits: a measure's indicators and budget lines, a plan's communication
# items and envelopes.
Row = TypeVar("Row", Indicator, BudgetLine, CommunicationItem, BudgetEnvelope)
MeasureChild = TypeVar("MeasureChild", Indicator, BudgetLine)


@dataclass
class ChildRow(Generic[Row]):
    """A row of an inline formset: an existing row or a new one, its data, whether to drop it."""

    instance: Row | None
    data: dict[str, Any]
    delete: bool = False
    # False when the form saw no change to an existing row (form.has_changed()): its instance
    # already holds the form's values, so only the form can tell.
    changed: bool = True


@dataclass
class MeasureInput:
    data: dict[str, Any]
    indicators: list[ChildRow[Indicator]] = field(default_factory=list)
    budget_lines: list[ChildRow[BudgetLine]] = field(default_factory=list)


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


def _lock_jmu(jmu: JMU) -> None:
    """Serialise the creation of a JMU's plans: the second of two simultaneous submits waits for
    the first to commit, then sees its plan (its token, or the overlap). The database's exclusion
    constraint (plans migration 0006, PostgreSQL) is the last word on overlaps."""
    JMU.objects.select_for_update().filter(pk=jmu.pk).values_list("pk", flat=True).first()


def _already_made(model: type[M], token: Any, **scope: Any) -> M | None:
    return model._default_manager.filter(request_token=token, **scope).first() if token else None


@transaction.atomic
def plan_create(*, jmu: JMU, actor: User, data: Mapping[str, Any]) -> OperationalPlan:
    """A new draft. A repeated submit of the same form (its `request_token`) returns the plan the
    first one made instead of a twin."""
    _lock_jmu(jmu)
    data = dict(data)
    if "request_token" in data and not data["request_token"]:
        del data["request_token"]  # no token sent: the model gives one
    made = _already_made(OperationalPlan, data.get("request_token"), jmu=jmu)
    if made is not None:
        return made
    plan = OperationalPlan(jmu=jmu, status=OperationalPlan.Status.DRAFT, **data)
    try:
        with transaction.atomic():
            return model_save(plan, actor=actor)
    except IntegrityError as error:  # the exclusion constraint: a plan committed past the lock
        raise ValidationError(
            {"period_start": _("This JMU already has a plan for an overlapping period.")}
        ) from error


@transaction.atomic
def plan_update(*, plan: OperationalPlan, actor: User, data: Mapping[str, Any]) -> OperationalPlan:
    # The status is checked under the row lock: an edit sent at the moment of a submission waits
    # for it and is then refused, instead of landing in the submitted plan.
    locked = _lock(plan)
    plan.status = locked.status
    data = {name: value for name, value in data.items() if name != "request_token"}
    for name, value in data.items():
        setattr(plan, name, value)
    if {"period_start", "period_end"} & set(data):
        outside = [m.code for m in plan.measures.select_related("area") if _outside(plan, m)]
        if outside:
            raise ValidationError(
                {
                    "period_start": _("Measures %(codes)s would fall outside the new period.")
                    % {"codes": ", ".join(outside)}
                }
            )
    return model_save(plan, actor=actor, update_fields=list(data))


def _outside(plan: OperationalPlan, measure: Measure) -> bool:
    first = month_start(plan.period_start)
    return any(
        month is not None and not (first <= month <= plan.period_end)
        for month in (measure.start_month, measure.end_month)
    )


@transaction.atomic
def communication_save(
    *, plan: OperationalPlan, actor: User, rows: Sequence[ChildRow[CommunicationItem]]
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


@transaction.atomic
def envelopes_save(
    *, plan: OperationalPlan, actor: User, rows: Sequence[ChildRow[BudgetEnvelope]]
) -> list[BudgetEnvelope]:
    """The plan's shared envelopes (yearly allocations several measures draw on)."""
    from django.db.models import ProtectedError

    plan = _lock(plan)
    kept = []
    for row in rows:
        if row.delete:
            if row.instance is not None and row.instance.pk:
                try:
                    with transaction.atomic():
                        row.instance.delete()
                except ProtectedError as error:
                    message = _("The envelope “%(name)s” still has budget lines drawing on it.")
                    raise ValidationError(message % {"name": row.instance.name}) from error
            continue
        envelope = row.instance or BudgetEnvelope(plan=plan)
        for name, value in row.data.items():
            setattr(envelope, name, value)
        kept.append(model_save(envelope, actor=actor))
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


def _save_children(
    *, measure: Measure, actor: User, rows: Iterable[ChildRow[MeasureChild]], model: type[MeasureChild]
) -> None:
    errors: list[str] = []
    position = 0
    for row in rows:
        if row.delete:
            if row.instance is not None and row.instance.pk:
                row.instance.delete()
            continue
        child = row.instance if row.instance is not None else model(measure=measure)
        if child.pk and not row.changed and child.position == position and child.measure_id == measure.pk:
            # Unchanged and in place: no validation, UPDATE or history row (a save of a measure
            # with many indicators and budget lines stays a handful of queries).
            position += 1
            continue
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


# A measure's many-to-many links: set after the row is saved, not assigned as fields.
MEASURE_LINKS = ("co_responsible", "partner_institutions", "secondary_areas")


def _split_links(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = {k: v for k, v in data.items() if k not in MEASURE_LINKS}
    links = {k: v for k, v in data.items() if k in MEASURE_LINKS and v is not None}
    return fields, links


def _set_links(measure: Measure, links: Mapping[str, Any]) -> None:
    for name, objects in links.items():
        if name == "secondary_areas":  # the primary area is not also a secondary one
            objects = [a for a in objects if getattr(a, "pk", a) != measure.area_id]
        getattr(measure, name).set(objects)


def _create_measure(plan: OperationalPlan, actor: User, values: MeasureInput) -> Measure:
    data, links = _split_links(values.data)
    measure = Measure(plan=plan, **data)
    measure.number = _next_number(plan, measure.area) if measure.area_id else 1
    model_save(measure, actor=actor)
    _set_links(measure, links)
    _save_children(measure=measure, actor=actor, rows=values.indicators, model=Indicator)
    _save_children(measure=measure, actor=actor, rows=values.budget_lines, model=BudgetLine)
    return measure


@transaction.atomic
def measure_create(*, plan: OperationalPlan, actor: User, values: MeasureInput) -> Measure:
    """A new measure. Under the plan's lock, a repeated submit of the same form (its
    `request_token`) returns the measure the first one made."""
    plan = _lock(plan)
    token = values.data.get("request_token")
    made = _already_made(Measure, token, plan=plan)
    if made is not None:
        return made
    if token and Measure.objects.filter(request_token=token).exists():
        values.data = {**values.data, "request_token": None}  # someone else's token: not ours to reuse
    if "request_token" in values.data and not values.data["request_token"]:
        values.data = {k: v for k, v in values.data.items() if k != "request_token"}
    return _create_measure(plan, actor, values)


@transaction.atomic
def plan_import_measures(
    *, plan: OperationalPlan, actor: User, measures: Sequence[MeasureInput]
) -> list[Measure]:
    """Append imported measures to their areas; all of them or, on any error, none."""
    plan = _lock(plan)
    return [_create_measure(plan, actor, values) for values in measures]


@dataclass
class ImportResult:
    created: list[Measure] = field(default_factory=list)
    updated: list[Measure] = field(default_factory=list)
    removed: int = 0


@transaction.atomic
def plan_import_apply(
    *,
    plan: OperationalPlan,
    actor: User,
    envelopes: Sequence[Mapping[str, Any]] = (),
    new: Sequence[MeasureInput] = (),
    changed: Sequence[tuple[Measure, MeasureInput]] = (),
    remove: Sequence[Measure] = (),
) -> ImportResult:
    """A checked spreadsheet into the plan, all of it or, on any error, none: envelopes created
    or updated by name, changed measures updated in place (their indicators and budget lines row
    by row), new measures appended to their areas, and the measures the user chose removed.
    A budget line's `envelope` may be given by name (the envelope may be new in the same file)."""
    plan = _lock(plan)
    by_name = {e.name: e for e in BudgetEnvelope.objects.filter(plan=plan)}
    for data in envelopes:
        envelope = by_name.get(data["name"]) or BudgetEnvelope(plan=plan)
        for name, value in data.items():
            setattr(envelope, name, value)
        by_name[envelope.name] = model_save(envelope, actor=actor)

    def resolved(values: MeasureInput) -> MeasureInput:
        for row in values.budget_lines:
            if isinstance(row.data.get("envelope"), str):
                row.data["envelope"] = by_name[row.data["envelope"]]
        return values

    result = ImportResult()
    for measure, values in changed:
        values = resolved(values)
        data, links = _split_links(values.data)
        for name, value in data.items():
            if name != "area":  # matched by area and number: the area stays
                setattr(measure, name, value)
        measure.lock_version += 1
        model_save(measure, actor=actor)
        _set_links(measure, links)
        _save_children(measure=measure, actor=actor, rows=values.indicators, model=Indicator)
        _save_children(measure=measure, actor=actor, rows=values.budget_lines, model=BudgetLine)
        result.updated.append(measure)
    result.created = [_create_measure(plan, actor, resolved(values)) for values in new]
    for measure in remove:
        area_id = measure.area_id
        set_history_user(measure, actor)
        measure.delete()
        _renumber(plan, area_id)
        result.removed += 1
    return result


@transaction.atomic
def measure_update(*, measure: Measure, actor: User, values: MeasureInput, lock_version: int) -> Measure:
    plan = _lock(measure.plan)
    values.data = {k: v for k, v in values.data.items() if k != "request_token"}  # fixed at creation
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
    links_before = {name: getattr(measure, f"{name}_id") for name in ("area", "responsible", "lap_measure")}
    data, links = _split_links(values.data)
    for name, value in data.items():
        setattr(measure, name, value)
    measure.lock_version = lock_version + 1
    if measure.area_id != old_area_id:
        measure.number = _next_number(plan, measure.area)
    # Links that did not change were checked when saved: no query each to check them again.
    unchanged = [n for n, pk in links_before.items() if getattr(measure, f"{n}_id") == pk]
    measure.full_clean(exclude=["plan", "request_token", *unchanged])
    set_history_user(measure, actor)
    measure.save()
    _set_links(measure, links)
    if measure.area_id != old_area_id:
        _renumber(plan, old_area_id)
    _save_children(measure=measure, actor=actor, rows=values.indicators, model=Indicator)
    _save_children(measure=measure, actor=actor, rows=values.budget_lines, model=BudgetLine)
    return measure


@transaction.atomic
def measure_delete(*, measure: Measure, actor: User) -> None:
    plan = _lock(measure.plan)
    area_id = measure.area_id
    set_history_user(measure, actor)
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
    *,
    plan: OperationalPlan,
    actor: User,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    amendment_version: int | None = None,
    request_token: uuid.UUID | None = None,
) -> OperationalPlan:
    """A new draft with the same measures, indicators, budget and communication plan.

    For another period (measure months move with it; baselines stay for the coordinator to
    update), or, with `amendment_version`, as the next version of the same plan. A repeated
    submit of the same form (`request_token`) returns the copy the first one made.
    """
    _lock_jmu(plan.jmu)
    made = _already_made(OperationalPlan, request_token, jmu=plan.jmu)
    if made is not None:
        return made
    data = {
        "title": title,
        "period_start": period_start,
        "period_end": period_end,
        "lap_name": plan.lap_name,
        "lap_period": plan.lap_period,
        "lap_adoption": plan.lap_adoption,
        "context": plan.context,
        "eur_rate": plan.eur_rate,
        "copied_from": plan,
    }
    if request_token:
        data["request_token"] = request_token
    if amendment_version is not None:
        data |= {"lineage": plan.lineage, "amends": plan, "version": amendment_version}
    copy = plan_create(jmu=plan.jmu, actor=actor, data=data)
    shift = months_between(plan.period_start, period_start)
    measures = list(plan.measures.prefetch_related("indicators", "budget_lines"))
    new_measures = []
    for measure in measures:
        clone = Measure(
            plan=copy,
            area_id=measure.area_id,
            number=measure.number,
            title=measure.title,
            objective=measure.objective,
            objective_reference=measure.objective_reference,
            activities=measure.activities,
            responsible_id=measure.responsible_id,
            responsible_party=measure.responsible_party,
            partners=measure.partners,
            target_group=measure.target_group,
            financing=measure.financing,
            notes=measure.notes,
            start_month=_shift_month(measure.start_month, shift),
            end_month=_shift_month(measure.end_month, shift),
            origin=measure,
            lap_measure_id=measure.lap_measure_id,
            period_text=measure.period_text,
            lap_measure_number=measure.lap_measure_number,
        )
        clone.full_clean(exclude=["request_token"])  # a fresh uuid4: no query per measure
        new_measures.append(clone)
    # With a history record each: an amendment's measure carries its history on (plans.history).
    bulk_create_with_history(new_measures, Measure, default_user=actor)
    # The recommendations a measure answers (stakeholders' traceability) are answered by its copy too.
    copy_of = {old.pk: new.pk for old, new in zip(measures, new_measures, strict=True)}
    answers = Measure.recommendations.through
    answers.objects.bulk_create(
        answers(recommendation_id=link.recommendation_id, measure_id=copy_of[link.measure_id])
        for link in answers.objects.filter(measure__plan=plan)
    )
    # Co-responsible bodies, partner institutions and secondary areas go with the measures.
    for relation, target in (
        (Measure.co_responsible, "institution_id"),
        (Measure.partner_institutions, "institution_id"),
        (Measure.secondary_areas, "thematicarea_id"),
    ):
        through: type[models.Model] = relation.through  # three tables, one shape: (measure, target)
        links = through._default_manager.filter(measure__plan=plan).values_list("measure_id", target)
        through._default_manager.bulk_create(
            through(measure_id=copy_of[measure_id], **{target: target_id}) for measure_id, target_id in links
        )
    # The shared envelopes, and the lines drawing on them point to the copies.
    envelope_of: dict[int | None, int] = {}
    for envelope in plan.envelopes.all():
        old_pk = envelope.pk
        envelope.pk, envelope.id, envelope.plan = None, None, copy
        envelope.save()
        envelope_of[old_pk] = envelope.pk
    indicators, lines = [], []
    for old, new in zip(measures, new_measures, strict=True):
        indicators += [
            Indicator(
                measure=new,
                name=i.name,
                unit=i.unit,
                type=i.type,
                baseline=i.baseline,
                target=i.target,
                means_of_verification=i.means_of_verification,
                breakdown=i.breakdown,
                aggregation=i.aggregation,
                position=i.position,
                baseline_year=i.baseline_year,
                baseline_source=i.baseline_source,
                target_qualifier=i.target_qualifier,
                target_milestone=i.target_milestone,
                baseline_qualifier=i.baseline_qualifier,
                target_date=i.target_date,
            )
            for i in old.indicators.all()
        ]
        lines += [
            BudgetLine(
                measure=new,
                source_id=b.source_id,
                category=b.category,
                description=b.description,
                amount=b.amount,
                position=b.position,
                currency=b.currency,
                exchange_rate=b.exchange_rate,
                unit_cost=b.unit_cost,
                quantity=b.quantity,
                periods=b.periods,
                amount_in_currency=b.amount_in_currency,
                envelope_id=envelope_of.get(b.envelope_id),
                bound=b.bound,
            )
            for b in old.budget_lines.all()
        ]
    bulk_create_with_history(indicators, Indicator, default_user=actor)
    bulk_create_with_history(lines, BudgetLine, default_user=actor)
    CommunicationItem.objects.bulk_create(
        CommunicationItem(
            plan=copy,
            audience=c.audience,
            message=c.message,
            channel=c.channel,
            timing=c.timing,
            responsible=c.responsible,
            position=c.position,
        )
        for c in plan.communication.all()
    )
    return copy
