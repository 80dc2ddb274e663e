"""What a reader sees of a page, for tests that read pages as a reader would."""

from __future__ import annotations

import re
from html import unescape

_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_SHOWN_ATTRIBUTE = re.compile(r'\s(?:title|placeholder|aria-label|alt|data-bs-title)="([^"]*)"')
_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_VALUE = re.compile(r'\svalue="([^"]*)"')


def visible_text(html: str) -> str:
    """What a reader sees of a page: its text, its tooltips and its form fields' values."""
    html = _HIDDEN.sub(" ", html)
    parts = [_TAG.sub(" ", html)]
    parts += _SHOWN_ATTRIBUTE.findall(html)
    for field in _INPUT.findall(html):
        if 'type="hidden"' not in field and (value := _VALUE.search(field)):
            parts.append(value[1])
    return unescape("\n".join(parts))  # "&nbsp;" is a space, not a word
