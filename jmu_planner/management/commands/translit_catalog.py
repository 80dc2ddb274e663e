"""Make the Serbian Cyrillic catalogue (locale/sr) from the Serbian Latin one (locale/sr_Latn).

Only the translations are transliterated, with jmu_planner.text.to_cyrillic. What must stay as it
is stays: placeholders, HTML tags and entities, URLs and e-mail addresses, file extensions, Roman
numerals, the product's name, the abbreviations that Serbian Cyrillic text writes in Latin (EU,
IPA, PDF, XLSX, RSD, EUR...), and the English keywords that the XLSX import reads.
"""

from __future__ import annotations

import copy
import re

from django.core.management.base import BaseCommand

from jmu_planner.text import to_cyrillic

from ._po import PLACEHOLDER, Entry, read, set_header, write
from .catalog_todo import catalogue_path

SOURCE_LOCALE = "sr_Latn"
TARGET_LOCALE = "sr"

KEEP_LATIN = [
    "JMU Planner",
    "EU",
    "IPA",
    "RSD",
    "EUR",
    "USD",
    "IBAN",
    "ID",
    "Excel",
    "Word",
    "PDF",
    "XLSX",
    "XLS",
    "CSV",
    "DOCX",
    "DOC",
    "ODT",
    "PNG",
    "JPEG",
    "JPG",
    "GIF",
    "SVG",
    "ZIP",
    "HTML",
    "JSON",
    "TXT",
]
# Keywords of the plan matrix that the XLSX import reads in Latin script only (quoted „…“ in the
# messages that ask for them): plans/spreadsheets.py FINANCING_LABELS and TYPE_LABELS.
IMPORT_KEYWORDS = [
    "nova",
    "već finansirana (lokalni budžet)",
    "već finansirana (republički budžet)",
    "new",
    "already financed (local)",
    "already financed (national)",
    "broj",
    "procenat",
    "da/ne",
]

PROTECTED = re.compile(
    "|".join(
        [
            PLACEHOLDER.pattern,
            r"</?[A-Za-z][^<>]*>",  # HTML tags with their attributes
            r"&(?:#\d+|#x[0-9A-Fa-f]+|\w+);",  # HTML entities
            r"(?:https?://|www\.)[^\s<>“”„\"]+",  # URLs
            r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail addresses
            r"\.(?:xlsx|xls|pdf|csv|html)\b",  # file extensions
            r"\b[IVX]+\b",  # Roman numerals (development groups I-IV), Latin in both scripts
            r"\b[\w-]*[QWXYqwxy][\w-]*\b",  # a word with q, w, x or y is not Serbian: a foreign name
            r"\b(?:" + "|".join(re.escape(word) for word in KEEP_LATIN) + r")\b",
            "„(?:" + "|".join(re.escape(word) for word in IMPORT_KEYWORDS) + ")“",
        ]
    )
)

# Words where Latin nj, lj or dž are two letters, not one (н+ј, not њ). Few occur in this
# field; the stem is matched case-insensitively at the start of a word.
DIGRAPH_EXCEPTIONS = {
    "nadživ": "наджив",
    "odživ": "оджив",
    "podžanr": "поджанр",
    "podžup": "поджуп",
    "injekc": "инјекц",
    "konjunkt": "конјункт",
    "vanjezi": "ванјези",
    "tanjug": "танјуг",
}
_EXCEPTION = re.compile(r"\b(" + "|".join(DIGRAPH_EXCEPTIONS) + ")", re.IGNORECASE)


def _exception(match: re.Match) -> str:
    latin = match.group(1)
    cyrillic = DIGRAPH_EXCEPTIONS[latin.lower()]
    if latin.isupper():
        return cyrillic.upper()
    return cyrillic[0].upper() + cyrillic[1:] if latin[0].isupper() else cyrillic


def _plain(text: str) -> str:
    # Exceptions become Cyrillic first: to_cyrillic passes Cyrillic through.
    return to_cyrillic(_EXCEPTION.sub(_exception, text))


def transliterate(text: str) -> str:
    """A Serbian Latin translation in Cyrillic, protected segments left as they are."""
    out, position = [], 0
    for match in PROTECTED.finditer(text):
        out.append(_plain(text[position : match.start()]))
        out.append(match.group())
        position = match.end()
    out.append(_plain(text[position:]))
    return "".join(out)


HEADER_COMMENT = """Serbian (Cyrillic script) catalogue of JMU Planner.
Made from locale/sr_Latn by `manage.py translit_catalog`: do not edit, edit the Latin one."""


def cyrillic_catalogue(latin: list[Entry]) -> list[Entry]:
    """The Cyrillic catalogue's entries for the Latin catalogue's entries."""
    entries = copy.deepcopy(latin)
    set_header(entries[0], language=TARGET_LOCALE, comment=HEADER_COMMENT)
    for entry in entries[1:]:
        entry.msgstr = transliterate(entry.msgstr)
        entry.msgstr_plural = {i: transliterate(text) for i, text in entry.msgstr_plural.items()}
    return entries


class Command(BaseCommand):
    help = "Write locale/sr (Cyrillic) from locale/sr_Latn (Latin) by transliteration."

    def handle(self, *args, **options):
        entries = cyrillic_catalogue(read(catalogue_path(SOURCE_LOCALE)))
        target = catalogue_path(TARGET_LOCALE)
        target.parent.mkdir(parents=True, exist_ok=True)
        write(target, entries)
        self.stdout.write(f"{len(entries) - 1} entries written to {target}.")
