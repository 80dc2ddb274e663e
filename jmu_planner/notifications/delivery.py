"""E-mail delivery of notifications: each row claimed before it is sent, its outcome recorded after;
exactly once from the recipient's view (README, Notifications)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError, connection
from django.utils import timezone, translation

from jmu_planner.i18n import user_language
from jmu_planner.notifications.events import render, subject_line
from jmu_planner.notifications.models import EMAIL_CLAIM_STALE_AFTER, Notification, NotificationQuerySet

if TYPE_CHECKING:
    from stakeholders.models import User

log = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 8
# Recording a sent e-mail outlasts a restarted or failed-over database (about 30 s): a fresh
# connection each time, since a terminated backend leaves the old one dead.
RECORD_RETRY_DELAYS = (0.5, 1, 2, 4, 8, 16)


def recipient_language(user: User) -> str:
    return user_language(user)


def notification_email(notification: Notification) -> bool:
    """Send one notification's e-mail in its recipient's language, at most once; False when another
    sender has it (or had it).

    The row is claimed in a committed write before the mail server is spoken to, and the outcome is
    recorded after, retried on a fresh connection for about 30 s should the database drop. A failed
    send gives the claim back with the reason, for the sweep to try again; a send whose outcome
    could not be recorded keeps its claim, so no retry of the task mails the person twice.
    """
    user = notification.recipient
    with translation.override(recipient_language(user)):
        text = render(notification.event, notification.params)
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
        subject = subject_line(f"JMU Planner: {text}")
    claimed = Notification.objects.filter(
        pk=notification.pk, emailed_at__isnull=True, email_claimed_at__isnull=True
    ).update(email_claimed_at=timezone.now())  # autocommit in a worker: committed at once
    if not claimed:
        return False
    attempts = notification.email_attempts + 1
    try:
        send_mail(
            subject=subject, message=f"{text}\n\n{link}".strip(), from_email=None, recipient_list=[user.email]
        )
    except Exception as error:
        _record(
            notification.pk,
            email_claimed_at=None,
            email_attempts=attempts,
            email_error=f"{error.__class__.__name__}: {error}"[:300],
        )
        raise
    _record(notification.pk, emailed_at=timezone.now(), email_attempts=attempts, email_error="")
    return True


def _record(pk: int, **values: Any) -> None:
    for delay in (*RECORD_RETRY_DELAYS, None):
        try:
            Notification.objects.filter(pk=pk).update(**values)
            return
        except DatabaseError:
            if delay is None or connection.in_atomic_block:
                log.error("Outcome of the e-mail for notification %s not recorded: %s", pk, values)
                raise
            connection.close()  # the next query opens a new connection
            time.sleep(delay)


def stale_email_claims() -> int:
    """Claims whose sender stopped mid-send: told once in the log and on the row (never resent)."""
    stale = Notification.objects.filter(
        emailed_at__isnull=True,
        email_claimed_at__lt=timezone.now() - EMAIL_CLAIM_STALE_AFTER,
        email_error="",
    ).update(email_error="Interrupted while being sent; not sent again, it may not have arrived.")
    if stale:
        log.error("%s notification e-mails were interrupted while being sent", stale)
    return stale


def pending_emails(ids: Iterable[int] | None = None) -> NotificationQuerySet:
    rows = Notification.objects.pending_email().filter(email_attempts__lt=MAX_EMAIL_ATTEMPTS)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.select_related("recipient").order_by("pk")
