"""The plan matrix as XLSX: every field of the plan, one row per indicator/budget-line pair of each
measure (the measure's own fields on its first row), Serbian headers; a second sheet holds the
shared envelopes."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from jmu_planner.spreadsheets import (
    append_row,
    style_header,
    style_title,
    workbook_bytes,
)
from plans.models import (
    BudgetEnvelope,
    BudgetLine,
    Indicator,
    Measure,
    OperationalPlan,
)
from plans.spreadsheets.columns import (
    AGGREGATION_LABELS,
    BOUND_LABELS,
    BREAKDOWN_LABELS,
    CATEGORY_LABELS,
    COLUMNS,
    ENVELOPE_COLUMNS,
    ENVELOPE_SHEET,
    FINANCING_LABELS,
    KEYS,
    LIST_SEPARATOR,
    MONEY_KEYS,
    PARTY_LABELS,
    QUALIFIER_LABELS,
    TYPE_LABELS,
)


def _month(day: datetime.date | None) -> str:
    return day.strftime("%m/%Y") if day else ""


def _deadline(measure: Measure) -> str:
    if measure.start_month and measure.end_month and measure.start_month != measure.end_month:
        return f"{_month(measure.start_month)}–{_month(measure.end_month)}"
    return _month(measure.end_month or measure.start_month)


def _plain_number(value: Decimal) -> str:
    """30, 55,5: a number inside a text cell, written the Serbian way."""
    if value == value.to_integral():
        return str(int(value))
    return f"{value.normalize():f}".replace(".", ",")


def _value(indicator: Indicator, value: Decimal | None) -> Any:
    if value is None:
        return None
    if indicator.type == Indicator.Type.YES_NO:
        return "da" if value == 1 else "ne"
    return value if value != value.to_integral() else int(value)


def _qualified(indicator: Indicator, value: Decimal | None, qualifier: str) -> Any:
    """A target or baseline as written: `najmanje 30`, `više od 749` when qualified, else the number."""
    if value is None or not qualifier:
        return _value(indicator, value)
    shown = _value(indicator, value)
    shown = _plain_number(value) if isinstance(shown, int | Decimal) else shown
    return f"{QUALIFIER_LABELS[qualifier][0]} {shown}"


def _target(indicator: Indicator) -> Any:
    return _qualified(indicator, indicator.target, indicator.target_qualifier)


def _names(objects) -> str | None:
    return LIST_SEPARATOR.join(o.name for o in objects) or None


def _measure_cells(measure: Measure) -> dict[str, Any]:
    return {
        "title": measure.title,
        "responsible": PARTY_LABELS[measure.responsible_party][0]
        if measure.responsible_party
        else (measure.responsible.name if measure.responsible else None),
        "partners": measure.partners or None,
        "deadline": _deadline(measure) or None,
        "financing": FINANCING_LABELS[measure.financing][0],
        "secondary_areas": ", ".join(str(a.number) for a in measure.secondary_area_list) or None,
        "objective": measure.objective or None,
        "objective_reference": measure.objective_reference or None,
        "lap_measure_number": measure.lap_measure_number or None,
        "activities": measure.activities or None,
        "target_group": measure.target_group or None,
        "co_responsible": _names(measure.co_responsible_list),
        "partner_institutions": _names(measure.partner_list),
        "period_text": measure.period_text or None,
        "notes": measure.notes or None,
    }


def _indicator_cells(ind: Indicator) -> dict[str, Any]:
    return {
        "ind_name": ind.name,
        "unit": ind.unit,
        "baseline": _qualified(ind, ind.baseline, ind.baseline_qualifier),
        "target": _target(ind),
        "ind_type": TYPE_LABELS[ind.type][0],
        "baseline_year": ind.baseline_year,
        "baseline_source": ind.baseline_source or None,
        "target_text": ind.target_milestone or None,
        "target_date": ind.target_date.strftime("%d.%m.%Y") if ind.target_date else None,
        "verification": ind.means_of_verification or None,
        "breakdown": BREAKDOWN_LABELS[ind.breakdown][0],
        "aggregation": AGGREGATION_LABELS[ind.aggregation][0],
    }


def _line_cells(line: BudgetLine) -> dict[str, Any]:
    return {
        "source": line.source.name_sr,
        "amount": line.amount,
        "category": CATEGORY_LABELS[line.category][0],
        "description": line.description or None,
        "currency": line.currency,
        "rate": line.exchange_rate,
        "unit_cost": line.unit_cost,
        "quantity": line.quantity,
        "periods": line.periods,
        "amount_in_currency": line.amount_in_currency,
        "envelope": line.envelope.name if line.envelope_id else None,
        "bound": BOUND_LABELS[line.bound][0] if line.bound else None,
    }


def plan_to_xlsx(
    plan: OperationalPlan, measures: list[Measure], envelopes: list[BudgetEnvelope] = ()
) -> bytes:
    """The matrix: one row per indicator/budget line pair of each measure; the envelopes apart.

    `measures` come from selectors.measures_with_details(), `envelopes` from plan_envelopes().
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "Mere"
    append_row(sheet, [f"{plan.title} — {plan.jmu.lsg.name_lat}"], as_typed=True)
    append_row(sheet, [f"{plan.period_start:%d.%m.%Y} – {plan.period_end:%d.%m.%Y}, v{plan.version}"])
    append_row(sheet, COLUMNS, as_typed=True)
    style_title(sheet["A1"])
    style_header(sheet[3])
    money_columns = [KEYS.index(key) for key in MONEY_KEYS]
    for measure in measures:
        indicators, lines = measure.indicator_list, measure.line_list
        for i in range(max(len(indicators), len(lines), 1)):
            cells: dict[str, Any] = {
                "area": f"{measure.area.number}. {measure.area.name_sr}",
                "no": measure.code,
            }
            if i == 0:
                cells |= _measure_cells(measure)
            if i < len(indicators):
                cells |= _indicator_cells(indicators[i])
            if i < len(lines):
                cells |= _line_cells(lines[i])
            # Texts made formula-safe, the amounts Decimals.
            append_row(sheet, [cells.get(key) for key in KEYS], money_columns=money_columns, as_typed=True)
    for index in range(len(KEYS)):
        letter = sheet.cell(row=3, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = 40 if KEYS[index] in ("title", "activities") else 18
    sheet.freeze_panes = "C4"
    if envelopes:
        extra = book.create_sheet(ENVELOPE_SHEET[0])
        append_row(extra, ENVELOPE_COLUMNS, as_typed=True)
        style_header(extra[1])
        for envelope in envelopes:
            append_row(
                extra,
                [
                    envelope.name,
                    envelope.year,
                    envelope.source.name_sr,
                    envelope.amount,
                    BOUND_LABELS[envelope.bound][0] if envelope.bound else None,
                    envelope.responsible.name if envelope.responsible_id else None,
                    envelope.period_text or None,
                ],
                money_columns=[3],
                as_typed=True,
            )
    return workbook_bytes(book)
