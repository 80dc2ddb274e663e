"""Text in the reader's script: what people typed and reference names, shown, never rewritten.

A Serbian reader reads one script on the whole page and in the whole document. The interface
comes from the catalogues in the reader's script; what people typed (titles, institutions, names,
notes) is stored as typed and transliterated on its way out: Latin → Cyrillic for a Cyrillic
reader (`sr`), Cyrillic → Latin for a Latin reader (`sr-latn`). English readers see it as typed.

What stays as written: URLs, e-mail addresses, HTML entities, codes and numbers (any word with a
digit: OP-2027, 1a), Roman numerals, words with q, w, x or y (not Serbian: Excel, XLSX, Wi-Fi),
and the foreign words and names of the register an administrator keeps (KeptTerm: EU, IPA,
UNICEF, OSCE, SCTM, ...).

One place applies it to everything a reader gets:
  - pages: ScriptMiddleware, on every HTML response (text, option labels, tooltips; never form
    fields' values, textareas, scripts or an element marked translate="no");
  - PDFs: reporting.documents.document_html; e-mails: the notifications' outbox;
  - spreadsheets: jmu_planner.spreadsheets (cells of text).
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.core.cache import cache
from django.db import DatabaseError

from jmu_planner import i18n
from jmu_planner.text import to_cyrillic, to_latin

CACHE_KEY = "script:kept-terms"
CACHE_SECONDS = 600

_LATIN_LETTER = re.compile(r"[A-Za-zČĆŽŠĐčćžšđ]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_ALWAYS_KEPT = [
    r"(?:https?://|www\.)[^\s<>“”„\"]+",  # URLs
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail addresses
    r"&(?:#\d+|#x[0-9A-Fa-f]+|\w+);",  # HTML entities
    r"\b[\w./-]*\d[\w./-]*\b",  # codes and numbers: any word with a digit
    r"\b(?=[IVX]+\b)[IV]*X*[IV]*\b",  # Roman numerals (development groups I-IV, quarters)
    r"\b[\w-]*[QWXYqwxy][\w-]*\b",  # a word with q, w, x or y is not Serbian
]
_WORD = re.compile(r"[^\W\d_]+")


def kept_terms() -> tuple[str, ...]:
    """The register's words and names, from the cache (one query when it is cold)."""
    terms = cache.get(CACHE_KEY)
    if terms is None:
        # A model: this module is imported while the apps load (notifications.models → events).
        from jmu_planner.models import KeptTerm

        try:
            terms = tuple(KeptTerm.objects.values_list("term", flat=True))
        except DatabaseError:  # before the register's migration has run
            terms = ()
        cache.set(CACHE_KEY, terms, CACHE_SECONDS)
    return terms


def forget_kept_terms() -> None:
    """After the register changes: the next reader reads it again."""
    cache.delete(CACHE_KEY)


@lru_cache(maxsize=8)
def _kept_pattern(terms: tuple[str, ...]) -> re.Pattern:
    named = sorted(terms, key=len, reverse=True)
    parts = [*_ALWAYS_KEPT]
    if named:
        parts.append(r"(?<!\w)(?:" + "|".join(re.escape(term) for term in named) + r")(?!\w)")
    return re.compile("(" + "|".join(parts) + ")")


# Text without any of these has nothing to keep and is converted whole (most text is so).
_MAY_KEEP = re.compile(r"[\dQWXYqwxy@&]|www\.|\b[IVX]+\b")


def _cyrillic(text: str, terms: tuple[str, ...]) -> str:
    if not _MAY_KEEP.search(text) and not any(term in text for term in terms):
        return to_cyrillic(text)
    pieces = _kept_pattern(terms).split(text)
    # split() with one group: even items are free text, odd items are what is kept.
    return "".join(piece if i % 2 else to_cyrillic(piece) for i, piece in enumerate(pieces))


def for_reader(text: str, language: str | None = None) -> str:
    """`text` (plain text: an e-mail, a cell, a title) in the script of `language`'s reader."""
    if not text:
        return text
    language = i18n.normalise(language) or i18n.current_language()
    if language == i18n.SERBIAN_CYRILLIC:
        if not _LATIN_LETTER.search(text):
            return text
        return _cyrillic(text, kept_terms())
    if language == i18n.SERBIAN_LATIN and _CYRILLIC_LETTER.search(text):
        return to_latin(text)
    return text


# --- HTML -----------------------------------------------------------------------------------------

# Left as they are: comments; scripts, styles, code and textareas (a textarea's text is a value that
# would be saved back); an element marked translate="no" (the language menu names each language in
# itself) with all it holds, up to its closing tag of the same name.
_LEFT = re.compile(
    r"<!--.*?-->"
    r"|<(script|style|textarea|pre|code)\b[^>]*>.*?</\1\s*>"
    r"""|<([A-Za-z][\w-]*)\b[^>]*\stranslate\s*=\s*["']?no\b[^>]*>.*?</\2\s*>""",
    re.S | re.I,
)
_OTHER_SCRIPT = {
    i18n.SERBIAN_CYRILLIC: "A-Za-zČĆŽŠĐčćžšđ",  # a Cyrillic reader: Latin letters are converted
    i18n.SERBIAN_LATIN: "\u0400-\u04ff",  # a Latin reader: Cyrillic letters are
}


@lru_cache(maxsize=2)
def _shown(letters: str) -> tuple[re.Pattern, re.Pattern]:
    """Text between tags, and values of the attributes a reader sees, holding a letter of
    `letters`. Form fields' values (value="...") are not among them: they are saved back."""
    text = re.compile(rf">([^<>]*[{letters}][^<>]*)<")
    attribute = re.compile(
        rf"""(\s(?:title|placeholder|aria-label|alt|data-bs-title)=")([^"]*[{letters}][^"]*)(")"""
    )
    return text, attribute


def html_for_reader(html: str, language: str | None = None) -> str:
    """An HTML page or document with its text in the reader's script.

    Text between tags and the attributes a reader sees (title, placeholder, aria-label, alt) are
    transliterated; form fields' values, textareas, scripts, styles, code, comments and any element
    marked translate="no" are left as they are. Only text holding a letter of the other script is
    touched, found by regular expressions.
    """
    language = i18n.normalise(language) or i18n.current_language()
    letters = _OTHER_SCRIPT.get(language)
    if letters is None:
        return html
    text_pattern, attribute_pattern = _shown(letters)
    if language == i18n.SERBIAN_LATIN:
        convert = to_latin
    else:
        terms = kept_terms()

        def convert(text: str) -> str:
            return _cyrillic(text, terms)

    def in_script(part: str) -> str:
        part = text_pattern.sub(lambda m: ">" + convert(m[1]) + "<", part)
        return attribute_pattern.sub(lambda m: m[1] + convert(m[2]) + m[3], part)

    out, position = [], 0
    for left in _LEFT.finditer(html):
        # The text just before a left element ends at its "<": it is converted with what precedes.
        out.append(in_script(html[position : left.start()] + "<")[:-1])
        out.append(left[0])
        position = left.end()
    out.append(in_script(html[position:]))
    return "".join(out)


class ScriptMiddleware:
    """Every HTML page in its reader's script (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = i18n.normalise(getattr(request, "LANGUAGE_CODE", None))
        if (
            language in (i18n.SERBIAN_CYRILLIC, i18n.SERBIAN_LATIN)
            and not response.streaming
            and "text/html" in response.get("Content-Type", "")
            and not response.get("Content-Encoding")
        ):
            charset = response.charset or "utf-8"
            html = response.content.decode(charset)
            converted = html_for_reader(html, language)
            if converted != html:
                response.content = converted.encode(charset)
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
        return response
