"""Reads about change: two plan versions side by side, and a measure's recorded history."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext as _

from jmu_planner import i18n
from jmu_planner.i18n import money
from plans.models import INDICATOR_FIELDS as MODEL_INDICATOR_FIELDS
from plans.models import BudgetLine, FundingSource, Indicator, Measure, OperationalPlan, ThematicArea
from plans.selectors import ZERO, measures_with_details, plan_envelopes, plan_totals
from stakeholders.models import Institution

MEASURE_FIELDS = [
    "title",
    "area",
    "objective",
    "objective_reference",
    "lap_measure_number",
    "activities",
    "responsible_party",
    "responsible",
    "partners",
    "start_month",
    "end_month",
    "period_text",
    "target_group",
    "financing",
    "notes",
]
# The measure's links (co-responsible bodies, partners, secondary areas), as measures_with_details lists them.
LINK_FIELDS = [
    ("co_responsible", "co_responsible_list"),
    ("partner_institutions", "partner_list"),
    ("secondary_areas", "secondary_area_list"),
]
# Beside the name, which names the indicator in the compare.
INDICATOR_FIELDS = [field for field in MODEL_INDICATOR_FIELDS if field != "name"]
LINE_FIELDS = ["source", "category", "description", "currency", "amount_in_currency", "amount", "bound"]


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _show(obj, name: str) -> str:
    if name in {"start_month", "end_month"}:
        value = getattr(obj, name)
        return value.strftime("%m/%Y") if value else "—"
    display = getattr(obj, f"get_{name}_display", None)
    value = display() if display else getattr(obj, name)
    if name in {"baseline", "target"}:
        shown = obj.display_value(value)
        if value is not None and getattr(obj, f"{name}_qualifier", ""):  # "at least 60", not "60"
            shown = f"{getattr(obj, f'get_{name}_qualifier_display')()} {shown}"
        return shown
    if isinstance(value, Decimal):
        return money(value)
    return "—" if value in (None, "") else str(value)


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class IndicatorDiff:
    name: str
    state: str  # added, removed, changed, same
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class BudgetDiff:
    source: str
    old: Decimal
    new: Decimal

    @property
    def state(self) -> str:
        if self.old == self.new:
            return "same"
        return "added" if not self.old else "removed" if not self.new else "changed"


@dataclass
class MeasureDiff:
    old: Measure | None
    new: Measure | None
    changes: list[FieldChange] = field(default_factory=list)
    indicators: list[IndicatorDiff] = field(default_factory=list)
    budget: list[BudgetDiff] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        changed = self.changes or any(i.state != "same" for i in self.indicators)
        return "changed" if changed or any(b.state != "same" for b in self.budget) else "same"

    @property
    def code(self) -> str:
        return (self.new or self.old).code


@dataclass
class Comparison:
    old: OperationalPlan
    new: OperationalPlan
    measures: list[MeasureDiff]
    old_total: Decimal
    new_total: Decimal
    old_not_split: Decimal = ZERO
    new_not_split: Decimal = ZERO
    # Envelopes, allocations, ceilings and floors of the plan: (name, before, after), changed ones only.
    envelopes: list[FieldChange] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for m in self.measures if m.state == state)


def _budget(measure: Measure | None) -> dict[str, Decimal]:
    amounts: dict[str, Decimal] = {}
    for line in measure.line_list if measure else []:
        key = str(line.source)
        if line.bound:  # a ceiling or a floor is its own row, never added to the planned amount
            key = f"{key} ({line.get_bound_display()})"
        amounts[key] = amounts.get(key, ZERO) + line.amount
    return amounts


def _indicators(old: Measure | None, new: Measure | None) -> list[IndicatorDiff]:
    before = {i.name: i for i in old.indicator_list} if old else {}
    after = {i.name: i for i in new.indicator_list} if new else {}
    diffs = []
    for name in list(before) + [n for n in after if n not in before]:
        a, b = before.get(name), after.get(name)
        if a is None or b is None:
            diffs.append(IndicatorDiff(name=name, state="added" if a is None else "removed"))
            continue
        changes = [
            FieldChange(_label(Indicator, f), _show(a, f), _show(b, f))
            for f in INDICATOR_FIELDS
            if getattr(a, f) != getattr(b, f)
        ]
        diffs.append(IndicatorDiff(name=name, state="changed" if changes else "same", changes=changes))
    return diffs


def compare_plans(old: OperationalPlan, new: OperationalPlan) -> Comparison:
    """Measures, indicators and amounts added, removed and changed between two plans: 9 queries.

    The two totals are the plans' own (plan_totals with their shared envelopes, as on each plan's
    page), each with what its envelopes hold that is not yet split across measures.

    Measures are matched through `origin` (what a copy or amendment was made from, followed back
    through versions), otherwise by area and title.
    """
    old_measures, new_measures = measures_with_details(old), measures_with_details(new)
    origins = dict(
        Measure.objects.filter(plan__lineage__in={old.lineage, new.lineage}).values_list("pk", "origin_id")
    )
    old_by_pk = {m.pk: m for m in old_measures}
    old_by_title = {(m.area_id, m.title): m for m in old_measures}
    matched: dict[int, Measure] = {}
    for measure in new_measures:
        ancestor = measure.origin_id
        for _step in range(50):  # a chain of versions; the bound only guards against a cycle
            if ancestor is None or ancestor in old_by_pk:
                break
            ancestor = origins.get(ancestor)
        match = old_by_pk.get(ancestor) or old_by_title.get((measure.area_id, measure.title))
        if match is not None and match.pk not in {m.pk for m in matched.values()}:
            matched[measure.pk] = match
    diffs = []
    for measure in new_measures:
        before = matched.get(measure.pk)
        diffs.append(_diff(before, measure))
    used = {m.pk for m in matched.values()}
    diffs += [_diff(m, None) for m in old_measures if m.pk not in used]
    diffs.sort(key=lambda d: ((d.new or d.old).area.number, (d.new or d.old).number, d.new is None))
    old_envelopes, new_envelopes = plan_envelopes(old), plan_envelopes(new)
    old_totals = plan_totals(old_measures, old_envelopes)
    new_totals = plan_totals(new_measures, new_envelopes)
    return Comparison(
        old=old,
        new=new,
        measures=diffs,
        old_total=old_totals.overall,
        new_total=new_totals.overall,
        old_not_split=old_totals.not_split,
        new_not_split=new_totals.not_split,
        envelopes=_envelope_changes(old_envelopes, new_envelopes),
    )


def _envelope_text(envelope) -> str:
    bound = f"{envelope.get_bound_display()} " if envelope.bound else ""
    parts = [
        f"{envelope.source}: {bound}{money(envelope.amount)} RSD",
        str(envelope.responsible or ""),
        envelope.period_text,
    ]
    return " · ".join(p for p in parts if p)


def _envelope_changes(old: list, new: list) -> list[FieldChange]:
    before = {e.name: _envelope_text(e) for e in old}
    after = {e.name: _envelope_text(e) for e in new}
    return [
        FieldChange(name, before.get(name, "—"), after.get(name, "—"))
        for name in list(before) + [n for n in after if n not in before]
        if before.get(name) != after.get(name)
    ]


def _diff(old: Measure | None, new: Measure | None) -> MeasureDiff:
    changes = []
    if old is not None and new is not None:
        changes = [
            FieldChange(_label(Measure, f), _show(old, f), _show(new, f))
            for f in MEASURE_FIELDS
            if getattr(old, f"{f}_id", getattr(old, f)) != getattr(new, f"{f}_id", getattr(new, f))
        ]
        for name, listed in LINK_FIELDS:
            a = ", ".join(sorted(str(o.name) for o in getattr(old, listed)))
            b = ", ".join(sorted(str(o.name) for o in getattr(new, listed)))
            if a != b:
                changes.append(FieldChange(_label(Measure, name), a or "—", b or "—"))
    before, after = _budget(old), _budget(new)
    budget = [
        BudgetDiff(source=s, old=before.get(s, ZERO), new=after.get(s, ZERO))
        for s in list(before) + [s for s in after if s not in before]
    ]
    return MeasureDiff(old=old, new=new, changes=changes, indicators=_indicators(old, new), budget=budget)


# --- A measure's recorded history ---------------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: object
    who: object
    what: str
    kind: str  # created, changed, deleted
    changes: list[FieldChange]


def measure_history(measure: Measure) -> list[HistoryEntry]:
    """Every recorded change to the measure, its indicators and budget lines, back through the
    versions it was copied from (an amendment's measure carries the adopted one's history, and
    its changes show against it): 7 queries."""
    names = {
        "area": {a.pk: str(a) for a in ThematicArea.objects.all()},
        "source": {s.pk: str(s) for s in FundingSource.objects.all()},
        "responsible": {
            i.pk: i.name
            for i in Institution.objects.filter(Q(lsg_id=measure.plan.jmu.lsg_id) | Q(lsg__isnull=True))
        },
    }
    # The measure and those it was copied from, version by version (one query for the lineage).
    origins = dict(Measure.objects.filter(plan__lineage=measure.plan.lineage).values_list("pk", "origin_id"))
    chain, ancestor = [measure.pk], measure.origin_id
    while ancestor is not None and ancestor not in chain and len(chain) < 50:
        chain.append(ancestor)
        ancestor = origins.get(ancestor)
    entries: list[HistoryEntry] = []
    sources = [
        (
            Measure.history.filter(id__in=chain)
            .select_related("history_user")
            .order_by("history_date", "history_id"),
            Measure,
            [*MEASURE_FIELDS, "number"],
            lambda r: _("Measure"),
        ),
        (
            Indicator.history.filter(measure_id=measure.pk)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id"),
            Indicator,
            ["name", *INDICATOR_FIELDS],
            lambda r: _("Indicator “%(name)s”") % {"name": r.name},
        ),
        (
            BudgetLine.history.filter(measure_id=measure.pk)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id"),
            BudgetLine,
            LINE_FIELDS,
            lambda r: _("Budget line %(source)s") % {"source": names["source"].get(r.source_id, "")},
        ),
    ]
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    for records, model, fields, describe in sources:
        previous: dict[int, object] = {}
        for record in records:
            key = "measure" if model is Measure else record.id  # versions of the measure are one line
            before = previous.get(key)
            previous[key] = record
            changes = []
            copied = model is Measure and before is not None and record.history_type == "+"
            if before is not None and (record.history_type == "~" or copied):
                # django-simple-history's own field diff; FK values come as primary keys.
                delta = record.diff_against(before, included_fields=[f for f in fields if _tracked(model, f)])
                changes = [
                    FieldChange(
                        _label(model, change.field),
                        _history_value(before, change.field, names),
                        _history_value(record, change.field, names),
                    )
                    for change in delta.changes
                ]
                if not changes and not copied:
                    continue  # saved without a change the reader would see
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=record.history_user,
                    what=_("Measure copied into version %(version)s") % {"version": measure.plan.version}
                    if copied
                    else describe(record),
                    kind="copied" if copied else kinds[record.history_type],
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _tracked(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:  # a field the model no longer has
        return False
    return True


def _history_value(record, name: str, names: dict[str, dict[int, str]]) -> str:
    if name in names:
        pk = getattr(record, f"{name}_id")
        return names[name].get(pk, "—") if pk else "—"
    if name in {"baseline", "target"}:
        value = getattr(record, name)
        return i18n.figure(value)
    return _show(record, name)
