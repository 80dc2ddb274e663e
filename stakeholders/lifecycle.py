"""The lifecycles of the experts' work (mechanism: `jmu_planner.lifecycle`).

- A recommendation is answered by the LSG's coordinator: open → accepted | rejected;
  accepted → implemented. Experts write recommendations; they do not answer them.
- A time sheet and a final report: draft → submitted → (returned → submitted)* → accepted
  (frozen); the expert submits, programme officers return or accept.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy

from jmu_planner import access
from jmu_planner.lifecycle import Lifecycle, Move, TransitionRefused
from stakeholders.models import (
    ExpertWorkStatus,
    FinalReport,
    FinalReportTransition,
    Recommendation,
    RecommendationTransition,
    TimeSheet,
    TimeSheetTransition,
)

R = Recommendation.Status
W = ExpertWorkStatus

answerers = access.is_administrator | access.is_coordinator
experts = access.is_administrator | access.owns_contract
officers = access.is_administrator | access.is_programme_officer

RECOMMENDATION_LIFECYCLE = Lifecycle(
    model=Recommendation,
    noun="recommendation",
    transition_model=RecommendationTransition,
    transition_fk="recommendation",
    editable=frozenset({R.OPEN}),
    frozen=frozenset({R.IMPLEMENTED, R.REJECTED}),
    moves=[
        Move("accept", frozenset({R.OPEN}), R.ACCEPTED, answerers, label=gettext_lazy("Accept")),
        Move("reject", frozenset({R.OPEN}), R.REJECTED, answerers, label=gettext_lazy("Reject"),
             note_required=gettext_lazy("Say why the recommendation is rejected: a note is required.")),
        Move("implement", frozenset({R.ACCEPTED}), R.IMPLEMENTED, answerers,
             label=gettext_lazy("Mark implemented")),
    ],
)  # fmt: skip


def _has_entries(timesheet: TimeSheet, **context) -> dict:
    if not timesheet.entries.exists():
        raise TransitionRefused(gettext_lazy("Enter at least one day before submitting the time sheet."))
    return {"submitted_at": timezone.now()}


def _submitted_now(row, **context) -> dict:
    return {"submitted_at": timezone.now()}


def _work_moves(guard) -> list[Move]:
    return [
        Move("submit", frozenset({W.DRAFT, W.RETURNED}), W.SUBMITTED, experts,
             label=gettext_lazy("Submit"), guard=guard),
        Move("return", frozenset({W.SUBMITTED}), W.RETURNED, officers,
             label=gettext_lazy("Return for corrections"),
             note_required=gettext_lazy("Say what has to be fixed: a note is required.")),
        Move("accept", frozenset({W.SUBMITTED}), W.ACCEPTED, officers, label=gettext_lazy("Accept")),
    ]  # fmt: skip


TIMESHEET_LIFECYCLE = Lifecycle(
    model=TimeSheet,
    noun="timesheet",
    transition_model=TimeSheetTransition,
    transition_fk="timesheet",
    lock_related=("contract",),
    editable=frozenset(W.editable()),
    frozen=frozenset(W.frozen()),
    moves=_work_moves(_has_entries),
)

FINAL_REPORT_LIFECYCLE = Lifecycle(
    model=FinalReport,
    noun="finalreport",
    transition_model=FinalReportTransition,
    transition_fk="final_report",
    lock_related=("contract",),
    editable=frozenset(W.editable()),
    frozen=frozenset(W.frozen()),
    moves=_work_moves(_submitted_now),
)
