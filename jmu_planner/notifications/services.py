"""Writes of notifications: inbox rows now, e-mails after commit, delivery recorded per row."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from jmu_planner.notifications.events import EVENTS, render, subject_line
from jmu_planner.notifications.models import Notification, NotificationQuerySet

if TYPE_CHECKING:
    from stakeholders.models import User

log = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 8


def notify(*, users: Iterable, event: str, params: dict[str, Any], url: str = "") -> list[Notification]:
    """One inbox row per recipient (deduplicated); the e-mails are queued once the transaction
    has committed. Should the queue be down, the rows stay pending for the periodic sweep."""
    if event not in EVENTS:
        raise ValueError(f"Unknown notification event {event!r}")
    recipients = {user.pk: user for user in users if user is not None}.values()
    rows = Notification.objects.bulk_create(
        Notification(recipient=user, event=event, params=params, url=url[:300], email_skipped=not user.email)
        for user in recipients
    )
    ids = [row.pk for row in rows if not row.email_skipped]
    if ids:
        transaction.on_commit(lambda: _enqueue_emails(ids))
    return rows


def _enqueue_emails(ids: list[int]) -> None:
    from jmu_planner.notifications.tasks import send_notification_emails

    try:
        send_notification_emails.delay(ids)
    except Exception:
        log.warning("E-mails for notifications %s not queued; the sweep will send them", ids, exc_info=True)


def recipient_language(user: User) -> str:
    from jmu_planner.i18n import user_language

    return user_language(user)


def notification_email(notification: Notification) -> None:
    """Send one notification's e-mail in its recipient's language and mark it, or record why not.

    Marked in its own transaction right after the send, so a crash between two recipients never
    leaves one mailed and unmarked while the next is forgotten.
    """
    user = notification.recipient
    with translation.override(recipient_language(user)):
        text = render(notification.event, notification.params)
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
        subject = subject_line(f"JMU Planner: {text}")
    try:
        send_mail(subject=subject, message=f"{text}\n\n{link}".strip(), from_email=None,
                  recipient_list=[user.email])  # fmt: skip
    except Exception as error:
        Notification.objects.filter(pk=notification.pk).update(
            email_attempts=notification.email_attempts + 1,
            email_error=f"{error.__class__.__name__}: {error}"[:300],
        )
        raise
    Notification.objects.filter(pk=notification.pk).update(
        emailed_at=timezone.now(), email_attempts=notification.email_attempts + 1, email_error=""
    )


def pending_emails(ids: Iterable[int] | None = None) -> NotificationQuerySet:
    rows = Notification.objects.pending_email().filter(email_attempts__lt=MAX_EMAIL_ATTEMPTS)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.select_related("recipient").order_by("pk")
