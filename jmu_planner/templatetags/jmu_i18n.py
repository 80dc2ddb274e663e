"""Language and format helpers for templates: {% load jmu_i18n %}."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _

from jmu_planner import i18n

register = template.Library()


@register.simple_tag
def html_lang() -> str:
    """The active language as a BCP 47 tag with its script, for <html lang>: sr-Latn, sr-Cyrl, en."""
    return i18n.html_lang()


@register.simple_tag
def native_languages() -> list[tuple[str, str, str]]:
    """(code, name, BCP 47 tag) of each language, its name in itself: Django's
    get_available_languages would translate "English" into the page's language."""
    return [(code, name, i18n.html_lang(code)) for code, name in settings.LANGUAGES]


@register.simple_tag
def script_name() -> str:
    """Which script a Serbian document is written in (the plan's cover says so)."""
    language = i18n.current_language()
    if language == i18n.SERBIAN_CYRILLIC:
        return _("Cyrillic script")
    if language == i18n.SERBIAN_LATIN:
        return _("Latin script")
    return _("English")


@register.filter
def money(value) -> str:
    """1.400.000,00 in Serbian, 1,400,000.00 in English (i18n.money)."""
    return i18n.money(value)


@register.filter
def quoted(value) -> str:
    """Quoted text in the reader's quotation marks: „…“ in Serbian, “…” in English (escaped)."""
    return format_html("„{}“" if i18n.current_language() != i18n.ENGLISH else "“{}”", value)


@register.filter
def rate(value) -> str:
    """An exchange rate: 117,35 in Serbian, 117.35 in English (i18n.rate)."""
    return i18n.rate(value)


@register.filter
def figure(value) -> str:
    """A value with the decimals it has: 85,5 / 85.5 (i18n.figure)."""
    return i18n.figure(value)


@register.filter
def number(value, decimal_pos=None) -> str:
    """A grouped count in the active language's format: 1.234 / 1,234."""
    return i18n.number(value, None if decimal_pos in (None, "") else int(decimal_pos))
