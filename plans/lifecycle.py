"""The plan's lifecycle: its table of moves, their guards and effects, adoption and amendments.

`../shared/DOMAIN.md`: draft → submitted → (changes requested → submitted)* → approved → adopted;
an adopted version is frozen and changed only through an amendment (a new version), and adopting
the amendment supersedes the version in force. Who may make each move is the access policy's
predicate named in the table; the mechanism is `jmu_planner.lifecycle`.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jmu_planner import access
from jmu_planner.lifecycle import Lifecycle, Missing, Move, Notice, Tell, TransitionRefused
from jmu_planner.notifications.events import bilingual
from jmu_planner.uploads import validate_pdf_upload
from plans import snapshot
from plans.models import Measure, OperationalPlan, PlanTransition
from plans.services import plan_copy
from stakeholders.models import User

log = logging.getLogger(__name__)

Status = OperationalPlan.Status
__all__ = ["PLAN_LIFECYCLE", "TransitionRefused", "plan_adopt", "plan_amend", "plan_transition"]


def missing_for_submission(plan: OperationalPlan) -> list[Missing]:
    """What keeps the plan from being complete: every measure needs an indicator, a responsible
    institution and a period. Each item links to the measure's form at its first gap's field."""
    measures = list(
        Measure.objects.filter(plan=plan)
        .select_related("area")
        .annotate(indicator_count=Max("indicators__pk"))
        .order_by("area__number", "number")
    )
    if not measures:
        return [Missing(_("The plan has no measures."), reverse("plans:measure-create", args=[plan.pk]))]
    missing = []
    for measure in measures:
        gaps = []  # (what is missing, the field to fix it in)
        if measure.indicator_count is None:
            gaps.append((_("no indicator"), "id_indicators-0-name"))
        if measure.responsible_id is None:
            gaps.append((_("no responsible institution"), "id_responsible"))
        if measure.start_month is None or measure.end_month is None:
            gaps.append((_("no start and end month"), "id_start_month"))
        if gaps:
            text = _("Measure %(code)s: %(gaps)s.") % {
                "code": measure.code,
                "gaps": ", ".join(str(gap) for gap, _field in gaps),
            }
            url = f"{reverse('plans:measure-update', args=[measure.pk])}#{gaps[0][1]}"
            missing.append(Missing(text, url))
    return missing


# --- Guards: refuse with the reason, or give the fields the move sets ---------------------------


def _complete(plan: OperationalPlan, **context: Any) -> None:
    missing = missing_for_submission(plan)
    if missing:
        raise TransitionRefused([_("The plan is not complete yet:"), *missing])


def _threads_confirmed(plan: OperationalPlan, *, confirm_open_threads: bool = False, **context: Any) -> None:
    if confirm_open_threads:
        return
    open_threads = plan.threads.filter(resolved_at__isnull=True).count()
    if open_threads:
        raise TransitionRefused(
            {
                "confirm_open_threads": ngettext(
                    "%(count)s comment thread is still open. Tick the box to approve anyway.",
                    "%(count)s comment threads are still open. Tick the box to approve anyway.",
                    open_threads,
                )
                % {"count": open_threads}
            }
        )


def _decision(
    plan: OperationalPlan,
    *,
    body: str = "",
    number: str = "",
    date: datetime.date | None = None,
    file: UploadedFile | None = None,
    signatory_name: str = "",
    signatory_function: str = "",
    **context: Any,
) -> dict[str, Any]:
    """The LSG body's decision: body, number, a date not in the future and the scanned PDF; who
    signed it and in what function, for the adopted plan's signature block."""
    errors: dict[str, str | list[str]] = {}
    if body not in OperationalPlan.AdoptingBody.values:
        errors["adopting_body"] = _("Choose the body that adopted the plan.")
    if not (number or "").strip():
        errors["adoption_number"] = _("Enter the decision number.")
    if date is None:
        errors["adoption_date"] = _("Enter the decision date.")
    elif date > timezone.localdate():
        errors["adoption_date"] = _("The decision date cannot be in the future.")
    try:
        validate_pdf_upload(file)
    except ValidationError as error:
        errors["adoption_file"] = error.messages
    if errors:
        raise ValidationError(errors)
    return {
        "adopting_body": body,
        "adoption_number": number.strip(),
        "adoption_date": date,
        "adoption_file": file,
        "signatory_name": (signatory_name or "").strip(),
        "signatory_function": (signatory_function or "").strip(),
    }


# --- Effects ------------------------------------------------------------------------------------


def _supersede_previous(plan: OperationalPlan, *, actor: User, **context: Any) -> None:
    previous = plan.amends
    if previous is not None and previous.status == Status.ADOPTED:
        PLAN_LIFECYCLE.transition(
            previous,
            to=Status.SUPERSEDED,
            actor=actor,
            system=True,
            note=_("Superseded by version %(version)s.") % {"version": plan.version},
        )


def _freeze_references(plan: OperationalPlan, **context: Any) -> None:
    """The adopted version keeps the funding sources, institutions and areas it shows as they are
    today (plans.snapshot): later edits of the reference rows do not reach it."""
    snapshot.freeze(plan)


def plan_params(plan: OperationalPlan, actor: User | None, note: str = "") -> dict:
    lsg = plan.jmu.lsg
    return {
        "plan": plan.title,
        "lsg": bilingual(lsg.name_lat, lsg.name_cyr),
        "who": str(actor or ""),
        "note": note,
    }


# --- The table ------------------------------------------------------------------------------------

authors = access.is_administrator | access.is_author
reviewers = access.is_administrator | access.is_programme_officer
adopters = access.is_administrator | access.is_adopter

PLAN_LIFECYCLE = Lifecycle(
    model=OperationalPlan,
    noun="plan",
    transition_model=PlanTransition,
    transition_fk="plan",
    lock_related=("jmu__lsg",),
    notice=Notice(
        params=plan_params,
        url=lambda plan: reverse("plans:plan-detail", args=[plan.pk]),
        lsg_id=lambda plan: plan.jmu.lsg_id,
    ),
    # Content can be changed while its authors write it; never again once approved for adoption.
    editable=frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
    frozen=frozenset({Status.APPROVED, Status.ADOPTED, Status.SUPERSEDED}),
    moves=[
        Move(
            "submit",
            frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
            Status.SUBMITTED,
            authors,
            label=gettext_lazy("Submit for review"),
            guard=_complete,
            effects=(Tell("plan.submitted", "programme_officers"),),
        ),
        Move(
            "request_changes",
            frozenset({Status.SUBMITTED}),
            Status.CHANGES_REQUESTED,
            reviewers,
            label=gettext_lazy("Request changes"),
            note_required=gettext_lazy("Say what has to change: a note is required."),
            effects=(Tell("plan.changes_requested", "lsg_authors"),),
        ),
        Move(
            "approve",
            frozenset({Status.SUBMITTED}),
            Status.APPROVED,
            reviewers,
            label=gettext_lazy("Approve"),
            guard=_threads_confirmed,
            effects=(Tell("plan.approved", "lsg_authors"),),
        ),
        Move(
            "adopt",
            frozenset({Status.APPROVED}),
            Status.ADOPTED,
            adopters,
            label=gettext_lazy("Record the adoption"),
            guard=_decision,
            effects=(_freeze_references, _supersede_previous, Tell("plan.adopted", "programme_officers")),
        ),
        Move("supersede", frozenset({Status.ADOPTED}), Status.SUPERSEDED, adopters, automatic=True),
    ],
)


# --- Services -------------------------------------------------------------------------------------


def plan_transition(
    *, plan: OperationalPlan, to: str, actor: User, note: str = "", confirm_open_threads: bool = False
) -> OperationalPlan:
    """Move the plan to `to`, or refuse with the reason. Adoption goes through `plan_adopt`."""
    if to == Status.ADOPTED:
        raise TransitionRefused(_("Record the adoption with the decision's details."))
    return PLAN_LIFECYCLE.transition(
        plan, to=to, actor=actor, note=note, confirm_open_threads=confirm_open_threads
    )


def plan_adopt(
    *,
    plan: OperationalPlan,
    actor: User,
    body: str,
    number: str,
    date: datetime.date | None,
    file: UploadedFile | None,
    signatory_name: str = "",
    signatory_function: str = "",
) -> OperationalPlan:
    """Record the LSG body's decision; the version is frozen, and the one it amends superseded.

    A decision that cannot be stored (MEDIA_ROOT not writable, disk full) records nothing: the
    move is rolled back and the reason goes next to the file field."""
    try:
        return PLAN_LIFECYCLE.transition(
            plan,
            to=Status.ADOPTED,
            actor=actor,
            body=body,
            number=number,
            date=date,
            file=file,
            signatory_name=signatory_name,
            signatory_function=signatory_function,
        )
    except OSError as error:
        log.exception("Plan %s: the adoption decision could not be stored", plan.pk)
        raise ValidationError(
            {
                "adoption_file": _(
                    "The scanned decision could not be stored on the server (%(error)s), so the adoption was "
                    "not recorded and the plan is still approved. Your number and date are kept: choose the "
                    "file again and save; if this happens again, tell the administrator."
                )
                % {"error": error.strerror or error.__class__.__name__}
            }
        ) from error


@transaction.atomic
def plan_amend(*, plan: OperationalPlan, actor: User) -> OperationalPlan:
    """Start an amendment of the adopted version: a full copy as the next version, a draft."""
    plan = OperationalPlan.objects.select_for_update().select_related("jmu__lsg").get(pk=plan.pk)
    if not access.may(actor, "plans.amend_plan", plan):
        raise TransitionRefused(access.refusal(actor, "plans.amend_plan", plan))
    open_version = (
        OperationalPlan.objects.filter(lineage=plan.lineage)
        .exclude(status__in=[Status.ADOPTED, Status.SUPERSEDED])
        .first()
    )
    if open_version is not None:
        raise TransitionRefused(
            _("Version %(version)s of this plan is already being worked on.")
            % {"version": open_version.version}
        )
    latest = OperationalPlan.objects.filter(lineage=plan.lineage).aggregate(v=Max("version"))["v"]
    return plan_copy(
        plan=plan,
        actor=actor,
        title=plan.title,
        period_start=plan.period_start,
        period_end=plan.period_end,
        amendment_version=latest + 1,
    )
