"""Celery tasks of reporting: thin, they load rows and call a service."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.utils import timezone, translation

from reporting import document_kinds, reminders
from reporting.documents import (
    RENDER_TASK,
    DocumentFailed,
    document_fail_pending,
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

# Waits between deliveries while the database does not answer (a restart, a failover, "too many
# clients"): 2 + 4 + ... + 64 = 126 s in all, well past a 30-second outage.
DATABASE_RETRY_DELAYS = (2, 4, 8, 16, 32, 64)


@shared_task(
    name=RENDER_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.PDF_SOFT_TIME_LIMIT,
    time_limit=settings.PDF_HARD_TIME_LIMIT,
    max_retries=len(DATABASE_RETRY_DELAYS),
)
def render_document(self, document_id: int) -> str:
    """Render one PDF. A database that does not answer, at any query of the task, is waited for
    with backoff (DATABASE_RETRY_DELAYS) and then recorded as the reason; any other failure is
    recorded on the document (status "failed" with its reason) for a person to retry from the page."""
    try:
        document = Document.objects.select_related(*document_kinds.KINDS).filter(pk=document_id).first()
        if document is None or document.status in {Document.Status.DONE, Document.Status.FAILED}:
            return "skipped"  # deleted, rendered by an earlier delivery (acks_late), or given up
        # Renders started minus deliberate retries: the renders lost with their worker.
        lost = document.attempts - self.request.retries
        if document.status == Document.Status.RENDERING and lost >= LOST_RENDERS_LIMIT:
            # Redelivered after its worker died again: a document that kills workers stops here.
            document_give_up(document=document, attempts=document.attempts)
            raise DocumentFailed(f"document {document_id}: render lost {document.attempts} times")
        # In the language of the person who asked: words, names' script, dates and amounts.
        with translation.override(document.language):
            document_render(document)
    except (OperationalError, InterfaceError) as exc:
        connection.close()  # a dead connection is not reused by the next delivery
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=DATABASE_RETRY_DELAYS[self.request.retries]) from exc
        # The database is still away: the failure is recorded when it answers again.
        record_document_failure.apply_async(
            args=[document_id, f"{exc.__class__.__name__}: {exc}"], countdown=DATABASE_RETRY_DELAYS[-1]
        )
        raise DocumentFailed(f"document {document_id}: the database did not answer") from exc
    except DocumentFailed:
        raise
    except Exception as exc:
        raise DocumentFailed(f"document {document_id}: {exc.__class__.__name__}: {exc}") from exc
    return "done"


@shared_task
def sweep_stale_documents() -> int:
    """Every few minutes (Celery beat): documents that will never finish are marked failed."""
    return documents_sweep_stale()


@shared_task(
    acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=30, retry_backoff_max=300, max_retries=20
)
def record_document_failure(document_id: int, error: str) -> int:
    """A render given up while the database did not answer: its document, if still pending, is
    failed with the reason as soon as the database answers (the page then offers Retry)."""
    return document_fail_pending(document_id=document_id, error=error)
