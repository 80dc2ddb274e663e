"""Writes of notifications: an inbox row per recipient now, its e-mail queued after commit
(jmu_planner.notifications.delivery sends it and records the delivery)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from jmu_planner.notifications.events import EVENTS
from jmu_planner.notifications.models import Notification
from jmu_planner.notifications.tasks import send_notification_emails

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


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
    try:
        send_notification_emails.delay(ids)
    except Exception:
        log.warning("E-mails for notifications %s not queued; the sweep will send them", ids, exc_info=True)
