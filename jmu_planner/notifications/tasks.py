"""E-mail delivery: thin tasks that take IDs and call the service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import DatabaseError

from jmu_planner.notifications.delivery import notification_email, pending_emails, stale_email_claims

log = logging.getLogger(__name__)


def _send(rows) -> tuple[int, int]:
    sent = failed = 0
    for row in rows:
        try:
            sent += notification_email(row)
        except DatabaseError:
            raise
        except Exception:
            log.warning("E-mail for notification %s failed", row.pk, exc_info=True)
            failed += 1
    return sent, failed


@shared_task(acks_late=True, autoretry_for=(DatabaseError, OSError), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail the given notifications that are still pending; a retry skips those already sent."""
    sent, failed = _send(pending_emails(notification_ids))
    if failed:
        raise OSError(f"{failed} notification e-mails failed")  # retried with backoff
    return sent


@shared_task(acks_late=True)
def send_pending_notification_emails() -> int:
    """The periodic sweep: whatever was not delivered (queue down, SMTP down, worker lost)."""
    stale_email_claims()
    return _send(pending_emails())[0]
