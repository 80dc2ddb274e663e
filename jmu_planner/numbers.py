"""One way to read a number a person typed (a form field, a spreadsheet cell): Serbian or plain."""

from __future__ import annotations

import re
from decimal import Decimal

# Longer input is no number anyone means; refusing it early keeps parsing cheap.
MAX_INPUT_LENGTH = 64

# Spaces a person or a spreadsheet puts between thousands: space, no-break space, thin spaces.
_SPACES = "[ \u00a0\u2009\u202f]"
_SPACE_GROUP = re.compile(rf"(?<=\d){_SPACES}(?=\d{{3}}(?:\D|$))")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})

_SIGN = r"(?P<sign>[+-]?)"
# re.ASCII: \d is 0-9 only (Decimal would also read Arabic-Indic and other digits).
_PLAIN = re.compile(rf"{_SIGN}(?P<int>\d*)(?:[.,](?P<frac>\d+))?", re.ASCII)
_DOT_GROUPS = re.compile(rf"{_SIGN}(?P<int>[1-9]\d{{0,2}}(?:\.\d{{3}})+)(?:,(?P<frac>\d+))?", re.ASCII)
_COMMA_GROUPS = re.compile(rf"{_SIGN}(?P<int>[1-9]\d{{0,2}}(?:,\d{{3}})+)\.(?P<frac>\d+)", re.ASCII)


def parse_decimal(text: str, *, dot_groups: bool = True) -> Decimal:
    """The number in `text`, as a person in Serbia would type it; ValueError if there is none.

    Accepted: `-3`, `12,5` and `12.5` (decimal comma or point), `5.000.000,00` and `1.200`
    (dots between thousands, Serbian), `5 000 000,00` (spaces between thousands), and
    `1,234.56` (English: when both separators appear, the last one is the decimal separator).

    The ambiguity rule: in Serbian input a single dot followed by exactly three digits, after a
    first group of one to three digits that does not start with 0, separates thousands, so
    `1.200` is 1200; `12.5`, `1234.56`, `0.125` and `1.2345` use a decimal point. Fields whose
    values have more than two decimal places (coordinates, exchange rates) pass
    `dot_groups=False`: there a dot is always the decimal point, so `117.175` is 117.175.

    Refused: NaN, Infinity, exponents (`1e999`), digits other than 0-9, several signs or
    separators, and anything longer than MAX_INPUT_LENGTH characters.
    """
    if not isinstance(text, str):
        raise ValueError("not text")
    text = text.strip()
    if not text or len(text) > MAX_INPUT_LENGTH:
        raise ValueError("empty or too long")
    text = _SPACE_GROUP.sub("", text.translate(_MINUS))
    if dot_groups and (match := _DOT_GROUPS.fullmatch(text)):
        whole = match["int"].replace(".", "")
    elif match := _COMMA_GROUPS.fullmatch(text):
        whole = match["int"].replace(",", "")
    elif (match := _PLAIN.fullmatch(text)) and (match["int"] or match["frac"]):
        whole = match["int"] or "0"
    else:
        raise ValueError("not a number")
    # Built from ASCII digits only, so Decimal reads it exactly: no NaN, no exponent, no rounding.
    return Decimal(f"{match['sign']}{whole}" + (f".{match['frac']}" if match["frac"] else ""))


def parse_id(text: str | None) -> int | None:
    """A row id or index from a query parameter: one to 18 ASCII digits (a bigint), else None.

    `str.isdigit()` alone lets through "²" and other digits that int() refuses, and int()
    refuses more than 4,300 digits: both were server errors.
    """
    if text and len(text) <= 18 and text.isascii() and text.isdigit():
        return int(text)
    return None
