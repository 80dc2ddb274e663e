"""The plan matrix as XLSX: export, and import with a row-by-row check before anything is saved."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook

from jmu_planner.numbers import parse_decimal
from jmu_planner.spreadsheets import (
    append_row,
    check_xlsx_archive,
    is_blank,
    load_xlsx,
    sheet_rows,
    style_header,
    style_title,
    unsafe_text,
    workbook_bytes,
)
from plans.models import (
    BudgetLine,
    FundingSource,
    Indicator,
    Measure,
    OperationalPlan,
    ThematicArea,
)
from plans.services import ChildRow, MeasureInput
from stakeholders.models import Institution

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# A plan has at most a few hundred rows; the caps keep a hostile file from holding a web worker.
MAX_IMPORT_ROWS = 2000
MAX_IMPORT_COLUMNS = 40
HEADER_WITHIN_ROWS = 10
COLUMNS = [
    "Area", "No.", "Measure", "Indicator", "Unit", "Baseline", "Target", "Responsible",
    "Partners", "Deadline", "Financing", "Funding source", "Amount (RSD)",
]  # fmt: skip
YES = {"yes", "da", "true", "1", "y"}
NO = {"no", "ne", "false", "0", "n"}
FINANCING_LABELS = {
    Measure.Financing.NEW: "new",
    Measure.Financing.LOCAL: "already financed (local)",
    Measure.Financing.NATIONAL: "already financed (national)",
}


def _month(day: datetime.date | None) -> str:
    return day.strftime("%m/%Y") if day else ""


def _deadline(measure: Measure) -> str:
    if measure.start_month and measure.end_month and measure.start_month != measure.end_month:
        return f"{_month(measure.start_month)}–{_month(measure.end_month)}"
    return _month(measure.end_month or measure.start_month)


def _value(indicator: Indicator, value: Decimal | None) -> Any:
    if value is None:
        return None
    if indicator.type == Indicator.Type.YES_NO:
        return "yes" if value == 1 else "no"
    return value if value != value.to_integral() else int(value)


def plan_to_xlsx(plan: OperationalPlan, measures: list[Measure]) -> bytes:
    """The matrix: one row per indicator/budget line pair of each measure.

    `measures` come from selectors.measures_with_details().
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "Measures"
    append_row(sheet, [f"{plan.title} — {plan.jmu.lsg.name_lat}"])
    append_row(sheet, [f"{plan.period_start:%d.%m.%Y} – {plan.period_end:%d.%m.%Y}, v{plan.version}"])
    append_row(sheet, COLUMNS)
    style_title(sheet["A1"])
    style_header(sheet[3])
    for measure in measures:
        indicators, lines = measure.indicator_list, measure.line_list
        for i in range(max(len(indicators), len(lines), 1)):
            first = i == 0
            ind = indicators[i] if i < len(indicators) else None
            line = lines[i] if i < len(lines) else None
            row = [
                f"{measure.area.number}. {measure.area.name_en}",
                measure.code,
                measure.title if first else None,
                ind.name if ind else None,
                ind.unit if ind else None,
                _value(ind, ind.baseline) if ind else None,
                _value(ind, ind.target) if ind else None,
                measure.responsible.name if first and measure.responsible else None,
                (measure.partners or None) if first else None,
                _deadline(measure) if first else None,
                FINANCING_LABELS[measure.financing] if first else None,
                line.source.name_en if line else None,
                line.amount if line else None,
            ]
            append_row(sheet, row, money_columns=[12])  # texts made formula-safe, the amount a Decimal
    for letter, width in zip("ABCDEFGHIJKLM", [22, 6, 40, 36, 10, 9, 9, 28, 24, 16, 18, 20, 14], strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C4"
    return workbook_bytes(book)


# --- Import ------------------------------------------------------------------------------------


@dataclass
class ImportedMeasure:
    row: int
    values: MeasureInput


@dataclass
class ImportPreview:
    measures: list[ImportedMeasure] = field(default_factory=list)
    errors: dict[int, list[str]] = field(default_factory=dict)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors and bool(self.measures)

    def add(self, row: int, message: str) -> None:
        self.errors.setdefault(row, []).append(message)


class _Lookups:
    def __init__(self, plan: OperationalPlan):
        self.areas: dict[str, ThematicArea] = {}
        for area in ThematicArea.objects.all():
            names = (area.name_en, area.name_sr, f"{area.number}. {area.name_en}",
                     f"{area.number}. {area.name_sr}")  # fmt: skip
            for key in (str(area.number), area.code, *names):
                self.areas[key.strip().lower()] = area
        self.sources: dict[str, FundingSource] = {}
        for source in FundingSource.objects.all():
            for key in (source.name_en, source.name_sr, source.code):
                self.sources[key.strip().lower()] = source
        self.institutions = {
            i.name.strip().lower(): i for i in Institution.objects.filter(lsg=plan.jmu.lsg_id)
        }
        self.financing = {label: key for key, label in FINANCING_LABELS.items()}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unsafe_text(str(value).strip())


def _parse_month(text: str) -> datetime.date:
    match = re.fullmatch(r"(\d{1,2})[./](\d{4})", text.strip()) or re.fullmatch(
        r"(\d{4})-(\d{1,2})", text.strip()
    )
    if not match:
        raise ValueError(text)
    first, second = match.groups()
    year, month = (int(second), int(first)) if len(second) == 4 else (int(first), int(second))
    return datetime.date(year, month, 1)


def _parse_deadline(text: str) -> tuple[datetime.date | None, datetime.date | None]:
    if not text:
        return None, None
    parts = [p for p in re.split(r"\s*[–—]\s*|\s+-\s+|(?<=\d{4})-(?=\d)", text) if p]
    if len(parts) == 1:
        month = _parse_month(parts[0])
        return month, month
    if len(parts) == 2:
        return _parse_month(parts[0]), _parse_month(parts[1])
    raise ValueError(text)


def _parse_number(value: Any) -> Decimal:
    """A number cell, or a text cell typed the Serbian or the plain way; ValueError otherwise."""
    if isinstance(value, bool):  # TRUE/FALSE cells are ints to Python, not amounts
        raise ValueError(value)
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if not number.is_finite():
            raise ValueError(value)
        return number
    return parse_decimal(str(value))


def _indicator_type(unit: str, baseline: Any, target: Any) -> str:
    if unit.strip() == "%":
        return Indicator.Type.PERCENTAGE
    if any(isinstance(v, str) and v.strip().lower() in YES | NO - {"0", "1"} for v in (baseline, target)):
        return Indicator.Type.YES_NO
    return Indicator.Type.NUMBER


def _indicator_value(kind: str, value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == Indicator.Type.YES_NO:
        text = str(value).strip().lower()
        if text in YES:
            return Decimal(1)
        if text in NO:
            return Decimal(0)
        raise ValueError(value)
    return _parse_number(value)


def _messages(error: ValidationError, labels: dict[str, str]) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{labels.get(name, name)}: {m}" for name, errs in error.message_dict.items() for m in errs]
    return list(error.messages)


def _find_header(rows: list[tuple]) -> int | None:
    wanted = [c.lower() for c in COLUMNS]
    for index, row in enumerate(rows[:HEADER_WITHIN_ROWS]):
        cells = [_text(c).lower() for c in row[: len(COLUMNS)]]
        if cells == wanted:
            return index
    return None


def _read_rows(upload) -> list[tuple]:
    """The first sheet's rows, read within the caps; a ValidationError says why the file is refused."""
    check_xlsx_archive(upload, max_bytes=MAX_IMPORT_BYTES)
    book = load_xlsx(upload)
    try:
        if not book.worksheets:
            return []
        rows: list[tuple] = []
        header_found, data_rows = False, 0
        # Blank rows are allowed between measures, but not without end: past twice the cap, stop.
        for row in sheet_rows(
            book.worksheets[0], max_columns=MAX_IMPORT_COLUMNS, last_row=2 * MAX_IMPORT_ROWS
        ):
            rows.append(row)
            if not header_found:
                header_found = _find_header([row]) is not None
                if not header_found and len(rows) >= HEADER_WITHIN_ROWS:
                    break  # not the matrix: no need to read further
                continue
            if not is_blank(row):
                data_rows += 1
                if data_rows > MAX_IMPORT_ROWS:
                    raise ValidationError(
                        _("The sheet has more than %(rows)s rows of measures; import a plan in parts.")
                        % {"rows": number_format(MAX_IMPORT_ROWS, force_grouping=True)},
                        code="too_many_rows",
                    )
        return rows
    finally:
        book.close()


def parse_plan_xlsx(upload, plan: OperationalPlan) -> ImportPreview:
    """Read the matrix and check every row against the same rules as the forms."""
    preview = ImportPreview()
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".xlsx"):
        preview.file_error = _("Choose an Excel workbook (.xlsx).")
        return preview
    try:
        rows = _read_rows(upload)
    except ValidationError as error:  # refused at once: nothing is read further, nothing imported
        preview.file_error = " ".join(error.messages)
        return preview
    header = _find_header(rows)
    if header is None:
        preview.file_error = _(
            "The columns are not those of the plan matrix. The header row must be: %(columns)s."
        ) % {"columns": ", ".join(COLUMNS)}
        return preview

    lookups = _Lookups(plan)
    labels = {
        "title": "Measure", "start_month": "Deadline", "end_month": "Deadline", "name": "Indicator",
        "unit": "Unit", "baseline": "Baseline", "target": "Target", "amount": "Amount (RSD)",
        "responsible": "Responsible", "partners": "Partners",
    }  # fmt: skip
    current: ImportedMeasure | None = None
    current_key = None
    for offset, raw in enumerate(rows[header + 1 :], start=header + 2):
        cells = (list(raw) + [None] * len(COLUMNS))[: len(COLUMNS)]
        if all(_text(c) == "" for c in cells):
            continue
        area_t, no_t, title_t, ind_t, unit_t = (_text(c) for c in cells[:5])
        baseline_v, target_v = cells[5], cells[6]
        resp_t, partners_t, deadline_t, fin_t, source_t = (_text(c) for c in cells[7:12])
        amount_v = cells[12]

        area = lookups.areas.get(area_t.lower())
        if area is None:
            preview.add(offset, _("Area: unknown thematic area “%(value)s”.") % {"value": area_t})
            continue
        key = (area.pk, no_t)
        if current is None or key != current_key or (title_t and current.values.data["title"] != title_t):
            if not title_t:
                preview.add(offset, _("Measure: the first row of a measure needs its text."))
                current = None
                current_key = None
                continue
            data: dict[str, Any] = {"area": area, "title": title_t, "partners": partners_t}
            if resp_t:
                institution = lookups.institutions.get(resp_t.lower())
                if institution is None:
                    preview.add(
                        offset,
                        _("Responsible: “%(value)s” is not an institution of this LSG.") % {"value": resp_t},
                    )
                data["responsible"] = institution
            try:
                data["start_month"], data["end_month"] = _parse_deadline(deadline_t)
            except ValueError:
                preview.add(offset, _("Deadline: write MM/YYYY or MM/YYYY–MM/YYYY."))
            if fin_t:
                financing = lookups.financing.get(fin_t.lower())
                if financing is None:
                    preview.add(
                        offset,
                        _("Financing: write new, already financed (local) or already financed (national)."),
                    )
                else:
                    data["financing"] = financing
            measure = Measure(plan=plan, number=1, **data)
            try:
                measure.full_clean(exclude=["number"])
            except ValidationError as error:
                for message in _messages(error, labels):
                    preview.add(offset, message)
            current = ImportedMeasure(row=offset, values=MeasureInput(data=data))
            current_key = key
            preview.measures.append(current)

        if ind_t or unit_t or baseline_v not in (None, "") or target_v not in (None, ""):
            kind = _indicator_type(unit_t, baseline_v, target_v)
            values: dict[str, Any] = {"name": ind_t, "unit": unit_t, "type": kind}
            try:
                values["baseline"] = _indicator_value(kind, baseline_v)
                values["target"] = _indicator_value(kind, target_v)
            except ValueError:
                preview.add(offset, _("Baseline/Target: not a number (or yes/no)."))
            else:
                try:
                    Indicator(**values).full_clean(exclude=["measure"])
                except ValidationError as error:
                    for message in _messages(error, labels):
                        preview.add(offset, message)
                current.values.indicators.append(ChildRow(instance=None, data=values))
        if source_t or amount_v not in (None, ""):
            source = lookups.sources.get(source_t.lower())
            if source is None:
                preview.add(offset, _("Funding source: unknown source “%(value)s”.") % {"value": source_t})
                continue
            try:
                amount = _parse_number(amount_v)
            except ValueError:
                preview.add(offset, _("Amount: not a number."))
                continue
            line = {
                "source": source,
                "amount": amount,
                "category": BudgetLine._meta.get_field("category").default,
            }
            try:
                BudgetLine(**line).full_clean(exclude=["measure"])
            except ValidationError as error:
                for message in _messages(error, labels):
                    preview.add(offset, message)
            current.values.budget_lines.append(ChildRow(instance=None, data=line))
    if not preview.measures and not preview.errors:
        preview.file_error = _("The file has the right columns but no measures.")
    return preview
