"""Celery tasks of reporting: thin, they load rows and call a service."""

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from reporting import reminders


@shared_task(acks_late=True)
def send_report_reminders(today: str | None = None) -> int:
    """Daily (Celery beat): remind coordinators of reports due soon and of overdue ones."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return reminders.send_reminders(today=day, days_before=settings.REPORT_REMINDER_DAYS_BEFORE)


@shared_task(
    bind=True, acks_late=True, soft_time_limit=settings.PDF_SOFT_TIME_LIMIT,
    time_limit=settings.PDF_SOFT_TIME_LIMIT + 30, max_retries=3,
)  # fmt: skip
def render_document(self, document_id: int) -> str:
    """Render one PDF. Database hiccups are retried with backoff; any other failure is recorded on
    the document (status "failed" with its reason) for a person to retry from the page."""
    from django.db import InterfaceError, OperationalError

    from reporting.documents import document_render
    from reporting.models import Document

    document = Document.objects.select_related("plan", "report").filter(pk=document_id).first()
    if document is None or document.status == Document.Status.DONE:
        return "skipped"  # deleted, or already rendered by an earlier delivery (acks_late)
    try:
        # In the language of the person who asked: words, names' script, dates and amounts.
        with translation.override(document.language):
            document_render(document)
    except (OperationalError, InterfaceError) as exc:
        raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc
    except Exception:  # noqa: BLE001 - recorded on the document by document_render
        return "failed"
    return "done"
