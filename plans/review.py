"""Writes of the review workflow: status transitions, adoption, amendments, comments, notices.

`../shared/DOMAIN.md`: draft → submitted → (changes requested → submitted)* → approved → adopted;
an adopted version is frozen and changed only through an amendment (a new version).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jmu_planner import access
from jmu_planner.access import Role
from plans.models import (
    Comment,
    CommentThread,
    Indicator,
    Measure,
    Notification,
    OperationalPlan,
    PlanTransition,
)
from stakeholders.models import User

log = logging.getLogger(__name__)
Status = OperationalPlan.Status
MAX_DECISION_BYTES = 10 * 1024 * 1024


class TransitionRefused(ValidationError):
    """An illegal move, a missing note, an incomplete plan or a role that may not make the move."""


# Who may make each move. "authors": the LSG's coordinators and assigned experts;
# "reviewers": programme officers; "adopters": the LSG's coordinators. Administrators: all.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.SUBMITTED): "authors",
    (Status.CHANGES_REQUESTED, Status.SUBMITTED): "authors",
    (Status.SUBMITTED, Status.CHANGES_REQUESTED): "reviewers",
    (Status.SUBMITTED, Status.APPROVED): "reviewers",
    (Status.APPROVED, Status.ADOPTED): "adopters",
}
ROLES_FOR = {"authors": {Role.COORDINATOR, Role.EXPERT}, "adopters": {Role.COORDINATOR}}


def may(user: User, group: str, plan: OperationalPlan) -> bool:
    if access.is_administrator(user):
        return True
    if group == "reviewers":
        return access.is_programme_officer(user)
    return bool(access.roles_in(user, plan.jmu.lsg_id) & ROLES_FOR[group])


def allowed_moves(user: User, plan: OperationalPlan) -> list[str]:
    """The statuses this user may move this plan to now."""
    return [to for (frm, to), group in TRANSITIONS.items() if frm == plan.status and may(user, group, plan)]


def may_comment(user: User, plan: OperationalPlan) -> bool:
    return may(user, "authors", plan) or may(user, "reviewers", plan)


def missing_for_submission(plan: OperationalPlan) -> list[str]:
    """What keeps the plan from being complete: every measure needs an indicator, a responsible
    institution and a period."""
    measures = list(
        Measure.objects.filter(plan=plan)
        .select_related("area")
        .annotate(indicator_count=Max("indicators__pk"))
        .order_by("area__number", "number")
    )
    if not measures:
        return [_("The plan has no measures.")]
    missing = []
    for measure in measures:
        gaps = []
        if measure.indicator_count is None:
            gaps.append(_("no indicator"))
        if measure.responsible_id is None:
            gaps.append(_("no responsible institution"))
        if measure.start_month is None or measure.end_month is None:
            gaps.append(_("no start and end month"))
        if gaps:
            missing.append(_("Measure %(code)s: %(gaps)s.") % {"code": measure.code, "gaps": ", ".join(gaps)})
    return missing


def _record(plan: OperationalPlan, *, to: str, actor: User | None, note: str) -> PlanTransition:
    step = PlanTransition.objects.create(
        plan=plan, actor=actor, from_status=plan.status, to_status=to, note=note
    )
    plan.status = to
    plan._history_user = actor
    plan.save(update_fields=["status", "updated_at"])
    return step


@transaction.atomic
def plan_transition(
    *,
    plan: OperationalPlan,
    to: str,
    actor: User,
    note: str = "",
    confirm_open_threads: bool = False,
) -> OperationalPlan:
    """Move the plan to `to`, or refuse with the reason. Adoption goes through `plan_adopt`."""
    plan = OperationalPlan.objects.select_for_update().select_related("jmu__lsg").get(pk=plan.pk)
    group = TRANSITIONS.get((plan.status, to))
    if group is None or to == Status.ADOPTED:
        raise TransitionRefused(
            _("A plan that is %(status)s cannot be moved to “%(to)s”.")
            % {"status": plan.get_status_display().lower(), "to": Status(to).label.lower()}
        )
    if not may(actor, group, plan):
        raise TransitionRefused(_("You may not make this change."))
    note = note.strip()
    if to == Status.CHANGES_REQUESTED and not note:
        raise TransitionRefused({"note": _("Say what has to change: a note is required.")})
    if to == Status.SUBMITTED:
        missing = missing_for_submission(plan)
        if missing:
            raise TransitionRefused([_("The plan is not complete yet:"), *missing])
    if to == Status.APPROVED and not confirm_open_threads:
        open_threads = plan.threads.filter(resolved_at__isnull=True).count()
        if open_threads:
            raise TransitionRefused(
                {"confirm_open_threads": _(
                    "%(count)s comment threads are still open. Tick the box to approve anyway."
                ) % {"count": open_threads}}
            )  # fmt: skip
    _record(plan, to=to, actor=actor, note=note)
    _notify_transition(plan, to=to, actor=actor, note=note)
    return plan


def _validate_decision_pdf(upload: UploadedFile | None) -> None:
    if upload is None:
        raise ValidationError({"adoption_file": _("Attach the scanned decision as a PDF.")})
    if upload.size > MAX_DECISION_BYTES:
        raise ValidationError({"adoption_file": _("The file is larger than 10 MB.")})
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError({"adoption_file": _("This file is not a PDF.")})


@transaction.atomic
def plan_adopt(
    *, plan: OperationalPlan, actor: User, body: str, number: str, date: datetime.date,
    file: UploadedFile | None,
) -> OperationalPlan:  # fmt: skip
    """Record the LSG body's decision; the version is frozen, and the one it amends superseded."""
    plan = OperationalPlan.objects.select_for_update().select_related("jmu__lsg").get(pk=plan.pk)
    if plan.status != Status.APPROVED:
        raise TransitionRefused(_("Only an approved plan can be adopted."))
    if not may(actor, "adopters", plan):
        raise TransitionRefused(_("Only the LSG's coordinator records the adoption."))
    errors = {}
    if body not in OperationalPlan.AdoptingBody.values:
        errors["adopting_body"] = _("Choose the body that adopted the plan.")
    if not number.strip():
        errors["adoption_number"] = _("Enter the decision number.")
    if date is None:
        errors["adoption_date"] = _("Enter the decision date.")
    elif date > timezone.localdate():
        errors["adoption_date"] = _("The decision date cannot be in the future.")
    try:
        _validate_decision_pdf(file)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    plan.adopting_body, plan.adoption_number, plan.adoption_date = body, number.strip(), date
    plan.adoption_file = file
    plan._history_user = actor
    plan.save(update_fields=["adopting_body", "adoption_number", "adoption_date", "adoption_file"])
    _record(plan, to=Status.ADOPTED, actor=actor, note="")
    previous = plan.amends
    if previous is not None and previous.status == Status.ADOPTED:
        _record(previous, to=Status.SUPERSEDED, actor=actor,
                note=_("Superseded by version %(version)s.") % {"version": plan.version})  # fmt: skip
    _notify_transition(plan, to=Status.ADOPTED, actor=actor, note="")
    return plan


@transaction.atomic
def plan_amend(*, plan: OperationalPlan, actor: User) -> OperationalPlan:
    """Start an amendment of the adopted version: a full copy as the next version, a draft."""
    from plans.services import plan_copy

    plan = OperationalPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Status.ADOPTED:
        raise TransitionRefused(_("Only the adopted version in force can be amended."))
    if not may(actor, "authors", plan):
        raise TransitionRefused(_("You may not amend this plan."))
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
        plan=plan, actor=actor, title=plan.title, period_start=plan.period_start,
        period_end=plan.period_end, amendment_version=latest + 1,
    )  # fmt: skip


# --- Comments --------------------------------------------------------------------------------------


def _require_commenter(actor: User, plan: OperationalPlan) -> None:
    if not may_comment(actor, plan):
        raise TransitionRefused(_("You may not comment on this plan."))


def _body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    return body


@transaction.atomic
def thread_start(
    *, plan: OperationalPlan, actor: User, body: str,
    measure: Measure | None = None, indicator: Indicator | None = None,
) -> CommentThread:  # fmt: skip
    _require_commenter(actor, plan)
    if indicator is not None:
        measure = indicator.measure
    if measure is not None and measure.plan_id != plan.pk:
        raise ValidationError({"subject": _("Choose a measure of this plan.")})
    thread = CommentThread.objects.create(plan=plan, measure=measure, indicator=indicator, created_by=actor)
    comment = Comment(thread=thread, author=actor, body=_body(body))
    comment.full_clean()
    comment.save()
    _notify_comment(thread, actor)
    return thread


@transaction.atomic
def thread_reply(*, thread: CommentThread, actor: User, body: str) -> Comment:
    _require_commenter(actor, thread.plan)
    comment = Comment(thread=thread, author=actor, body=_body(body))
    comment.full_clean()
    comment.save()
    _notify_comment(thread, actor)
    return comment


def thread_resolve(*, thread: CommentThread, actor: User) -> CommentThread:
    _require_commenter(actor, thread.plan)
    thread.resolved_at, thread.resolved_by = timezone.now(), actor
    thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


def thread_reopen(*, thread: CommentThread, actor: User) -> CommentThread:
    _require_commenter(actor, thread.plan)
    thread.resolved_at = thread.resolved_by = None
    thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


# --- Notifications ---------------------------------------------------------------------------------


def notify(*, users: Iterable[User], text: str, url: str) -> list[Notification]:
    """Inbox rows now; the e-mails from Celery once the transaction has committed."""
    rows = Notification.objects.bulk_create(
        Notification(recipient=user, text=text[:300], url=url) for user in {u.pk: u for u in users}.values()
    )
    ids = [row.pk for row in rows]
    if ids:
        transaction.on_commit(lambda: _enqueue_emails(ids))
    return rows


def _enqueue_emails(ids: list[int]) -> None:
    from plans.tasks import send_notification_emails

    try:
        send_notification_emails.delay(ids)
    except Exception:
        log.exception("Could not enqueue e-mails for notifications %s", ids)


def _lsg_people(plan: OperationalPlan, exclude: User | None) -> list[User]:
    users = User.objects.filter(
        is_active=True,
        lsg_roles__lsg_id=plan.jmu.lsg_id,
        lsg_roles__role__in=[Role.COORDINATOR, Role.EXPERT],
    ).distinct()
    return [u for u in users if exclude is None or u.pk != exclude.pk]


def _officers() -> list[User]:
    return list(User.objects.filter(is_active=True, global_role=access.GlobalRole.PROGRAMME_OFFICER))


def _notify_transition(plan: OperationalPlan, *, to: str, actor: User, note: str) -> None:
    url = reverse("plans:plan-detail", args=[plan.pk])
    names = {"plan": plan.title, "lsg": plan.jmu.lsg.name_lat, "who": actor}
    if to == Status.SUBMITTED:
        notify(users=_officers(), url=url,
               text=_("%(lsg)s submitted “%(plan)s” for review.") % names)  # fmt: skip
    elif to == Status.CHANGES_REQUESTED:
        text = _("%(who)s requested changes to “%(plan)s”: %(note)s") % (names | {"note": note})
        notify(users=_lsg_people(plan, actor), url=url, text=text)
    elif to == Status.APPROVED:
        notify(users=_lsg_people(plan, actor), url=url,
               text=_("%(who)s approved “%(plan)s”.") % names)  # fmt: skip


def _notify_comment(thread: CommentThread, actor: User) -> None:
    plan = thread.plan
    url = reverse("plans:plan-detail", args=[plan.pk]) + f"#thread-{thread.pk}"
    text = _("%(who)s commented on “%(plan)s” (%(subject)s).") % {
        "who": actor, "plan": plan.title, "subject": thread.subject,
    }  # fmt: skip
    notify(users=_lsg_people(plan, actor), text=text, url=url)
