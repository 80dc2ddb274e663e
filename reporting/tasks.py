"""Celery tasks of reporting: thin, they load rows and call a service."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone, translation

from reporting import document_kinds, reminders
from reporting.documents import (
    RENDER_TASK,
    DocumentFailed,
    document_give_up,
    document_render,
    documents_sweep_stale,
)
from reporting.models import Document


@shared_task(acks_late=True)
def send_report_reminders(today: str | None = None) -> int:
    """Daily (Celery beat, at a fixed hour): remind coordinators of reports due soon and of overdue
    ones; each reminder once, days missed caught up (reporting.reminders)."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return reminders.send_reminders(
        today=day,
        days_before=settings.REPORT_REMINDER_DAYS_BEFORE,
        catch_up_days=settings.REPORT_REMINDER_CATCH_UP_DAYS,
    )


# A render lost this many times (its worker killed, the task redelivered) is not tried again.
LOST_RENDERS_LIMIT = 2


@shared_task(
    name=RENDER_TASK, bind=True, acks_late=True, reject_on_worker_lost=True,
    soft_time_limit=settings.PDF_SOFT_TIME_LIMIT, time_limit=settings.PDF_HARD_TIME_LIMIT, max_retries=3,
)  # fmt: skip
def render_document(self, document_id: int) -> str:
    """Render one PDF. Database hiccups are retried with backoff; any other failure is recorded on
    the document (status "failed" with its reason) for a person to retry from the page."""
    document = Document.objects.select_related(*document_kinds.KINDS).filter(pk=document_id).first()
    if document is None or document.status in {Document.Status.DONE, Document.Status.FAILED}:
        return "skipped"  # deleted, rendered by an earlier delivery (acks_late), or given up
    if document.status == Document.Status.RENDERING and document.attempts >= LOST_RENDERS_LIMIT:
        # Redelivered after its worker died again: a document that kills workers stops here.
        document_give_up(document=document, attempts=document.attempts)
        raise DocumentFailed(f"document {document_id}: render lost {document.attempts} times")
    try:
        # In the language of the person who asked: words, names' script, dates and amounts.
        with translation.override(document.language):
            document_render(document)
    except (OperationalError, InterfaceError) as exc:
        raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc
    except Exception as exc:
        raise DocumentFailed(f"document {document_id}: {exc.__class__.__name__}: {exc}") from exc
    return "done"


@shared_task
def sweep_stale_documents() -> int:
    """Every few minutes (Celery beat): documents that will never finish are marked failed."""
    return documents_sweep_stale()
