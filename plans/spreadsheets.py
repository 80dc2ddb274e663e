"""The plan matrix as XLSX: export, and import with a row-by-row check before anything is saved.

The export holds every field of the plan, one row per indicator/budget-line pair of each measure
(the measure's own fields on its first row), with Serbian headers; a second sheet holds the shared
envelopes. The import reads Serbian headers in either script or English ones (and the older 13-column
layout), and the sheet's words (areas, sources, institutions, choices) in either script; it matches
measures by their number (area and number: `2.3`) and says per measure whether it is new, changed
(and what) or unchanged, and which measures of the plan the file no longer has: re-importing an
export changes nothing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.text import capfirst
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
from jmu_planner.text import to_latin
from plans.models import (
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
from plans.services import ChildRow, MeasureInput
from stakeholders.models import Institution

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# A plan has at most a few hundred rows; the caps keep a hostile file from holding a web worker.
MAX_IMPORT_ROWS = 2000
MAX_IMPORT_COLUMNS = 40
HEADER_WITHIN_ROWS = 10
MAX_ENVELOPES = 200

# (key, Serbian header, English header). The first 13 are the older layout's, in its order.
FIELDS = [
    ("area", "Oblast", "Area"),
    ("no", "Br.", "No."),
    ("title", "Mera", "Measure"),
    ("ind_name", "Pokazatelj", "Indicator"),
    ("unit", "Jedinica", "Unit"),
    ("baseline", "Polazna vrednost", "Baseline"),
    ("target", "Ciljna vrednost", "Target"),
    ("responsible", "Nosilac", "Responsible"),
    ("partners", "Ostali partneri", "Partners"),
    ("deadline", "Rok", "Deadline"),
    ("financing", "Finansiranje", "Financing"),
    ("source", "Izvor finansiranja", "Funding source"),
    ("amount", "Iznos (RSD)", "Amount (RSD)"),
    ("secondary_areas", "Dodatne oblasti", "Secondary areas"),
    ("objective", "Cilj", "Objective"),
    ("objective_reference", "Referenca (LAP/Strategija)", "LAP or Strategy reference"),
    ("lap_measure_number", "Broj mere LAP-a", "LAP measure number"),
    ("activities", "Aktivnosti", "Activities"),
    ("target_group", "Ciljna grupa", "Target group"),
    ("co_responsible", "Sunosioci", "Co-responsible"),
    ("partner_institutions", "Partnerske institucije", "Partner institutions"),
    ("period_text", "Period kako je napisan", "Period as written"),
    ("notes", "Napomene", "Notes"),
    ("ind_type", "Tip pokazatelja", "Indicator type"),
    ("baseline_year", "Godina polazne vrednosti", "Baseline year"),
    ("baseline_source", "Izvor polazne vrednosti", "Baseline source"),
    ("target_text", "Cilj opisno", "Target as text"),
    ("target_date", "Rok za cilj", "Target date"),
    ("verification", "Sredstvo verifikacije", "Means of verification"),
    ("breakdown", "Razvrstavanje", "Breakdown"),
    ("aggregation", "Pravilo zbira", "Roll-up rule"),
    ("category", "Kategorija troška", "Cost category"),
    ("description", "Opis troška", "Budget description"),
    ("currency", "Valuta", "Currency"),
    ("rate", "Kurs", "Rate"),
    ("unit_cost", "Jedinična cena", "Unit cost"),
    ("quantity", "Količina", "Quantity"),
    ("periods", "Meseci", "Months"),
    ("amount_in_currency", "Iznos u valuti", "Amount in currency"),
    ("envelope", "Budžetski okvir", "Envelope"),
]
KEYS = [key for key, _sr, _en in FIELDS]
COLUMNS = [sr for _key, sr, _en in FIELDS]
ENGLISH_COLUMNS = [en for _key, _sr, en in FIELDS]


def _key(value: str) -> str:
    """How a word of the sheet is looked up: Cyrillic as its Latin spelling, any case, outer spaces
    dropped. Only lookups use it: the plan's own text is kept as written."""
    return to_latin(value).strip().lower()


HEADER_ALIASES = {
    **{_key(sr): key for key, sr, _en in FIELDS},
    **{_key(en): key for key, _sr, en in FIELDS},
    "other partners": "partners",
    "partneri": "partners",
    # Headers of matrices written before the glossary (docs/glossary.md) named the indicator so.
    "indikator": "ind_name",
    "tip indikatora": "ind_type",
    "koverta": "envelope",
}
REQUIRED_HEADERS = {"area", "no", "title"}
MONEY_KEYS = ("amount", "unit_cost", "amount_in_currency")
ENVELOPE_SHEET = ("Budžetski okviri", "Envelopes", "Koverte")  # the last: workbooks written before
ENVELOPE_COLUMNS = ["Budžetski okvir", "Godina", "Izvor finansiranja", "Iznos (RSD)"]
ENVELOPE_BEFORE = ["Koverta", "Godina", "Izvor finansiranja", "Iznos (RSD)"]
ENVELOPE_ENGLISH = ["Envelope", "Year", "Funding source", "Amount (RSD)"]

YES = {"yes", "da", "true", "1", "y"}
NO = {"no", "ne", "false", "0", "n"}
# Choice values as the sheet writes them (Serbian) and reads them (Serbian, English or the code).
FINANCING_LABELS = {
    Measure.Financing.NEW: ("nova", "new"),
    Measure.Financing.LOCAL: ("već finansirana (lokalni budžet)", "already financed (local)"),
    Measure.Financing.NATIONAL: ("već finansirana (republički budžet)", "already financed (national)"),
}
TYPE_LABELS = {
    Indicator.Type.NUMBER: ("broj", "number"),
    Indicator.Type.PERCENTAGE: ("procenat", "percentage"),
    Indicator.Type.YES_NO: ("da/ne", "yes/no"),
}
BREAKDOWN_LABELS = {
    Indicator.Breakdown.NONE: ("bez", "none"),
    Indicator.Breakdown.SEX: ("po polu", "by sex"),
    Indicator.Breakdown.SEX_AGE: ("po polu i uzrastu", "by sex and age group"),
}
AGGREGATION_LABELS = {
    Indicator.Aggregation.SUM: ("zbir", "sum"),
    Indicator.Aggregation.LATEST: ("poslednja vrednost", "latest value"),
    Indicator.Aggregation.MAX: ("najveća vrednost", "maximum"),
    Indicator.Aggregation.AVERAGE: ("prosek", "average"),
}
QUALIFIER_LABELS = {
    Indicator.Qualifier.AT_LEAST: ("najmanje", "at least"),
    Indicator.Qualifier.AT_MOST: ("najviše", "at most"),
    Indicator.Qualifier.EXACTLY: ("tačno", "exactly"),
}
CATEGORY_LABELS = {
    CostCategory.PERSONNEL: ("zarade i honorari", "personnel and fees"),
    CostCategory.SERVICES: ("usluge", "services"),
    CostCategory.MATERIALS: ("materijal i potrošna sredstva", "materials and supplies"),
    CostCategory.EQUIPMENT: ("oprema", "equipment"),
    CostCategory.TRAVEL: ("putni troškovi i prevoz", "travel and transport"),
    CostCategory.SUPPORT: ("direktna podrška korisnicima", "direct support to beneficiaries"),
    CostCategory.OTHER: ("ostalo", "other"),
}
LIST_SEPARATOR = "; "


def _reader(labels: dict[str, tuple[str, str]]) -> dict[str, str]:
    found = {}
    for code, (sr, en) in labels.items():
        for key in (code, sr, en):
            if key:
                found[_key(key)] = code
    return found


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


def _target(indicator: Indicator) -> Any:
    """The target as written: `najmanje 30` for a qualified one, else the number."""
    if indicator.target is None or not indicator.target_qualifier:
        return _value(indicator, indicator.target)
    shown = _value(indicator, indicator.target)
    shown = _plain_number(indicator.target) if isinstance(shown, int | Decimal) else shown
    return f"{QUALIFIER_LABELS[indicator.target_qualifier][0]} {shown}"


def _names(objects) -> str | None:
    return LIST_SEPARATOR.join(o.name for o in objects) or None


def _measure_cells(measure: Measure) -> dict[str, Any]:
    return {
        "title": measure.title,
        "responsible": measure.responsible.name if measure.responsible else None,
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
        "baseline": _value(ind, ind.baseline),
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
                [envelope.name, envelope.year, envelope.source.name_sr, envelope.amount],
                money_columns=[3],
                as_typed=True,
            )
    return workbook_bytes(book)


# --- Import ------------------------------------------------------------------------------------

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


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


class _Lookups:
    def __init__(self, plan: OperationalPlan):
        self.areas: dict[str, ThematicArea] = {}
        for area in ThematicArea.objects.all():
            names = (area.name_en, area.name_sr, f"{area.number}. {area.name_en}",
                     f"{area.number}. {area.name_sr}")  # fmt: skip
            for key in (str(area.number), area.code, *names):
                self.areas[_key(key)] = area
        self.sources: dict[str, FundingSource] = {}
        for source in FundingSource.objects.all():
            for key in (source.name_en, source.name_sr, source.code):
                self.sources[_key(key)] = source
        # The LSG's institutions and the national bodies; a local name wins over a national one.
        self.institutions: dict[str, Institution] = {}
        for institution in Institution.objects.filter(Q(lsg=plan.jmu.lsg_id) | Q(lsg__isnull=True)):
            key = _key(institution.name)
            if institution.lsg_id is not None or key not in self.institutions:
                self.institutions[key] = institution
        self.financing = _reader(FINANCING_LABELS)
        self.types = _reader(TYPE_LABELS)
        self.breakdowns = _reader(BREAKDOWN_LABELS)
        self.aggregations = _reader(AGGREGATION_LABELS)
        self.categories = _reader(CATEGORY_LABELS)
        self.currencies = {_key(c): c for c in Currency.values}


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


def _split_qualifier(value: Any) -> tuple[str, Any]:
    """`najmanje 30` → (at_least, "30"); a plain value → ("", value)."""
    if not isinstance(value, str):
        return Indicator.Qualifier.EXACTLY, value
    text = value.strip()
    tokens = text.split()
    for code, words in QUALIFIER_LABELS.items():
        sign = {"at_least": "≥", "at_most": "≤"}.get(code, "=")
        if text.startswith(sign):
            return code, text[1:].strip()
        for word in words:  # `najmanje 30`, `најмање 30`, `at least 30`: the words before the value
            length = len(word.split())
            if len(tokens) > length and _key(" ".join(tokens[:length])) == word:
                return code, " ".join(tokens[length:])
    return Indicator.Qualifier.EXACTLY, value


def _indicator_type(unit: str, baseline: Any, target: Any) -> str:
    if unit.strip() == "%":
        return Indicator.Type.PERCENTAGE
    if any(isinstance(v, str) and _key(v) in YES | NO - {"0", "1"} for v in (baseline, target)):
        return Indicator.Type.YES_NO
    return Indicator.Type.NUMBER


def _indicator_value(kind: str, value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == Indicator.Type.YES_NO:
        text = _key(str(value))
        if text in YES:
            return Decimal(1)
        if text in NO:
            return Decimal(0)
        raise ValueError(value)
    return _parse_number(value)


def _labels() -> dict[str, str]:
    """Model field names → the words an error message names them by (the reader's language)."""
    labels = {}
    for model in (Measure, Indicator, BudgetLine):
        for model_field in model._meta.get_fields():
            if hasattr(model_field, "verbose_name"):
                labels[model_field.name] = capfirst(str(model_field.verbose_name))
    labels["start_month"] = labels["end_month"] = capfirst(_("deadline"))
    return labels


def _messages(error: ValidationError, labels: dict[str, str]) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{labels.get(name, name)}: {m}" for name, errs in error.message_dict.items() for m in errs]
    return list(error.messages)


def _header_map(row: tuple) -> dict[str, int] | None:
    """Which column holds which field, if `row` is the matrix's header (Serbian, in either script,
    or English)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        key = HEADER_ALIASES.get(_key(_text(cell)))
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
        extra = next((s for s in book.worksheets[1:] if _key(s.title) in map(_key, ENVELOPE_SHEET)), None)
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
        institution = lookups.institutions.get(_key(name))
        (found.append(institution) if institution else unknown.append(name))
    return found, unknown


def _parse_envelopes(
    rows: list[tuple], plan: OperationalPlan, lookups: _Lookups, preview: ImportPreview
) -> None:
    existing = {e.name: e for e in BudgetEnvelope.objects.filter(plan=plan).select_related("source")}
    header = [_key(_text(c)) for c in rows[0]] if rows else []
    known = (ENVELOPE_COLUMNS, ENVELOPE_ENGLISH, ENVELOPE_BEFORE)
    if rows and header not in [[_key(c) for c in columns] for columns in known]:
        preview.add(
            1, _("Envelopes: the header row must be: %(columns)s.") % {"columns": ", ".join(ENVELOPE_COLUMNS)}
        )
        return
    for offset, raw in enumerate(rows[1:], start=2):
        cells = (list(raw) + [None] * 4)[:4]
        if all(_text(c) == "" for c in cells):
            continue
        name, year_v, source_t, amount_v = _text(cells[0]), cells[1], _text(cells[2]), cells[3]
        source = lookups.sources.get(_key(source_t))
        try:
            data = {"name": name, "year": int(_parse_number(year_v)) if _text(year_v) else None,
                    "source": source, "amount": _parse_number(amount_v)}  # fmt: skip
        except (ValueError, ArithmeticError):
            preview.add(offset, _("Envelopes: the year and the amount are numbers."))
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
            same = (found.year, found.source_id, found.amount) == (data["year"], source.pk, data["amount"])
            status = UNCHANGED if same else CHANGED
        preview.envelopes.append(ImportedEnvelope(row=offset, data=data, status=status, existing=found))


def parse_plan_xlsx(upload, plan: OperationalPlan) -> ImportPreview:
    """Read the matrix, check every row against the same rules as the forms, and compare each
    measure with the plan's measure of the same number."""
    from plans.selectors import measures_with_details

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

    lookups = _Lookups(plan)
    labels = _labels()
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

        area = lookups.areas.get(_key(text("area")))
        if area is None:
            preview.add(offset, _("Area: unknown thematic area “%(value)s”.") % {"value": text("area")})
            continue
        key = (area.pk, text("no"))
        title = text("title")
        if current is None or key != current_key or (title and current.values.data["title"] != title):
            if not title:
                preview.add(offset, _("Measure: the first row of a measure needs its text."))
                current = None
                current_key = None
                continue
            current = _parse_measure(offset, area, t, plan, lookups, labels, preview)
            current.number = text("no").rsplit(".", 1)[-1].strip()
            current_key = key
            preview.measures.append(current)
        _parse_indicator(offset, cells, t, current, labels, lookups, preview)
        _parse_line(offset, cells, t, current, labels, lookups, envelope_names, preview)
    if not preview.measures and not preview.errors:
        preview.file_error = _("The file has the right columns but no measures.")
        return preview
    _compare(preview, measures_with_details(plan))
    return preview


def _parse_measure(
    offset: int, area: ThematicArea, t: dict[str, str], plan: OperationalPlan, lookups: _Lookups,
    labels: dict[str, str], preview: ImportPreview,
) -> ImportedMeasure:  # fmt: skip
    def text(key: str) -> str:
        return t.get(key, "")

    data: dict[str, Any] = {"area": area, "title": text("title"), "partners": text("partners")}
    for name in ("objective", "objective_reference", "lap_measure_number", "activities", "target_group",
                 "period_text", "notes"):  # fmt: skip
        data[name] = text(name)
    data["responsible"] = None
    if text("responsible"):
        institution = lookups.institutions.get(_key(text("responsible")))
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
                offset, _("%(column)s: “%(value)s” is not an institution of this LSG nor a national body.")
                % {"column": labels.get(name, name), "value": value},
            )  # fmt: skip
        data[name] = found
    secondary = []
    for number in (n.strip() for n in re.split(r"[,;]", text("secondary_areas"))):
        if number:
            other = lookups.areas.get(_key(number))
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
        financing = lookups.financing.get(_key(text("financing")))
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
    offset: int, cells: dict[str, Any], t: dict[str, str], current: ImportedMeasure, labels: dict[str, str],
    lookups: _Lookups, preview: ImportPreview,
) -> None:  # fmt: skip
    keys = ("ind_name", "unit", "baseline", "target", "target_text")
    if not any(t.get(k) for k in keys):
        return
    qualifier, target_v = _split_qualifier(cells.get("target"))
    baseline_v, unit = cells.get("baseline"), t.get("unit", "")
    kind = lookups.types.get(_key(t.get("ind_type", ""))) if t.get("ind_type") else None
    if t.get("ind_type") and kind is None:
        preview.add(offset, _("Indicator type: write number, percentage or yes/no."))
    kind = kind or _indicator_type(unit, baseline_v, target_v)
    values: dict[str, Any] = {
        "name": t.get("ind_name", ""), "unit": unit, "type": kind, "target_qualifier": qualifier,
        "baseline_source": t.get("baseline_source", ""), "target_milestone": t.get("target_text", ""),
        "means_of_verification": t.get("verification", ""),
    }  # fmt: skip
    for name, table, column in (("breakdown", lookups.breakdowns, "breakdown"),
                                ("aggregation", lookups.aggregations, "aggregation")):  # fmt: skip
        written = t.get(column, "")
        found = table.get(_key(written)) if written else None
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
        preview.add(offset, _("Baseline/Target: not a number (or yes/no)."))
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
    offset: int, cells: dict[str, Any], t: dict[str, str], current: ImportedMeasure, labels: dict[str, str],
    lookups: _Lookups, envelopes: dict[str, dict], preview: ImportPreview,
) -> None:  # fmt: skip
    keys = ("source", "amount", "amount_in_currency", "unit_cost", "quantity")
    if not any(t.get(k) for k in keys):
        return
    source_t = t.get("source", "")
    source = lookups.sources.get(_key(source_t))
    if source is None:
        preview.add(offset, _("Funding source: unknown source “%(value)s”.") % {"value": source_t})
        return
    currency = lookups.currencies.get(_key(t.get("currency", "")) or "rsd")
    written = t.get("category", "")
    category = lookups.categories.get(_key(written)) if written else CostCategory.OTHER
    if currency is None or category is None:
        preview.add(offset, _("Currency or cost category: unknown value."))
        return
    try:
        line: dict[str, Any] = {
            "source": source, "category": category, "description": t.get("description", ""),
            "currency": currency,
            "exchange_rate": _optional_number(cells.get("rate"), dot_groups=False),
            "unit_cost": _optional_number(cells.get("unit_cost")),
            "quantity": _optional_number(cells.get("quantity")),
            "amount_in_currency": _optional_number(cells.get("amount_in_currency")),
            "amount": _optional_number(cells.get("amount")),
        }  # fmt: skip
        periods = _optional_number(cells.get("periods"))
        line["periods"] = int(periods) if periods is not None else None
    except (ValueError, ArithmeticError):
        preview.add(offset, _("Amount: not a number."))
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


# --- Comparison with the plan ------------------------------------------------------------------

MEASURE_FIELDS = [
    "title", "objective", "objective_reference", "lap_measure_number", "activities", "target_group",
    "responsible", "partners", "start_month", "end_month", "period_text", "financing", "notes",
]  # fmt: skip
LINK_FIELDS = {"co_responsible": "co_responsible_list", "partner_institutions": "partner_list",
               "secondary_areas": "secondary_area_list"}  # fmt: skip
INDICATOR_FIELDS = [
    "name", "unit", "type", "baseline", "baseline_year", "baseline_source", "target_qualifier", "target",
    "target_milestone", "target_date", "means_of_verification", "breakdown", "aggregation",
]  # fmt: skip
LINE_FIELDS = [
    "source", "category", "description", "currency", "exchange_rate", "unit_cost", "quantity", "periods",
    "amount_in_currency", "amount", "envelope",
]  # fmt: skip


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


def _compare(preview: ImportPreview, measures: list[Measure]) -> None:
    """new / changed (what) / unchanged per measure, and the plan's measures the file lacks."""
    labels = _labels()
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
            str(_("indicator")), imported.values.indicators, existing.indicator_list, INDICATOR_FIELDS, labels
        )
        changes += _child_changes(
            str(_("budget line")), imported.values.budget_lines, existing.line_list, LINE_FIELDS, labels
        )
        imported.existing = existing
        imported.changes = changes
        imported.status = CHANGED if changes else UNCHANGED
        # The children update the existing rows in order; rows beyond the file's are removed.
        for rows, old in ((imported.values.indicators, existing.indicator_list),
                          (imported.values.budget_lines, existing.line_list)):  # fmt: skip
            for index, row in enumerate(rows):
                if index < len(old):
                    row.instance = old[index]
            rows += [ChildRow(instance=o, data={}, delete=True) for o in old[len(rows) :]]
    preview.missing = [m for m in measures if m.pk not in matched]
