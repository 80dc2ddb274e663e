"""The lifecycles of the experts' work (mechanism: `jmu_planner.lifecycle`).

- A recommendation is answered by the LSG's coordinator: open → accepted | rejected;
  accepted → implemented. Experts write recommendations; they do not answer them.
- A time sheet and a final report: draft → submitted → (returned → submitted)* → accepted
  (frozen); the expert submits, programme officers return or accept.

Each move tells the other side (jmu_planner.notifications): a submission the programme officers, a
return or an acceptance the expert, an answer to a recommendation the one who wrote it.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy

from jmu_planner import access
from jmu_planner.lifecycle import Lifecycle, Move, Notice, Tell, TransitionRefused, review_lifecycle
from jmu_planner.notifications.events import bilingual
from stakeholders.models import (
    FinalReport,
    FinalReportTransition,
    Recommendation,
    RecommendationTransition,
    TimeSheet,
    TimeSheetTransition,
    User,
)

R = Recommendation.Status
__all__ = [
    "FINAL_REPORT_LIFECYCLE",
    "RECOMMENDATION_LIFECYCLE",
    "TIMESHEET_LIFECYCLE",
    "final_report_transition",
    "recommendation_transition",
    "timesheet_transition",
]

answerers = access.is_administrator | access.is_coordinator
experts = access.is_administrator | access.owns_contract
officers = access.is_administrator | access.is_programme_officer


def _recommendation_params(recommendation: Recommendation, actor: User | None, note: str = "") -> dict:
    lsg = recommendation.lsg
    return {
        "lsg": bilingual(lsg.name_lat, lsg.name_cyr),
        "text": Truncator(" ".join(recommendation.text.split())).chars(80),
        "who": str(actor or ""),
        "note": note,
    }


RECOMMENDATION_LIFECYCLE = Lifecycle(
    model=Recommendation,
    noun="recommendation",
    transition_model=RecommendationTransition,
    transition_fk="recommendation",
    editable=frozenset({R.OPEN}),
    frozen=frozenset({R.IMPLEMENTED, R.REJECTED}),
    # The one who wrote the recommendation hears how the LSG answered it.
    notice=Notice(
        params=_recommendation_params,
        url=lambda recommendation: reverse("stakeholders:recommendation-detail", args=[recommendation.pk]),
        lsg_id=lambda recommendation: recommendation.lsg_id,
        author=lambda recommendation: recommendation.created_by,
    ),
    moves=[
        Move(
            "accept",
            frozenset({R.OPEN}),
            R.ACCEPTED,
            answerers,
            label=gettext_lazy("Accept"),
            effects=(Tell("recommendation.accepted", "author"),),
        ),
        Move(
            "reject",
            frozenset({R.OPEN}),
            R.REJECTED,
            answerers,
            label=gettext_lazy("Reject"),
            note_required=gettext_lazy("Say why the recommendation is rejected: a note is required."),
            effects=(Tell("recommendation.rejected", "author"),),
        ),
        Move(
            "implement",
            frozenset({R.ACCEPTED}),
            R.IMPLEMENTED,
            answerers,
            label=gettext_lazy("Mark implemented"),
            effects=(Tell("recommendation.implemented", "author"),),
        ),
    ],
)


def _has_entries(timesheet: TimeSheet, **context: Any) -> dict[str, Any]:
    if not timesheet.entries.exists():
        raise TransitionRefused(gettext_lazy("Enter at least one day before submitting the time sheet."))
    return {"submitted_at": timezone.now()}


def _submitted_now(row: TimeSheet | FinalReport, **context: Any) -> dict[str, Any]:
    return {"submitted_at": timezone.now()}


def _work_url(row: TimeSheet | FinalReport) -> str:
    if isinstance(row, TimeSheet):
        return reverse("stakeholders:timesheet-detail", args=[row.pk])
    return reverse("stakeholders:final-report", args=[row.contract_id])


def _work_params(row: TimeSheet | FinalReport, actor: User | None, note: str = "") -> dict:
    contract = row.contract
    params = {
        "expert": str(contract.expert),
        "contract": contract.title,
        "who": str(actor or ""),
        "note": note,
    }
    if isinstance(row, TimeSheet):
        params["month"] = f"{row.month:%m/%Y}"
    return params


# A submission goes to the programme officers; a return or an acceptance to the expert.
WORK_NOTICE = Notice(params=_work_params, url=_work_url, author=lambda row: row.contract.expert)
experts_work = {
    "authors": experts,
    "reviewers": officers,
    "reviews_told": "author",
    "notice": WORK_NOTICE,
    "lock_related": ("contract",),
}

TIMESHEET_LIFECYCLE = review_lifecycle(
    model=TimeSheet,
    noun="timesheet",
    transition_model=TimeSheetTransition,
    transition_fk="timesheet",
    submit_guard=_has_entries,
    **experts_work,
)

FINAL_REPORT_LIFECYCLE = review_lifecycle(
    model=FinalReport,
    noun="finalreport",
    transition_model=FinalReportTransition,
    transition_fk="final_report",
    submit_guard=_submitted_now,
    **experts_work,
)


# --- Services -------------------------------------------------------------------------------------


def recommendation_transition(
    *, recommendation: Recommendation, to: str, actor: User, note: str = ""
) -> Recommendation:
    return RECOMMENDATION_LIFECYCLE.transition(recommendation, to=to, actor=actor, note=note)


def timesheet_transition(*, timesheet: TimeSheet, to: str, actor: User, note: str = "") -> TimeSheet:
    return TIMESHEET_LIFECYCLE.transition(timesheet, to=to, actor=actor, note=note)


def final_report_transition(*, report: FinalReport, to: str, actor: User, note: str = "") -> FinalReport:
    return FINAL_REPORT_LIFECYCLE.transition(report, to=to, actor=actor, note=note)
