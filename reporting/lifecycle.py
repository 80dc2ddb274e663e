"""The report's lifecycle: draft → submitted → (returned → submitted)* → accepted (frozen).

Who may make each move is the access policy's predicate named in the table; the mechanism is
`jmu_planner.lifecycle`.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jmu_planner import access
from jmu_planner.lifecycle import Effect, Lifecycle, Move, TransitionRefused
from jmu_planner.notifications.events import bilingual
from jmu_planner.notifications.services import notify
from reporting.models import Report, ReportTransition
from stakeholders.models import User

Status = Report.Status


def report_params(report: Report, actor: User | None, note: str = "") -> dict:
    """The report's name in both scripts (its LSG's name is the part that differs)."""
    lsg = report.jmu.lsg
    head = f"{report.get_kind_display()} {report.period_label}"
    return {
        "report": bilingual(f"{head} – {lsg.name_lat}", f"{head} – {lsg.name_cyr}"),
        "who": str(actor or ""),
        "note": note,
    }


def _values_complete(report: Report, **context: Any) -> dict[str, Any]:
    from reporting.services import missing_values

    missing = missing_values(report)
    if missing:
        raise TransitionRefused([_("Values are missing for these indicators:"), *missing])
    return {"submitted_at": timezone.now()}


def _tell(event: str, audience: str) -> Effect:
    def effect(report: Report, *, actor: User, note: str = "", **context: Any) -> None:
        if audience == "officers":
            users = access.programme_officers()
        else:
            users = access.lsg_authors(report.jmu.lsg_id, exclude=actor)
        notify(users=users, event=event, params=report_params(report, actor, note),
               url=reverse("reporting:report-detail", args=[report.pk]))  # fmt: skip

    return effect


authors = access.is_administrator | access.is_author
reviewers = access.is_administrator | access.is_programme_officer

REPORT_LIFECYCLE = Lifecycle(
    model=Report,
    noun="report",
    transition_model=ReportTransition,
    transition_fk="report",
    lock_related=("jmu__lsg",),
    editable=frozenset(Status.editable()),
    frozen=frozenset(Status.frozen()),
    moves=[
        Move("submit", frozenset({Status.DRAFT, Status.RETURNED}), Status.SUBMITTED, authors,
             label=gettext_lazy("Submit"), guard=_values_complete,
             effects=(_tell("report.submitted", "officers"),)),
        Move("return", frozenset({Status.SUBMITTED}), Status.RETURNED, reviewers,
             label=gettext_lazy("Return for corrections"),
             note_required=gettext_lazy("Say what has to be fixed: a note is required."),
             effects=(_tell("report.returned", "lsg"),)),
        Move("accept", frozenset({Status.SUBMITTED}), Status.ACCEPTED, reviewers,
             label=gettext_lazy("Accept"), effects=(_tell("report.accepted", "lsg"),)),
    ],
)  # fmt: skip
