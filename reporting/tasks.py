"""Celery tasks of reporting: thin, they load rows and call a service."""

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from reporting import reminders


@shared_task(acks_late=True)
def send_report_reminders(today: str | None = None) -> int:
    """Daily (Celery beat): remind coordinators of reports due soon and of overdue ones."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return reminders.send_reminders(today=day, days_before=settings.REPORT_REMINDER_DAYS_BEFORE)
