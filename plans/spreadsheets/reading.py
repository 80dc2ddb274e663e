"""The plan matrix read from XLSX, with a row-by-row check before anything is saved.

It reads Serbian headers in either script or English ones (and the older 13-column layout), and the
sheet's words (areas, sources, institutions, choices) in either script; it matches measures by
their number (area and number: `2.3`)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jmu_planner.numbers import parse_decimal
from jmu_planner.spreadsheets import (
    check_xlsx_archive,
    is_blank,
    load_xlsx,
    sheet_rows,
    unsafe_text,
)
from plans.models import (
    Bound,
    BudgetEnvelope,
    BudgetLine,
    CostCategory,
    Currency,
    FundingSource,
    Indicator,
    Measure,
    OperationalPlan,
    ThematicArea,
)
from plans.selectors import measures_with_details
from plans.services import ChildRow, MeasureInput
from plans.spreadsheets.columns import (
    AGGREGATION_LABELS,
    BOUND_ALIASES,
    BOUND_LABELS,
    BREAKDOWN_LABELS,
    CATEGORY_LABELS,
    CHANGED,
    COLUMNS,
    ENVELOPE_BEFORE,
    ENVELOPE_COLUMNS,
    ENVELOPE_ENGLISH,
    ENVELOPE_SHEET,
    FINANCING_LABELS,
    HEADER_ALIASES,
    HEADER_WITHIN_ROWS,
    MAX_ENVELOPES,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_COLUMNS,
    MAX_IMPORT_ROWS,
    NEW,
    NO,
    PARTY_ALIASES,
    PARTY_LABELS,
    REQUIRED_HEADERS,
    TYPE_LABELS,
    UNCHANGED,
    YES,
    field_labels,
    label_reader,
    lookup_key,
    split_qualifier,
)
from plans.spreadsheets.compare import compare_with_plan
from stakeholders.models import Institution

# --- Reading ------------------------------------------------------------------------------------


@dataclass
class ImportedMeasure:
    row: int
    values: MeasureInput
    number: str = ""  # in its area, from the No. column: `2.3` → "3"
    status: str = NEW
    existing: Measure | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        if self.status == CHANGED:
            return _("changed (%(what)s)") % {"what": ", ".join(self.changes)}
        return _("new") if self.status == NEW else _("unchanged")


@dataclass
class ImportedEnvelope:
    row: int
    data: dict[str, Any]
    status: str = NEW
    existing: BudgetEnvelope | None = None

    @property
    def status_label(self) -> str:
        return {NEW: _("new"), CHANGED: _("changed")}.get(self.status, _("unchanged"))


@dataclass
class ImportPreview:
    measures: list[ImportedMeasure] = field(default_factory=list)
    envelopes: list[ImportedEnvelope] = field(default_factory=list)
    # Measures of the plan the file does not have: removed only if the user asks.
    missing: list[Measure] = field(default_factory=list)
    errors: dict[int, list[str]] = field(default_factory=dict)
    file_error: str = ""
    # Column key → its 0-based position in the sheet: a message names the cell (`C5`).
    columns: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors and bool(self.measures)

    @property
    def changes_nothing(self) -> bool:
        return all(m.status == UNCHANGED for m in self.measures) and all(
            e.status == UNCHANGED for e in self.envelopes
        )

    def count(self, status: str) -> int:
        return sum(1 for m in self.measures if m.status == status)

    def add(self, row: int, message: str) -> None:
        self.errors.setdefault(row, []).append(message)

    def cell(self, key: str, row: int) -> str:
        """The cell of column `key` in `row`, as the spreadsheet names it: `C5`."""
        from openpyxl.utils import get_column_letter

        index = self.columns.get(key)
        return f"{get_column_letter(index + 1)}{row}" if index is not None else str(row)


class _Lookups:
    def __init__(self, plan: OperationalPlan):
        self.areas: dict[str, ThematicArea] = {}
        for area in ThematicArea.objects.all():
            names = (
                area.name_en,
                area.name_sr,
                f"{area.number}. {area.name_en}",
                f"{area.number}. {area.name_sr}",
            )
            for key in (str(area.number), area.code, *names):
                self.areas[lookup_key(key)] = area
        self.sources: dict[str, FundingSource] = {}
        for source in FundingSource.objects.all():
            for key in (source.name_en, source.name_sr, source.code):
                self.sources[lookup_key(key)] = source
        # The LSG's institutions and the national bodies; a local name wins over a national one.
        self.institutions: dict[str, Institution] = {}
        for institution in Institution.objects.filter(Q(lsg=plan.jmu.lsg_id) | Q(lsg__isnull=True)):
            key = lookup_key(institution.name)
            if institution.lsg_id is not None or key not in self.institutions:
                self.institutions[key] = institution
        self.financing = label_reader(FINANCING_LABELS)
        self.types = label_reader(TYPE_LABELS)
        self.breakdowns = label_reader(BREAKDOWN_LABELS)
        self.aggregations = label_reader(AGGREGATION_LABELS)
        self.categories = label_reader(CATEGORY_LABELS)
        self.currencies = {lookup_key(c): c for c in Currency.values}
        self.bounds = label_reader(BOUND_LABELS) | BOUND_ALIASES
        lsg = plan.jmu.lsg
        self.parties = (
            label_reader(PARTY_LABELS)
            | PARTY_ALIASES
            | {
                lookup_key(lsg.name_lat): Measure.Party.LSG,
                lookup_key(lsg.name_cyr): Measure.Party.LSG,
            }
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
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


def _parse_date(value: Any) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if match := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\.?", text):
        day, month, year = (int(g) for g in match.groups())
        return datetime.date(year, month, day)
    return datetime.date.fromisoformat(text)


def _parse_number(value: Any, *, dot_groups: bool = True) -> Decimal:
    """A number cell, or a text cell typed the Serbian or the plain way; ValueError otherwise."""
    if isinstance(value, bool):  # TRUE/FALSE cells are ints to Python, not amounts
        raise ValueError(value)
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite():
            raise ValueError(value)
        return number
    return parse_decimal(str(value), dot_groups=dot_groups)


def _optional_number(value: Any, **kwargs: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _parse_number(value, **kwargs)


def _bound(amount: Any, written: str, lookups: _Lookups) -> tuple[str | None, Any]:
    """The kind of an amount: from its own column (`najviše`), or written before the amount
    (`najviše 10.000`, `do 50.000`, `≤ 10000`); planned otherwise. None when the word is unknown."""
    bound: str | None = Bound.PLANNED
    if written:
        bound = lookups.bounds.get(lookup_key(written))
    if isinstance(amount, str):
        tokens = amount.split()
        if len(tokens) > 1 and lookup_key(tokens[0]) in BOUND_ALIASES:
            return BOUND_ALIASES[lookup_key(tokens[0])], " ".join(tokens[1:])
        qualifier, rest = split_qualifier(amount)
        if qualifier in (Bound.AT_MOST, Bound.AT_LEAST):
            return qualifier, rest
    return bound, amount


def _bad_number(value: Any) -> bool:
    try:
        _optional_number(value, dot_groups=False)
    except (ValueError, ArithmeticError):
        try:
            _optional_number(value)
        except (ValueError, ArithmeticError):
            return True
    return False


def _indicator_type(unit: str, baseline: Any, target: Any) -> str:
    if unit.strip() == "%":
        return Indicator.Type.PERCENTAGE
    if any(isinstance(v, str) and lookup_key(v) in YES | NO - {"0", "1"} for v in (baseline, target)):
        return Indicator.Type.YES_NO
    return Indicator.Type.NUMBER


def _indicator_value(kind: str, value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == Indicator.Type.YES_NO:
        text = lookup_key(str(value))
        if text in YES:
            return Decimal(1)
        if text in NO:
            return Decimal(0)
        raise ValueError(value)
    if kind == Indicator.Type.PERCENTAGE and isinstance(value, str) and value.strip().endswith("%"):
        value = value.strip()[:-1]  # "30 %"
    return _parse_number(value)


def _messages(error: ValidationError, labels: dict[str, str]) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{labels.get(name, name)}: {m}" for name, errs in error.message_dict.items() for m in errs]
    return list(error.messages)


def _header_map(row: tuple) -> dict[str, int] | None:
    """Which column holds which field, if `row` is the matrix's header (Serbian, in either script,
    or English)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        key = HEADER_ALIASES.get(lookup_key(_text(cell)))
        if key and key not in found:
            found[key] = index
    return found if set(found) >= REQUIRED_HEADERS else None


def _read_rows(upload) -> tuple[list[tuple], list[tuple]]:
    """The first sheet's rows and the envelope sheet's, read within the caps; a ValidationError
    says why the file is refused."""
    check_xlsx_archive(upload, max_bytes=MAX_IMPORT_BYTES)
    book = load_xlsx(upload)
    try:
        if not book.worksheets:
            return [], []
        rows: list[tuple] = []
        header_found, data_rows = False, 0
        # Blank rows are allowed between measures, but not without end: past twice the cap, stop.
        for row in sheet_rows(
            book.worksheets[0], max_columns=MAX_IMPORT_COLUMNS, last_row=2 * MAX_IMPORT_ROWS
        ):
            rows.append(row)
            if not header_found:
                header_found = _header_map(row) is not None
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
        envelope_rows: list[tuple] = []
        extra = next(
            (s for s in book.worksheets[1:] if lookup_key(s.title) in map(lookup_key, ENVELOPE_SHEET)), None
        )
        if extra is not None:
            envelope_rows = list(
                sheet_rows(extra, max_columns=len(ENVELOPE_COLUMNS), last_row=MAX_ENVELOPES + 1)
            )
        return rows, envelope_rows
    finally:
        book.close()


def _links(names_text: str, lookups: _Lookups) -> tuple[list[Institution], list[str]]:
    found, unknown = [], []
    for name in (n.strip() for n in names_text.split(";")):
        if not name:
            continue
        institution = lookups.institutions.get(lookup_key(name))
        (found.append(institution) if institution else unknown.append(name))
    return found, unknown


def _parse_envelopes(
    rows: list[tuple], plan: OperationalPlan, lookups: _Lookups, preview: ImportPreview
) -> None:
    existing = {e.name: e for e in BudgetEnvelope.objects.filter(plan=plan).select_related("source")}
    header = [lookup_key(_text(c)) for c in rows[0]] if rows else []
    while header and header[-1] == "":
        header.pop()
    known = (ENVELOPE_COLUMNS, ENVELOPE_ENGLISH, ENVELOPE_BEFORE)
    layouts = [[lookup_key(c) for c in columns] for columns in known]
    if rows and header not in [*layouts, *(layout[:4] for layout in layouts)]:
        preview.add(
            1, _("Envelopes: the header row must be: %(columns)s.") % {"columns": ", ".join(ENVELOPE_COLUMNS)}
        )
        return
    width = len(ENVELOPE_COLUMNS)
    for offset, raw in enumerate(rows[1:], start=2):
        cells = (list(raw) + [None] * width)[:width]
        if all(_text(c) == "" for c in cells):
            continue
        name, year_v, source_t = _text(cells[0]), cells[1], _text(cells[2])
        bound, amount_v = _bound(cells[3], _text(cells[4]), lookups)
        responsible_t, period_text = _text(cells[5]), _text(cells[6])
        source = lookups.sources.get(lookup_key(source_t))
        try:
            data = {
                "name": name,
                "year": int(_parse_number(year_v)) if _text(year_v) else None,
                "source": source,
                "amount": _parse_number(amount_v),
            }
        except (ValueError, ArithmeticError):
            preview.add(offset, _("Envelopes: the year and the amount are numbers."))
            continue
        if bound is None:
            preview.add(offset, _("Amount is: write planned, at most or at least."))
            continue
        data |= {"bound": bound, "period_text": period_text, "responsible": None}
        if responsible_t:
            data["responsible"] = lookups.institutions.get(lookup_key(responsible_t))
            if data["responsible"] is None:
                preview.add(
                    offset,
                    _("Responsible: “%(value)s” is not an institution of this LSG.")
                    % {"value": responsible_t},
                )
                continue
        if source is None:
            preview.add(offset, _("Funding source: unknown source “%(value)s”.") % {"value": source_t})
            continue
        try:
            BudgetEnvelope(plan=plan, **data).full_clean()
        except ValidationError as error:
            preview.errors.setdefault(offset, []).extend(error.messages)
            continue
        found = existing.get(name)
        status = NEW
        if found is not None:
            stored = (
                found.year,
                found.source_id,
                found.amount,
                found.bound,
                found.responsible_id,
                found.period_text,
            )
            same = stored == (
                data["year"],
                source.pk,
                data["amount"],
                bound,
                data["responsible"].pk if data["responsible"] else None,
                period_text,
            )
            status = UNCHANGED if same else CHANGED
        preview.envelopes.append(ImportedEnvelope(row=offset, data=data, status=status, existing=found))


def parse_plan_xlsx(upload, plan: OperationalPlan) -> ImportPreview:
    """Read the matrix, check every row against the same rules as the forms, and compare each
    measure with the plan's measure of the same number."""
    preview = ImportPreview()
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".xlsx"):
        preview.file_error = _("Choose an Excel workbook (.xlsx).")
        return preview
    try:
        rows, envelope_rows = _read_rows(upload)
    except ValidationError as error:  # refused at once: nothing is read further, nothing imported
        preview.file_error = " ".join(error.messages)
        return preview
    header, columns = None, None
    for index, row in enumerate(rows[:HEADER_WITHIN_ROWS]):
        columns = _header_map(row)
        if columns is not None:
            header = index
            break
    if header is None:
        preview.file_error = _(
            "The columns are not those of the plan matrix. The header row must be: %(columns)s."
        ) % {"columns": ", ".join(COLUMNS)}
        return preview

    preview.columns = columns
    lookups = _Lookups(plan)
    labels = field_labels()
    _parse_envelopes(envelope_rows, plan, lookups, preview)
    envelope_names = {e.data["name"]: e.data for e in preview.envelopes} | {
        e.name: {"source": e.source}
        for e in BudgetEnvelope.objects.filter(plan=plan).select_related("source")
    }
    current: ImportedMeasure | None = None
    current_key = None
    for offset, raw in enumerate(rows[header + 1 :], start=header + 2):
        cells = {key: (raw[index] if index < len(raw) else None) for key, index in columns.items()}
        if all(_text(c) == "" for c in cells.values()):
            continue
        t = {key: _text(value) for key, value in cells.items()}

        def text(key: str, t: dict[str, str] = t) -> str:
            return t.get(key, "")

        area = lookups.areas.get(lookup_key(text("area")))
        if area is None:
            preview.add(offset, _("Area: unknown thematic area “%(value)s”.") % {"value": text("area")})
            continue
        key = (area.pk, text("no"))
        title = text("title")
        if current is None or key != current_key or (title and current.values.data["title"] != title):
            if not title:
                preview.add(
                    offset,
                    _(
                        "Measure (cell %(cell)s): the first row of a measure needs its text (a formula "
                        "without a value reads as empty)."
                    )
                    % {"cell": preview.cell("title", offset)},
                )
                # The row is still read, so that its other errors are listed too; it is not imported.
                current = _parse_measure(offset, area, t | {"title": "—"}, plan, lookups, labels, preview)
                current_key = key
            else:
                current = _parse_measure(offset, area, t, plan, lookups, labels, preview)
                current.number = text("no").rsplit(".", 1)[-1].strip()
                current_key = key
                preview.measures.append(current)
        _parse_indicator(offset, cells, t, current, labels, lookups, preview)
        _parse_line(offset, cells, t, current, labels, lookups, envelope_names, preview)
    if not preview.measures and not preview.errors:
        preview.file_error = _("The file has the right columns but no measures.")
        return preview
    compare_with_plan(preview, measures_with_details(plan))
    return preview


def _parse_measure(
    offset: int,
    area: ThematicArea,
    t: dict[str, str],
    plan: OperationalPlan,
    lookups: _Lookups,
    labels: dict[str, str],
    preview: ImportPreview,
) -> ImportedMeasure:
    def text(key: str) -> str:
        return t.get(key, "")

    data: dict[str, Any] = {"area": area, "title": text("title"), "partners": text("partners")}
    for name in (
        "objective",
        "objective_reference",
        "lap_measure_number",
        "activities",
        "target_group",
        "period_text",
        "notes",
    ):
        data[name] = text(name)
    data["responsible"] = None
    data["responsible_party"] = Measure.Party.INSTITUTION
    written = lookup_key(text("responsible"))
    if written and written not in lookups.institutions and written in lookups.parties:
        data["responsible_party"] = lookups.parties[written]  # the plan's own LSG or JMU
    elif text("responsible"):
        institution = lookups.institutions.get(lookup_key(text("responsible")))
        if institution is None:
            preview.add(
                offset,
                _("Responsible: “%(value)s” is not an institution of this LSG.")
                % {"value": text("responsible")},
            )
        data["responsible"] = institution
    for name in ("co_responsible", "partner_institutions"):
        found, unknown = _links(text(name), lookups)
        for value in unknown:
            preview.add(
                offset,
                _("%(column)s: “%(value)s” is not an institution of this LSG nor a national body.")
                % {"column": labels.get(name, name), "value": value},
            )
        data[name] = found
    secondary = []
    for number in (n.strip() for n in re.split(r"[,;]", text("secondary_areas"))):
        if number:
            other = lookups.areas.get(lookup_key(number))
            if other is None:
                preview.add(offset, _("Area: unknown thematic area “%(value)s”.") % {"value": number})
            elif other.pk != area.pk:
                secondary.append(other)
    data["secondary_areas"] = secondary
    try:
        data["start_month"], data["end_month"] = _parse_deadline(text("deadline"))
    except ValueError:
        preview.add(offset, _("Deadline: write MM/YYYY or MM/YYYY–MM/YYYY."))
    data["financing"] = Measure.Financing.NEW
    if text("financing"):
        financing = lookups.financing.get(lookup_key(text("financing")))
        if financing is None:
            preview.add(
                offset, _("Financing: write new, already financed (local) or already financed (national).")
            )
        else:
            data["financing"] = financing
    fields = {
        k: v
        for k, v in data.items()
        if k not in ("co_responsible", "partner_institutions", "secondary_areas")
    }
    try:
        Measure(plan=plan, number=1, **fields).full_clean(exclude=["number", "request_token"])
    except ValidationError as error:
        for message in _messages(error, labels):
            preview.add(offset, message)
    return ImportedMeasure(row=offset, values=MeasureInput(data=data))


def _parse_indicator(
    offset: int,
    cells: dict[str, Any],
    t: dict[str, str],
    current: ImportedMeasure,
    labels: dict[str, str],
    lookups: _Lookups,
    preview: ImportPreview,
) -> None:
    keys = ("ind_name", "unit", "baseline", "target", "target_text")
    if not any(t.get(k) for k in keys):
        return
    qualifier, target_v = split_qualifier(cells.get("target"))
    baseline_qualifier, baseline_v = split_qualifier(cells.get("baseline"))
    unit = t.get("unit", "")
    kind = lookups.types.get(lookup_key(t.get("ind_type", ""))) if t.get("ind_type") else None
    if t.get("ind_type") and kind is None:
        preview.add(offset, _("Indicator type: write number, percentage or yes/no."))
    kind = kind or _indicator_type(unit, baseline_v, target_v)
    values: dict[str, Any] = {
        "name": t.get("ind_name", ""),
        "unit": unit,
        "type": kind,
        "target_qualifier": qualifier,
        "baseline_qualifier": baseline_qualifier,
        "baseline_source": t.get("baseline_source", ""),
        "target_milestone": t.get("target_text", ""),
        "means_of_verification": t.get("verification", ""),
    }
    for name, table, column in (
        ("breakdown", lookups.breakdowns, "breakdown"),
        ("aggregation", lookups.aggregations, "aggregation"),
    ):
        written = t.get(column, "")
        found = table.get(lookup_key(written)) if written else None
        if written and found is None:
            preview.add(
                offset,
                _("%(column)s: unknown value “%(value)s”.") % {"column": labels[name], "value": written},
            )
        values[name] = found or (
            Indicator.default_aggregation(kind) if name == "aggregation" else Indicator.Breakdown.NONE
        )
    try:
        values["baseline"] = _indicator_value(kind, baseline_v)
        values["target"] = _indicator_value(kind, target_v)
    except (ValueError, ArithmeticError):
        preview.add(
            offset,
            _("Baseline/Target (cells %(cells)s): not a number (or yes/no).")
            % {"cells": ", ".join(preview.cell(k, offset) for k in ("baseline", "target"))},
        )
        return
    try:
        year = _optional_number(cells.get("baseline_year"))
        values["baseline_year"] = int(year) if year is not None else None
        values["target_date"] = _parse_date(cells.get("target_date"))
    except (ValueError, ArithmeticError):
        preview.add(offset, _("Baseline year / target date: write a year and a date (DD.MM.YYYY)."))
        return
    try:
        Indicator(**values).full_clean(exclude=["measure"])
    except ValidationError as error:
        for message in _messages(error, labels):
            preview.add(offset, message)
    current.values.indicators.append(ChildRow(instance=None, data=values))


def _parse_line(
    offset: int,
    cells: dict[str, Any],
    t: dict[str, str],
    current: ImportedMeasure,
    labels: dict[str, str],
    lookups: _Lookups,
    envelopes: dict[str, dict],
    preview: ImportPreview,
) -> None:
    keys = ("source", "amount", "amount_in_currency", "unit_cost", "quantity")
    if not any(t.get(k) for k in keys):
        return
    source_t = t.get("source", "")
    source = lookups.sources.get(lookup_key(source_t))
    if source is None:
        preview.add(offset, _("Funding source: unknown source “%(value)s”.") % {"value": source_t})
        return
    currency = lookups.currencies.get(lookup_key(t.get("currency", "")) or "rsd")
    written = t.get("category", "")
    category = lookups.categories.get(lookup_key(written)) if written else CostCategory.OTHER
    if currency is None or category is None:
        preview.add(offset, _("Currency or cost category: unknown value."))
        return
    bound, cells["amount"] = _bound(cells.get("amount"), t.get("bound", ""), lookups)
    in_currency_bound, cells["amount_in_currency"] = _bound(cells.get("amount_in_currency"), "", lookups)
    if bound == Bound.PLANNED:
        bound = in_currency_bound
    if bound is None:
        preview.add(
            offset,
            _("Amount is (cell %(cell)s): write planned, at most or at least.")
            % {"cell": preview.cell("bound", offset)},
        )
        return
    try:
        line: dict[str, Any] = {
            "source": source,
            "category": category,
            "description": t.get("description", ""),
            "currency": currency,
            "bound": bound,
            "exchange_rate": _optional_number(cells.get("rate"), dot_groups=False),
            "unit_cost": _optional_number(cells.get("unit_cost")),
            "quantity": _optional_number(cells.get("quantity")),
            "amount_in_currency": _optional_number(cells.get("amount_in_currency")),
            "amount": _optional_number(cells.get("amount")),
        }
        periods = _optional_number(cells.get("periods"))
        line["periods"] = int(periods) if periods is not None else None
    except (ValueError, ArithmeticError):
        bad = [
            preview.cell(k, offset)
            for k in ("rate", "unit_cost", "quantity", "amount_in_currency", "amount", "periods")
            if _bad_number(cells.get(k))
        ]
        preview.add(offset, _("Amount (cell %(cells)s): not a number.") % {"cells": ", ".join(bad)})
        return
    if currency == Currency.RSD and line["amount_in_currency"] is None:
        line["amount_in_currency"] = line["amount"]
    if currency != Currency.RSD or line["unit_cost"] is not None:
        line["amount"] = None  # derived by the model from the amount as written
    envelope_name = t.get("envelope", "")
    if envelope_name:
        envelope = envelopes.get(envelope_name)
        if envelope is None:
            preview.add(
                offset,
                _("Envelope: “%(value)s” is neither in the file nor in the plan.") % {"value": envelope_name},
            )
        elif envelope.get("source") is not None and envelope["source"].pk != source.pk:
            preview.add(offset, _("The line draws on the envelope: give it the envelope's funding source."))
    instance = BudgetLine(**line)
    try:
        instance.full_clean(exclude=["measure", "envelope"])
    except ValidationError as error:
        for message in _messages(error, labels):
            preview.add(offset, message)
    line["amount"] = instance.amount  # as the model derives it, for the comparison
    line["amount_in_currency"] = instance.amount_in_currency
    line["envelope"] = envelope_name or None  # resolved to the envelope by the service
    current.values.budget_lines.append(ChildRow(instance=None, data=line))
