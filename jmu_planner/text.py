"""Serbian text: transliteration between the two scripts and an alphabetical sort key."""

from __future__ import annotations

import re

_CYR_TO_LAT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "ђ": "đ",
    "е": "e",
    "ж": "ž",
    "з": "z",
    "и": "i",
    "ј": "j",
    "к": "k",
    "л": "l",
    "љ": "lj",
    "м": "m",
    "н": "n",
    "њ": "nj",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "ћ": "ć",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "c",
    "ч": "č",
    "џ": "dž",
    "ш": "š",
}
_LAT_DIGRAPHS = {"lj": "љ", "nj": "њ", "dž": "џ"}
_LAT_TO_CYR = {lat: cyr for cyr, lat in _CYR_TO_LAT.items() if len(lat) == 1}

# Serbian Latin alphabetical order: C < Č < Ć < D < Đ, S < Š, Z < Ž.
_SORT_RANK = {"č": ("c", 1), "ć": ("c", 2), "đ": ("d", 2), "š": ("s", 1), "ž": ("z", 1)}


def _match_case(source: str, target: str) -> str:
    if source.isupper():
        return target[:1].upper() + target[1:]
    return target


def to_latin(text: str) -> str:
    """Cyrillic to Latin; Latin characters pass through. Љ becomes LJ inside a capitalised word."""
    out = []
    for i, char in enumerate(text):
        lat = _CYR_TO_LAT.get(char.lower())
        if lat is None:
            out.append(char)
        elif len(lat) > 1 and char.isupper() and _in_capitals(text, i):
            out.append(lat.upper())
        else:
            out.append(_match_case(char, lat))
    return "".join(out)


def _in_capitals(text: str, i: int) -> bool:
    neighbours = text[i + 1 : i + 2] or text[i - 1 : i]
    return neighbours.isalpha() and neighbours.isupper()


# One table for the single letters, both cases; the digraphs first, by one regular expression:
# the page of a Cyrillic reader converts every Latin text it shows (jmu_planner.script).
_TO_CYR_TABLE = str.maketrans(
    {
        **dict(_LAT_TO_CYR.items()),
        **{lat.upper(): cyr.upper() for lat, cyr in _LAT_TO_CYR.items()},
    }
)
_DIGRAPH = re.compile("|".join(_LAT_DIGRAPHS), re.I)


def _digraph(match: re.Match) -> str:
    return _match_case(match[0][0], _LAT_DIGRAPHS[match[0].lower()])


def to_cyrillic(text: str) -> str:
    """Latin to Cyrillic, honouring the digraphs lj, nj and dž; Cyrillic passes through."""
    return _DIGRAPH.sub(_digraph, text).translate(_TO_CYR_TABLE)


def serbian_sort_key(text: str) -> tuple:
    """A key that sorts Serbian Latin (or Cyrillic, transliterated) names alphabetically."""
    key = []
    for char in to_latin(text).lower():
        base, rank = _SORT_RANK.get(char, (char, 0))
        key.append((base, rank))
    return tuple(key)


# Search ignores script, case and diacritics: Čačak, Чачак, cacak and CACAK meet at "cacak".
# Đ is written "dj" or "d" without diacritics, so a key exists for each (see db.search_keys).
_PLAIN = {"č": "c", "ć": "c", "š": "s", "ž": "z"}


def search_key(text: str, *, dj: str = "dj") -> str:
    """The form names are compared in when searching: Latin, lower case, without diacritics."""
    out = to_latin(text).lower()
    for char, plain in {**_PLAIN, "đ": dj}.items():
        out = out.replace(char, plain)
    return out
