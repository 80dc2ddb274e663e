"""The plan matrix as XLSX: export, and import with a row-by-row check before anything is saved."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

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
COLUMNS = [
    "Area", "No.", "Measure", "Indicator", "Unit", "Baseline", "Target", "Responsible",
    "Partners", "Deadline", "Financing", "Funding source", "Amount (RSD)",
]  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
YES = {"yes", "da", "true", "1", "y"}
NO = {"no", "ne", "false", "0", "n"}
FINANCING_LABELS = {
    Measure.Financing.NEW: "new",
    Measure.Financing.LOCAL: "already financed (local)",
    Measure.Financing.NATIONAL: "already financed (national)",
}


def safe_text(value: str) -> str:
    """Text that a spreadsheet will not run as a formula (OWASP CSV/formula injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _unsafe_text(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:2] in FORMULA_STARTS else value


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
    return float(value) if value != value.to_integral() else int(value)


def plan_to_xlsx(plan: OperationalPlan, measures: list[Measure]) -> bytes:
    """The matrix: one row per indicator/budget line pair of each measure.

    `measures` come from selectors.measures_with_details().
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "Measures"
    sheet.append([safe_text(f"{plan.title} — {plan.jmu.lsg.name_lat}")])
    sheet.append([f"{plan.period_start:%d.%m.%Y} – {plan.period_end:%d.%m.%Y}, v{plan.version}"])
    sheet.append(COLUMNS)
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[3]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1D3F6E")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for measure in measures:
        indicators, lines = measure.indicator_list, measure.line_list
        for i in range(max(len(indicators), len(lines), 1)):
            first = i == 0
            ind = indicators[i] if i < len(indicators) else None
            line = lines[i] if i < len(lines) else None
            row = [
                safe_text(f"{measure.area.number}. {measure.area.name_en}"),
                measure.code,
                safe_text(measure.title) if first else None,
                safe_text(ind.name) if ind else None,
                safe_text(ind.unit) if ind else None,
                _value(ind, ind.baseline) if ind else None,
                _value(ind, ind.target) if ind else None,
                safe_text(measure.responsible.name) if first and measure.responsible else None,
                safe_text(measure.partners) if first and measure.partners else None,
                _deadline(measure) if first else None,
                FINANCING_LABELS[measure.financing] if first else None,
                safe_text(line.source.name_en) if line else None,
                float(line.amount) if line else None,
            ]
            sheet.append(row)
            if line:
                sheet.cell(row=sheet.max_row, column=13).number_format = "#,##0.00"
    for letter, width in zip("ABCDEFGHIJKLM", [22, 6, 40, 36, 10, 9, 9, 28, 24, 16, 18, 20, 14], strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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
    return _unsafe_text(str(value).strip())


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
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        # 1.234,56 (Serbian) or 1,234.56 (English): the last separator is the decimal one.
        text = (
            text.replace(".", "").replace(",", ".")
            if text.rfind(",") > text.rfind(".")
            else text.replace(",", "")
        )
    else:
        text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(value) from exc


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
    for index, row in enumerate(rows[:10]):
        cells = [_text(c).lower() for c in row[: len(COLUMNS)]]
        if cells == wanted:
            return index
    return None


def parse_plan_xlsx(upload, plan: OperationalPlan) -> ImportPreview:
    """Read the matrix and check every row against the same rules as the forms."""
    preview = ImportPreview()
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".xlsx"):
        preview.file_error = _("Choose an Excel workbook (.xlsx).")
        return preview
    if upload.size > MAX_IMPORT_BYTES:
        preview.file_error = _("The file is larger than 5 MB.")
        return preview
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        preview.file_error = _("This file is not an Excel workbook (.xlsx) that can be read.")
        return preview
    rows = [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
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
