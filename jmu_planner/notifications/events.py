"""The events people are told about, and their sentences in every language.

Parameters are stored as given; a parameter that has a Serbian name in both scripts is stored as
{"lat": ..., "cyr": ...} (`bilingual`) and shown in the reader's script.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jmu_planner.script import for_reader

EVENTS: dict[str, Any] = {
    "plan.submitted": _("%(lsg)s submitted “%(plan)s” for review."),
    "plan.changes_requested": _("%(who)s requested changes to “%(plan)s”: %(note)s"),
    "plan.approved": _("%(who)s approved “%(plan)s”."),
    "plan.adopted": _("%(lsg)s adopted “%(plan)s”."),
    "plan.comment": _("%(who)s commented on “%(plan)s” (%(subject)s)."),
    "report.submitted": _("%(report)s was submitted."),
    "report.returned": _("%(who)s returned %(report)s: %(note)s"),
    "report.accepted": _("%(who)s accepted %(report)s."),
    "report.due": _("The %(kind)s report %(period)s of %(lsg)s is due on %(due)s."),
    "report.overdue": _("The %(kind)s report %(period)s of %(lsg)s is overdue since %(due)s."),
    "timesheet.submitted": _("%(expert)s submitted the time sheet for %(month)s (%(contract)s)."),
    "timesheet.returned": _("%(who)s returned your time sheet for %(month)s: %(note)s"),
    "timesheet.accepted": _("%(who)s accepted your time sheet for %(month)s."),
    "finalreport.submitted": _("%(expert)s submitted the final report of “%(contract)s”."),
    "finalreport.returned": _("%(who)s returned your final report of “%(contract)s”: %(note)s"),
    "finalreport.accepted": _("%(who)s accepted your final report of “%(contract)s”."),
    "recommendation.accepted": _("%(lsg)s accepted the recommendation “%(text)s”."),
    "recommendation.rejected": _("%(lsg)s rejected the recommendation “%(text)s”: %(note)s"),
    "recommendation.implemented": _("%(lsg)s implemented the recommendation “%(text)s”."),
}


# Parameters stored as a code that an app puts into words when shown (reporting: a report's "kind"),
# registered from the app's AppConfig.ready(): the core does not import the apps.
PARAM_WORDS: dict[str, Callable[[str], str]] = {}


def register_param_words(name: str, to_words: Callable[[str], str]) -> None:
    PARAM_WORDS[name] = to_words


def bilingual(latin: str, cyrillic: str = "") -> dict[str, str]:
    return {"lat": latin, "cyr": cyrillic or latin}


def _in_script(name: str, value: Any) -> Any:
    """A stored parameter as the reader reads it: their script, their date format, their words."""
    if isinstance(value, dict) and "lat" in value:
        return for_reader(value["cyr"] if (get_language() or "") == "sr" else value["lat"])
    if name == "due" and isinstance(value, str):
        try:
            return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if name in PARAM_WORDS and isinstance(value, str):
        return PARAM_WORDS[name](value)
    # What people typed (a plan's title, a note) in the reader's script, as stored otherwise.
    return for_reader(value) if isinstance(value, str) else value


def render(event: str, params: dict[str, Any]) -> str:
    """The sentence for `event` in the active language."""
    template = EVENTS.get(event)
    values = {name: _in_script(name, value) for name, value in params.items()}
    if template is None:  # an event this version no longer knows: show what was stored
        return str(values.get("text", event))
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(values.get("text", event))


def subject_line(text: str, limit: int = 100) -> str:
    """An e-mail subject: one line, at most `limit` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
