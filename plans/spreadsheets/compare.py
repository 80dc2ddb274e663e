"""An imported matrix against the plan: per measure new, changed (and what) or unchanged, and which
measures of the plan the file no longer has. Re-importing an export changes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from plans.models import (
    INDICATOR_FIELDS,
    Currency,
    Measure,
)
from plans.services import ChildRow
from plans.spreadsheets.columns import CHANGED, UNCHANGED, field_labels

if TYPE_CHECKING:
    from plans.spreadsheets.reading import ImportPreview

# --- Comparison with the plan ------------------------------------------------------------------

MEASURE_FIELDS = [
    "title",
    "objective",
    "objective_reference",
    "lap_measure_number",
    "activities",
    "target_group",
    "responsible_party",
    "responsible",
    "partners",
    "start_month",
    "end_month",
    "period_text",
    "financing",
    "notes",
]
LINK_FIELDS = {
    "co_responsible": "co_responsible_list",
    "partner_institutions": "partner_list",
    "secondary_areas": "secondary_area_list",
}
LINE_FIELDS = [
    "source",
    "category",
    "description",
    "currency",
    "exchange_rate",
    "unit_cost",
    "quantity",
    "periods",
    "amount_in_currency",
    "amount",
    "envelope",
    "bound",
]


def _same(a: Any, b: Any) -> bool:
    a = a.pk if hasattr(a, "pk") else a
    b = b.pk if hasattr(b, "pk") else b
    if a in ("", None) and b in ("", None):
        return True
    if isinstance(a, Decimal | int) and isinstance(b, Decimal | int) and not isinstance(a, bool):
        return Decimal(a) == Decimal(b)
    return a == b


def _old_value(old: Any, name: str) -> Any:
    if name == "envelope":
        return old.envelope.name if old.envelope_id else None
    value = getattr(old, name)
    if name == "amount_in_currency" and value is None and old.currency == Currency.RSD:
        return old.amount  # a line saved before currencies: its amount as written is the RSD one
    return value


def _child_changes(kind: str, rows: list[ChildRow], existing: list, names: list[str], labels) -> list[str]:
    changes = []
    for index, row in enumerate(rows):
        if index >= len(existing):
            changes.append(_("%(kind)s %(n)s added") % {"kind": kind, "n": index + 1})
            continue
        old = existing[index]
        for name in names:
            old_value = _old_value(old, name)
            if not _same(row.data.get(name), old_value):
                changes.append(f"{kind} {index + 1}: {labels.get(name, name)}")
    changes += [
        _("%(kind)s %(n)s removed") % {"kind": kind, "n": n + 1} for n in range(len(rows), len(existing))
    ]
    return changes


def compare_with_plan(preview: ImportPreview, measures: list[Measure]) -> None:
    """new / changed (what) / unchanged per measure, and the plan's measures the file lacks."""
    labels = field_labels()
    by_code = {(m.area_id, str(m.number)): m for m in measures}
    matched: set[int] = set()
    for imported in preview.measures:
        data = imported.values.data
        existing = by_code.get((data["area"].pk, imported.number))
        if existing is None or existing.pk in matched:
            continue
        matched.add(existing.pk)
        changes = [labels.get(n, n) for n in MEASURE_FIELDS if not _same(data.get(n), getattr(existing, n))]
        for name, listed in LINK_FIELDS.items():
            if {o.pk for o in data.get(name, [])} != {o.pk for o in getattr(existing, listed)}:
                changes.append(labels.get(name, name))
        changes += _child_changes(
            str(_("indicator")),
            imported.values.indicators,
            existing.indicator_list,
            list(INDICATOR_FIELDS),
            labels,
        )
        changes += _child_changes(
            str(_("budget line")), imported.values.budget_lines, existing.line_list, LINE_FIELDS, labels
        )
        imported.existing = existing
        imported.changes = changes
        imported.status = CHANGED if changes else UNCHANGED
        # The children update the existing rows in order; rows beyond the file's are removed.
        for rows, old in (
            (imported.values.indicators, existing.indicator_list),
            (imported.values.budget_lines, existing.line_list),
        ):
            for index, row in enumerate(rows):
                if index < len(old):
                    row.instance = old[index]
            rows += [ChildRow(instance=o, data={}, delete=True) for o in old[len(rows) :]]
    preview.missing = [m for m in measures if m.pk not in matched]
