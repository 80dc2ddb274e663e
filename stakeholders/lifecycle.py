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
from jmu_planner.lifecycle import Effect, Guard, Lifecycle, Move, TransitionRefused
from jmu_planner.notifications.events import bilingual
from jmu_planner.notifications.services import notify
from stakeholders.models import (
    ExpertWorkStatus,
    FinalReport,
    FinalReportTransition,
    Recommendation,
    RecommendationTransition,
    TimeSheet,
    TimeSheetTransition,
    User,
)

R = Recommendation.Status
W = ExpertWorkStatus

answerers = access.is_administrator | access.is_coordinator
experts = access.is_administrator | access.owns_contract
officers = access.is_administrator | access.is_programme_officer


def _tell_author(event: str) -> Effect:
    """The one who wrote the recommendation hears how the LSG answered it."""

    def effect(recommendation: Recommendation, *, actor: User, note: str = "", **context: Any) -> None:
        author = recommendation.created_by
        if author is None or not author.is_active or author.pk == getattr(actor, "pk", None):
            return
        lsg = recommendation.lsg
        params = {
            "lsg": bilingual(lsg.name_lat, lsg.name_cyr),
            "text": Truncator(" ".join(recommendation.text.split())).chars(80),
            "who": str(actor or ""),
            "note": note,
        }
        notify(users=[author], event=event, params=params,
               url=reverse("stakeholders:recommendation-detail", args=[recommendation.pk]))  # fmt: skip

    return effect


RECOMMENDATION_LIFECYCLE = Lifecycle(
    model=Recommendation,
    noun="recommendation",
    transition_model=RecommendationTransition,
    transition_fk="recommendation",
    editable=frozenset({R.OPEN}),
    frozen=frozenset({R.IMPLEMENTED, R.REJECTED}),
    moves=[
        Move("accept", frozenset({R.OPEN}), R.ACCEPTED, answerers, label=gettext_lazy("Accept"),
             effects=(_tell_author("recommendation.accepted"),)),
        Move("reject", frozenset({R.OPEN}), R.REJECTED, answerers, label=gettext_lazy("Reject"),
             note_required=gettext_lazy("Say why the recommendation is rejected: a note is required."),
             effects=(_tell_author("recommendation.rejected"),)),
        Move("implement", frozenset({R.ACCEPTED}), R.IMPLEMENTED, answerers,
             label=gettext_lazy("Mark implemented"), effects=(_tell_author("recommendation.implemented"),)),
    ],
)  # fmt: skip


def _has_entries(timesheet: TimeSheet, **context: Any) -> dict[str, Any]:
    if not timesheet.entries.exists():
        raise TransitionRefused(gettext_lazy("Enter at least one day before submitting the time sheet."))
    return {"submitted_at": timezone.now()}


def _submitted_now(row: FinalReport, **context: Any) -> dict[str, Any]:
    return {"submitted_at": timezone.now()}


def _work_url(row: TimeSheet | FinalReport) -> str:
    if isinstance(row, TimeSheet):
        return reverse("stakeholders:timesheet-detail", args=[row.pk])
    return reverse("stakeholders:final-report", args=[row.contract_id])


def _tell_work(event: str, audience: str) -> Effect:
    """A submission goes to the programme officers; a return or an acceptance to the expert."""

    def effect(row: TimeSheet | FinalReport, *, actor: User, note: str = "", **context: Any) -> None:
        contract = row.contract
        users = access.programme_officers() if audience == "officers" else [contract.expert]
        params = {
            "expert": str(contract.expert),
            "contract": contract.title,
            "who": str(actor or ""),
            "note": note,
        }
        if isinstance(row, TimeSheet):
            params["month"] = f"{row.month:%m/%Y}"
        users = [u for u in users if u.is_active and u.pk != getattr(actor, "pk", None)]
        notify(users=users, event=event, params=params, url=_work_url(row))

    return effect


def _work_moves(noun: str, guard: Guard) -> list[Move]:
    return [
        Move("submit", frozenset({W.DRAFT, W.RETURNED}), W.SUBMITTED, experts,
             label=gettext_lazy("Submit"), guard=guard,
             effects=(_tell_work(f"{noun}.submitted", "officers"),)),
        Move("return", frozenset({W.SUBMITTED}), W.RETURNED, officers,
             label=gettext_lazy("Return for corrections"),
             note_required=gettext_lazy("Say what has to be fixed: a note is required."),
             effects=(_tell_work(f"{noun}.returned", "expert"),)),
        Move("accept", frozenset({W.SUBMITTED}), W.ACCEPTED, officers, label=gettext_lazy("Accept"),
             effects=(_tell_work(f"{noun}.accepted", "expert"),)),
    ]  # fmt: skip


TIMESHEET_LIFECYCLE = Lifecycle(
    model=TimeSheet,
    noun="timesheet",
    transition_model=TimeSheetTransition,
    transition_fk="timesheet",
    lock_related=("contract",),
    editable=frozenset(W.editable()),
    frozen=frozenset(W.frozen()),
    moves=_work_moves("timesheet", _has_entries),
)

FINAL_REPORT_LIFECYCLE = Lifecycle(
    model=FinalReport,
    noun="finalreport",
    transition_model=FinalReportTransition,
    transition_fk="final_report",
    lock_related=("contract",),
    editable=frozenset(W.editable()),
    frozen=frozenset(W.frozen()),
    moves=_work_moves("finalreport", _submitted_now),
)
