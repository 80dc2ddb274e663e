"""The report's lifecycle: the review cycle (draft → submitted → (returned → submitted)* → accepted,
frozen), `jmu_planner.lifecycle.review_lifecycle`, with its guard and whom it tells.

Who may make each move is the access policy's predicate named here; the mechanism is
`jmu_planner.lifecycle`.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jmu_planner import access
from jmu_planner.lifecycle import Missing, Notice, TransitionRefused, review_lifecycle
from jmu_planner.notifications.events import bilingual
from reporting.models import Report, ReportTransition
from reporting.services import required_indicators
from stakeholders.models import User

Status = Report.Status
__all__ = ["REPORT_LIFECYCLE", "missing_values", "report_params", "report_transition"]


def report_params(report: Report, actor: User | None, note: str = "") -> dict:
    """The report's name in both scripts (its LSG's name is the part that differs)."""
    lsg = report.jmu.lsg
    head = f"{report.get_kind_display()} {report.period_label}"
    return {
        "report": bilingual(f"{head} – {lsg.name_lat}", f"{head} – {lsg.name_cyr}"),
        "who": str(actor or ""),
        "note": note,
    }


def missing_values(report: Report) -> list[Missing]:
    """What keeps a monthly report from being submitted: the indicators of the measures running in
    its month that have no value. Each links to its value's field on the values page."""
    if report.kind != Report.Kind.MONTHLY:
        return []
    # A value left empty on purpose, with its reason, is reported: it does not block submission.
    given = set(report.indicator_values.values_list("indicator_id", flat=True))
    values = reverse("reporting:report-values", args=[report.pk])
    return [
        Missing(f"{i.measure.code} {i.name}", f"{values}#id_value_{i.pk}")
        for i in required_indicators(report)
        if i.pk not in given
    ]


def _values_complete(report: Report, **context: Any) -> dict[str, Any]:
    missing = missing_values(report)
    if missing:
        raise TransitionRefused([_("Values are missing for these indicators:"), *missing])
    return {"submitted_at": timezone.now()}


REPORT_LIFECYCLE = review_lifecycle(
    model=Report,
    noun="report",
    transition_model=ReportTransition,
    transition_fk="report",
    lock_related=("jmu__lsg",),
    authors=access.is_administrator | access.is_author,
    reviewers=access.is_administrator | access.is_programme_officer,
    submit_guard=_values_complete,
    reviews_told="lsg_authors",
    notice=Notice(
        params=report_params,
        url=lambda report: reverse("reporting:report-detail", args=[report.pk]),
        lsg_id=lambda report: report.jmu.lsg_id,
    ),
)


def report_transition(*, report: Report, to: str, actor: User, note: str = "") -> Report:
    """Move the report to `to`, or refuse with the reason."""
    return REPORT_LIFECYCLE.transition(report, to=to, actor=actor, note=note)
