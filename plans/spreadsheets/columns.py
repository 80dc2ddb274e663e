"""The plan matrix's columns and the words of its cells, shared by the export and the import."""

from __future__ import annotations

from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from jmu_planner.text import to_latin
from plans.models import (
    Bound,
    BudgetLine,
    CostCategory,
    Indicator,
    Measure,
)

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# A plan has at most a few hundred rows; the caps keep a hostile file from holding a web worker.
MAX_IMPORT_ROWS = 2000
MAX_IMPORT_COLUMNS = 41
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
    ("bound", "Vrsta iznosa", "Amount is"),
]
KEYS = [key for key, _sr, _en in FIELDS]
COLUMNS = [sr for _key, sr, _en in FIELDS]
ENGLISH_COLUMNS = [en for _key, _sr, en in FIELDS]


def lookup_key(value: str) -> str:
    """How a word of the sheet is looked up: Cyrillic as its Latin spelling, any case, outer spaces
    dropped. Only lookups use it: the plan's own text is kept as written."""
    return to_latin(value).strip().lower()


HEADER_ALIASES = {
    **{lookup_key(sr): key for key, sr, _en in FIELDS},
    **{lookup_key(en): key for key, _sr, en in FIELDS},
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
# The first four are the older layout's; the amount's kind, responsible body and period follow.
ENVELOPE_COLUMNS = [
    "Budžetski okvir",
    "Godina",
    "Izvor finansiranja",
    "Iznos (RSD)",
    "Vrsta iznosa",
    "Nosilac",
    "Period kako je napisan",
]
ENVELOPE_BEFORE = ["Koverta", *ENVELOPE_COLUMNS[1:]]  # the envelope's name before the glossary
ENVELOPE_ENGLISH = [
    "Envelope",
    "Year",
    "Funding source",
    "Amount (RSD)",
    "Amount is",
    "Responsible",
    "Period as written",
]

# The lead as the sheet writes the plan's own LSG or JMU (either script; "Opština", "Grad" too).
PARTY_LABELS = {
    Measure.Party.LSG: ("JLS", "LSG"),
    Measure.Party.JMU: ("IMT", "JMU"),
}
PARTY_ALIASES = {
    "opština": Measure.Party.LSG,
    "opstina": Measure.Party.LSG,
    "grad": Measure.Party.LSG,
    "lokalna samouprava": Measure.Party.LSG,
    "jedinica lokalne samouprave": Measure.Party.LSG,
    "interresorni mobilni tim": Measure.Party.JMU,
    "joint mobile unit": Measure.Party.JMU,
}
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
    Indicator.Qualifier.MORE_THAN: ("više od", "more than"),
    Indicator.Qualifier.LESS_THAN: ("manje od", "less than"),
    Indicator.Qualifier.EXACTLY: ("tačno", "exactly"),
}
# The signs a sheet writes before a value, longest first (`>=` before `>`).
QUALIFIER_SIGNS = [
    (">=", Indicator.Qualifier.AT_LEAST),
    ("≥", Indicator.Qualifier.AT_LEAST),
    ("<=", Indicator.Qualifier.AT_MOST),
    ("≤", Indicator.Qualifier.AT_MOST),
    (">", Indicator.Qualifier.MORE_THAN),
    ("<", Indicator.Qualifier.LESS_THAN),
    ("=", Indicator.Qualifier.EXACTLY),
]
# A ceiling or a floor, as the sheet writes it: `najviše`, `до`, `up to`, ...
BOUND_LABELS = {
    Bound.PLANNED: ("planirano", "planned"),
    Bound.AT_MOST: ("najviše", "at most"),
    Bound.AT_LEAST: ("najmanje", "at least"),
}
BOUND_ALIASES = {
    "do": Bound.AT_MOST,
    "up to": Bound.AT_MOST,
    "maksimalno": Bound.AT_MOST,
    "minimalno": Bound.AT_LEAST,
    "ceiling": Bound.AT_MOST,
    "floor": Bound.AT_LEAST,
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


def split_qualifier(value: Any) -> tuple[str, Any]:
    """`najmanje 30`, `≥ 30`, `>749`, `više od 749` → (qualifier, "30"); a plain value → ("", value)."""
    if not isinstance(value, str):
        return Indicator.Qualifier.EXACTLY, value
    text = value.strip()
    for sign, code in QUALIFIER_SIGNS:
        if text.startswith(sign):
            return code, text[len(sign) :].strip()
    tokens = text.split()
    for code, words in QUALIFIER_LABELS.items():
        for word in words:  # `najmanje 30`, `најмање 30`, `at least 30`: the words before the value
            length = len(word.split())
            if len(tokens) > length and lookup_key(" ".join(tokens[:length])) == word:
                return code, " ".join(tokens[length:])
    return Indicator.Qualifier.EXACTLY, value


def label_reader(labels: dict[str, tuple[str, str]]) -> dict[str, str]:
    found = {}
    for code, (sr, en) in labels.items():
        for key in (code, sr, en):
            if key:
                found[lookup_key(key)] = code
    return found


NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


def field_labels() -> dict[str, str]:
    """Model field names → the words an error message names them by (the reader's language)."""
    labels = {}
    for model in (Measure, Indicator, BudgetLine):
        for model_field in model._meta.get_fields():
            if hasattr(model_field, "verbose_name"):
                labels[model_field.name] = capfirst(str(model_field.verbose_name))
    labels["start_month"] = labels["end_month"] = capfirst(_("deadline"))
    return labels
