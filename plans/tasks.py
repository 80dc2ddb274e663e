"""Celery tasks of the plans app: thin, they take IDs and call a service."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from plans.models import Notification


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification once; a notification already e-mailed is skipped on a retry."""
    sent = 0
    rows = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
    for row in rows.select_related("recipient"):
        if not row.recipient.email:
            continue
        link = f"{settings.SITE_URL}{row.url}" if row.url else ""
        send_mail(
            subject=f"JMU Planner: {row.text[:80]}",
            message=f"{row.text}\n\n{link}".strip(),
            from_email=None,
            recipient_list=[row.recipient.email],
        )
        Notification.objects.filter(pk=row.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
