"""Languages: which one a request is served in, each user's own, and the one money format.

Serbian is written in two scripts; the product offers both and English:
  `sr-latn` Serbian in Latin script (the default), `sr` Serbian in Cyrillic script, `en` English.

Which language a request gets, first match wins:
  1. a signed-in user's saved language (User.language);
  2. the language cookie, set by the language menu (also on the log-in page);
  3. the browser's Accept-Language, read with `language_from_header`;
  4. settings.LANGUAGE_CODE (`sr-latn`).

Accept-Language, read deliberately rather than with Django's LocaleMiddleware (which maps `sr`
to Cyrillic and ignores the script subtag's order of preference): a script subtag decides
(`sr-Latn…` Latin, `sr-Cyrl…` Cyrillic); a bare `sr` or `sr-RS`/`sr-BA` asks for Cyrillic, as
BCP 47's likely script for Serbian is Cyrillic; `sr-ME` and `sh` (Serbo-Croatian) are Latin;
`en…` is English; any other language is skipped, and with none of ours the default applies.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import formats, translation
from django.utils.translation.trans_real import parse_accept_lang_header

SERBIAN_LATIN = "sr-latn"
SERBIAN_CYRILLIC = "sr"
ENGLISH = "en"
LANGUAGE_CODES = (SERBIAN_LATIN, SERBIAN_CYRILLIC, ENGLISH)

# BCP 47 tags for <html lang> and PDFs: screen readers and hyphenation need the script subtag.
HTML_LANG = {SERBIAN_LATIN: "sr-Latn", SERBIAN_CYRILLIC: "sr-Cyrl", ENGLISH: "en"}

# A session key: the language was chosen in the menu before signing in, and signing in keeps it.
CHOSEN_SESSION_KEY = "jmu_language_chosen"


def normalise(code: str | None) -> str | None:
    """One of LANGUAGE_CODES for a language code or BCP 47 tag we serve, or None."""
    if not code:
        return None
    parts = code.replace("_", "-").lower().split("-")
    if parts[0] == "en":
        return ENGLISH
    if parts[0] == "sh":
        return SERBIAN_LATIN
    if parts[0] != "sr":
        return None
    subtags = set(parts[1:])
    if "latn" in subtags:
        return SERBIAN_LATIN
    if "cyrl" in subtags:
        return SERBIAN_CYRILLIC
    return SERBIAN_LATIN if "me" in subtags else SERBIAN_CYRILLIC


def language_from_header(header: str) -> str | None:
    """The first of our languages that an Accept-Language header asks for, in its q order."""
    for tag, _quality in parse_accept_lang_header(header or ""):
        language = normalise(tag)
        if language is not None:
            return language
    return None


def default_language() -> str:
    return normalise(settings.LANGUAGE_CODE) or SERBIAN_LATIN


def current_language() -> str:
    """The active language as one of LANGUAGE_CODES (a model field's default reads it)."""
    return normalise(translation.get_language()) or default_language()


def user_language(user) -> str:
    """The language to write to `user` in when they are not the one asking (e-mails,
    notifications): their saved language, else the product's default."""
    return normalise(getattr(user, "language", "")) or default_language()


def request_language(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        saved = normalise(user.language)
        if saved:
            return saved
    cookie = normalise(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if cookie:
        return cookie
    return language_from_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")) or default_language()


class UserLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware that serves each user their own language (see the module's docstring).

    It must come after AuthenticationMiddleware, to see the user; process_response (Vary and
    Content-Language headers) is LocaleMiddleware's own.
    """

    def process_request(self, request) -> None:
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()


def html_lang(language: str | None = None) -> str:
    return HTML_LANG.get(normalise(language or translation.get_language()) or "", "sr-Latn")


def is_cyrillic(language: str | None = None) -> bool:
    return normalise(language or translation.get_language()) == SERBIAN_CYRILLIC


# --- Formats -------------------------------------------------------------------------------------


def money(value) -> str:
    """An amount with two decimals, grouped, in the active language's format:
    1.400.000,00 in Serbian, 1,400,000.00 in English; an empty value is a dash."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return formats.number_format(amount, 2, use_l10n=True, force_grouping=True)


def number(value, decimal_pos: int | None = None) -> str:
    """A count or measure, grouped, in the active language's format (1.234 / 1,234)."""
    if value is None or value == "":
        return "—"
    return formats.number_format(value, decimal_pos, use_l10n=True, force_grouping=True)


def figure(value) -> str:
    """A measured value with the decimals it has, grouped: 30, 85,5, 36.709 (85.5, 36,709 in
    English); an empty value is a dash."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value).normalize()
    places = max(-amount.as_tuple().exponent, 0)
    return formats.number_format(amount, places, use_l10n=True, force_grouping=True)


def rate(value) -> str:
    """An exchange rate with two to four decimals: 117,35, 117,20, 117,1753 (117.35 in English)."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value).normalize()
    places = min(max(-amount.as_tuple().exponent, 2), 4)
    return formats.number_format(amount, places, use_l10n=True)


def short_date(value) -> str:
    """A date as the active language writes it in a table: 22.11.2026. / 11/22/2026."""
    if not value:
        return ""
    return formats.date_format(value, "SHORT_DATE_FORMAT", use_l10n=True)
