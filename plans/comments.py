"""Comment threads on a plan, a measure or an indicator: started, answered, resolved, reopened."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jmu_planner import access
from jmu_planner.lifecycle import TransitionRefused
from jmu_planner.notifications.services import notify
from plans.lifecycle import plan_params
from plans.models import Comment, CommentThread, Indicator, Measure, OperationalPlan
from stakeholders.models import User


def _require_commenter(actor: User, plan: OperationalPlan) -> None:
    if not access.may(actor, "plans.comment_plan", plan):
        raise TransitionRefused(_("You may not comment on this plan."))


def _body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    return body


@transaction.atomic
def thread_start(
    *,
    plan: OperationalPlan,
    actor: User,
    body: str,
    measure: Measure | None = None,
    indicator: Indicator | None = None,
) -> CommentThread:
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


def _notify_comment(thread: CommentThread, actor: User) -> None:
    plan = thread.plan
    url = reverse("plans:plan-detail", args=[plan.pk]) + f"#thread-{thread.pk}"
    params = plan_params(plan, actor) | {"subject": thread.subject}
    users = access.lsg_authors(plan.jmu.lsg_id, exclude=actor)
    notify(users=users, event="plan.comment", params=params, url=url)
