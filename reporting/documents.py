"""PDF documents of plans and reports: asked for in a request, rendered by a Celery worker.

The request only creates the Document row and enqueues the task after commit; the worker builds
the data (all queries happen here), renders the print template (which runs no queries) and
WeasyPrint turns it into a PDF stored through Django's storage.
"""

from __future__ import annotations

import datetime
import gc
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from celery import current_app
from django import db
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jmu_planner import figures, fragment_cache, i18n
from jmu_planner.script import html_for_reader
from plans.models import OperationalPlan
from plans.selectors import (
    LSG_MIN_SHARE,
    SCTM_MAX_EUR_TWO_YEARS,
    SCTM_MAX_SHARE,
    budget_annex,
    envelope_gaps,
    measures_with_details,
    names_in_force,
    plan_cofinancing,
    plan_envelopes,
    plan_totals,
)
from reporting import document_kinds, official, selectors, word_copies
from reporting.models import Document, FieldActivity, Report, ReportTransition
from stakeholders.models import JMUMembership, User

log = logging.getLogger(__name__)

# The name the render task is registered under (reporting.tasks). The service enqueues by name so
# that it does not import the task module, which imports this one (a task calls a service).
RENDER_TASK = "reporting.tasks.render_document"


class DocumentFailed(Exception):
    """The render failed and the reason is recorded on the document: the task ends in error (logged
    as a failure, not a success) and is not retried; a person retries from the page."""


def document_request(*, actor: User, **subject: Any) -> Document:
    """A new document of record, queued; the worker is asked once the transaction commits.

    `subject`: one keyword naming its kind (reporting.document_kinds): plan=, report=, engagement=
    or final_report=. A subject that can no longer change (its kind's `keep`) gets its PDF made
    before instead, when there is one (`kept_document`)."""
    ((name, target),) = subject.items()
    kind = document_kinds.KINDS[name]
    if (kept := kept_document(kind, target)) is not None:
        return kept
    document = Document.objects.create(
        **{kind.name: target},
        created_by=actor,
        subject_status=getattr(target, "status", ""),
        fingerprint=fragment_cache.code_fingerprint(),
    )
    transaction.on_commit(lambda: enqueue(document.pk))
    return document


def kept_document(kind: document_kinds.DocumentKind, subject: Any) -> Document | None:
    """The PDF of a version that can no longer change (adopted or superseded plans, with their
    reference snapshot: jmu_planner.fragment_cache.may_cache), made before in the asker's language by the
    code now running, its file still in storage: served again rather than rendered anew. Reports
    are always rendered: an accepted quarter's or year's figures come from months that may still
    be returned."""
    if not kind.keep(subject):
        return None
    found = (
        Document.objects.filter(
            **{kind.name: subject},
            status=Document.Status.DONE,
            language=i18n.current_language(),
            subject_status=subject.status,
            fingerprint=fragment_cache.code_fingerprint(),
        )
        .exclude(file="")
        .order_by("-finished_at", "-pk")
        .first()
    )
    if found is None or not found.file.storage.exists(found.file.name):
        return None
    return found


def document_retry(*, document: Document, actor: User) -> Document:
    """Ask again for a document that failed or went stale (its worker or its message was lost)."""
    document.status, document.error = Document.Status.QUEUED, ""
    document.status_changed_at = timezone.now()
    document.save(update_fields=["status", "error", "status_changed_at"])
    transaction.on_commit(lambda: enqueue(document.pk))
    return document


# One in-process render at a time: WeasyPrint's peak memory is per render (bench/pdf.py).
_IN_PROCESS = threading.Lock()


def _render_in_thread(document_id: int) -> None:
    try:
        with _IN_PROCESS:
            current_app.tasks[RENDER_TASK].apply(args=[document_id])
    except Exception:  # the task records its failure on the document; nothing else can be told here
        log.exception("Document %s: in-process render failed", document_id)
    finally:
        db.connections.close_all()


def enqueue(document_id: int) -> bool:
    """Hand the document to the PDF queue; when the queue is down it is failed with the reason
    (and can be retried from the page). Returns whether the queue took it.

    Without a broker (settings.PDF_RENDER_IN_THREAD) the render runs in a thread of this process,
    so the request that asked (this runs once it commits) answers at once instead of waiting."""
    if settings.PDF_RENDER_IN_THREAD:
        threading.Thread(
            target=_render_in_thread, args=[document_id], name=f"pdf-{document_id}", daemon=True
        ).start()
        return True
    try:
        current_app.tasks[RENDER_TASK].apply_async(args=[document_id], queue=settings.PDF_QUEUE)
    except DocumentFailed:
        return True  # rendered in-process (no broker) and failed: the reason is on the document
    except Exception as exc:
        log.exception("Could not enqueue document %s", document_id)
        _fail(document_id, _("The rendering queue is not reachable: %(error)s") % {"error": exc})
        return False
    return True


def _fail(document_id: int, reason: str) -> int:
    return Document.objects.filter(pk=document_id).update(
        status=Document.Status.FAILED,
        error=reason[:2000],
        finished_at=timezone.now(),
        status_changed_at=timezone.now(),
    )


def document_fail_pending(*, document_id: int, error: str) -> int:
    """Fail a document still queued or rendering because the database did not answer its worker."""
    log.error("Document %s: given up, the database did not answer (%s)", document_id, error)
    reason = _("The PDF could not be made: the database did not answer (%(error)s). Ask again.")
    return Document.objects.filter(
        pk=document_id, status__in=[Document.Status.QUEUED, Document.Status.RENDERING]
    ).update(
        status=Document.Status.FAILED,
        error=(reason % {"error": error})[:2000],
        finished_at=timezone.now(),
        status_changed_at=timezone.now(),
    )


def documents_sweep_stale(*, now: datetime.datetime | None = None) -> int:
    """Fail every document still queued or rendering DOCUMENT_STALE_AFTER seconds after its last
    status change: by then a lost render has had its redelivery (visibility timeout) and a full
    render; whatever is left will never finish. Returns how many were failed."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.DOCUMENT_STALE_AFTER)
    stale = Document.objects.filter(
        status__in=[Document.Status.QUEUED, Document.Status.RENDERING], status_changed_at__lt=cutoff
    )
    ids = list(stale.values_list("pk", flat=True))
    if ids:
        log.warning("Documents %s did not finish in time: marked failed", ids)
        stale.filter(pk__in=ids).update(
            status=Document.Status.FAILED,
            error=_("The PDF was not finished in time (its worker or the queue was lost). Ask again."),
            finished_at=now,
            status_changed_at=now,
        )
    return len(ids)


def document_give_up(*, document: Document, attempts: int) -> None:
    """A document whose render was lost `attempts` times (worker killed): failed, not retried forever."""
    log.error("Document %s: render lost %s times, giving up", document.pk, attempts)
    _fail(
        document.pk,
        _("The PDF could not be made: its rendering stopped %(count)s times.") % {"count": attempts},
    )


# --- The data each print template gets ---------------------------------------------------------------------


@dataclass
class AreaSection:
    area: Any
    measures: list
    total: Any


# A plan of more measures than this gets a cover page and a contents page: it runs past a few
# pages. A guess, checked after the render (`document_render` lays out the other form when wrong).
LONG_PLAN_MEASURES = 8
# A document of at most this many pages is "short": a heading on its first page, no cover, no contents.
SHORT_DOCUMENT_PAGES = 4


def plan_context(plan: OperationalPlan, reader: Any = None) -> dict[str, Any]:
    """Everything the plan's print layout shows, loaded here: 9 queries (the same for every reader)."""
    plan = OperationalPlan.objects.select_related("jmu__lsg__district").get(pk=plan.pk)
    measures = measures_with_details(plan)
    names_in_force(plan, measures)
    totals = plan_totals(measures, plan_envelopes(plan), plan.eur_rate)
    sections: dict[int, AreaSection] = {}
    for measure in measures:
        section = sections.setdefault(
            measure.area_id,
            AreaSection(area=measure.area, measures=[], total=totals.by_area.get(measure.area_id)),
        )
        section.measures.append(measure)
    members = list(
        JMUMembership.objects.filter(jmu_id=plan.jmu_id)
        .select_related("role", "institution")
        .order_by("role__position", "person_name")
    )
    today = timezone.localdate()
    return {
        "plan": plan,
        "lsg": plan.jmu.lsg,
        "jmu": plan.jmu,
        "members": [m for m in members if m.is_active_on(today)],
        "sections": list(sections.values()),
        "totals": totals,
        "communication": list(plan.communication.all()),
        "is_draft": plan.is_draft_document,
        "heading": official.plan_heading(plan),
        "signature": official.plan_signature(plan),
        "annex": budget_annex(measures, totals),
        "cofinancing": plan_cofinancing(plan, totals),
        "rule": {
            "sctm_max_share": SCTM_MAX_SHARE * 100,
            "lsg_min_share": LSG_MIN_SHARE * 100,
            "sctm_max_eur": SCTM_MAX_EUR_TWO_YEARS,
        },
        "long_form": len(measures) > LONG_PLAN_MEASURES,
        "front_pages": 2,  # the cover and the contents
    }


def report_context(report: Report, reader: Any = None) -> dict[str, Any]:
    """Everything the report's print layout shows. It leaves the LSG: counts from 1 to 4 read "<5",
    totals beside them are ranges, and no progress stands beside a hidden value (selectors.Reach.
    outside, IndicatorRow.*_outside: jmu_planner.figures)."""
    report = Report.objects.select_related("jmu__lsg", "plan").annotate(**envelope_gaps()).get(pk=report.pk)
    reach = selectors.people_reached(report)
    outside = reach.outside()
    activities = []
    if report.kind == Report.Kind.MONTHLY:
        activities = list(
            FieldActivity.objects.in_month_of(report).select_related("settlement").order_by("date", "pk")
        )
    # The people of each activity add up to the people of the month, which the age and sex table
    # also adds up: where a count is hidden in either, the two sums side by side would give it
    # back (their difference is the hidden counts' sum), so the people per activity are left out.
    people_per_activity = not any(
        figures.is_small(n) for n in [*reach.counts.values(), *(a.people for a in activities)]
    )
    # Who prepared it (its last submission) and who accepted it, and when: one query.
    steps = {
        step.to_status: step
        for step in ReportTransition.objects.filter(
            report=report, to_status__in=[Report.Status.SUBMITTED, Report.Status.ACCEPTED]
        )
        .select_related("actor")
        .order_by("at", "pk")
    }
    submitted, accepted = steps.get(Report.Status.SUBMITTED), steps.get(Report.Status.ACCEPTED)
    if report.status != Report.Status.ACCEPTED:
        accepted = None
    return {
        "report": report,
        "lsg": report.jmu.lsg,
        "jmu": report.jmu,
        "plan": report.plan,
        "indicators": selectors.rollup(report),
        "execution": selectors.budget_execution(report),
        "reach": outside,
        # The households of the activities add up to the month's: beside hidden ones, a range.
        "households": figures.hidden_total(a.households for a in activities)
        if activities
        else outside.households,
        "people_per_activity": people_per_activity,
        "activities": [
            {
                "date": a.date,
                "type": a.get_type_display(),
                "settlement": a.settlement,
                "people": figures.hidden(a.people),
                "households": figures.hidden(a.households),
                "note": a.note,
            }
            for a in activities
        ],
        "months": list(selectors.months_of(report).order_by("period_start")),
        "is_draft": report.status != Report.Status.ACCEPTED,
        # The JMU reports: its LSG's heading with the JMU as the body, dated when it was accepted.
        "heading": official.jmu_heading(report.jmu, date=accepted.at.date() if accepted else None),
        "prepared_by": official.person_name(submitted.actor) if submitted else "",
        "prepared_at": submitted.at if submitted else None,
        "accepted_by": official.person_name(accepted.actor) if accepted else "",
        "accepted_at": accepted.at if accepted else None,
        # A monthly or quarterly report is a few pages: a heading, no cover (checked after the render).
        "long_form": report.kind == Report.Kind.ANNUAL,
    }


# The PDF/A variant of a document of record (an adopted plan, an accepted report): every font
# embedded, its metadata in XMP, tagged for screen readers.
ARCHIVAL_VARIANT = "pdf/a-3b"


def archival_pdf(rendered) -> bytes:
    """The PDF/A of a rendered document (its title, author, subject and language from the layout's
    <title>, <meta> and lang), tagged for screen readers when settings.PDF_TAGGED and it has at most
    PDF_TAGGED_MAX_PAGES pages (tagging a very long one takes the worker past its memory aim)."""
    tagged = settings.PDF_TAGGED and len(rendered.pages) <= settings.PDF_TAGGED_MAX_PAGES
    return rendered.write_pdf(pdf_variant=ARCHIVAL_VARIANT, pdf_tags=tagged)


def document_page(document: Document) -> tuple[str, dict[str, Any]]:
    """The print layout as HTML, and the data it was made from."""
    kind = document.kind
    context = kind.context(document.subject, reader=document.created_by)
    context |= {"document": document, "generated_at": timezone.localtime()}
    return html_for_reader(render_to_string(kind.template, context)), context


def document_html(document: Document) -> str:
    """The print layout as HTML (the preview, and WeasyPrint's input), all of it in the
    reader's script: an official Cyrillic document is Cyrillic throughout (jmu_planner.script)."""
    return document_page(document)[0]


def _laid_out(document: Document):
    """The rendered WeasyPrint document, in its short form (a heading) or its long one (a cover and,
    for a plan, a contents page), whichever its length calls for: the context guesses, and a
    wrong guess is laid out again in the other form (a short document renders quickly)."""
    # WeasyPrint (and the fetcher built on it) is loaded by the process that renders, not by every
    # web worker and command that imports this module.
    from weasyprint import HTML

    from reporting.fetcher import PRINT_BASE_URL, StaticFilesFetcher

    html, context = document_page(document)
    heading = context.get("heading")
    # Only our static files (and the LSG's checked coat of arms) may be loaded: never the network,
    # never the server's other files.
    fetcher = StaticFilesFetcher(attachments=heading.attachments() if heading else None)
    rendered = HTML(string=html, base_url=PRINT_BASE_URL, url_fetcher=fetcher).render()
    if "long_form" in context:
        long_form = context["long_form"]
        front = context.get("front_pages", 1) if long_form else 0
        if (len(rendered.pages) - front <= SHORT_DOCUMENT_PAGES) == long_form:
            html = html_for_reader(
                render_to_string(document.kind.template, context | {"long_form": not long_form})
            )
            rendered = HTML(string=html, base_url=PRINT_BASE_URL, url_fetcher=fetcher).render()
    return rendered


def document_render(document: Document) -> Document:
    """Render and store the PDF; a failure is recorded with its reason and raised."""
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.RENDERING, attempts=document.attempts + 1, status_changed_at=timezone.now()
    )
    started = time.perf_counter()
    # WeasyPrint makes hundreds of thousands of objects that live for the whole render; the cyclic
    # collector would keep rescanning them, so it is paused during a render (about a third faster).
    # Its boxes are cyclic garbage afterwards. The collector used to resume while the rendered document
    # was still referenced: its first young pass then promoted all of it to the old generations, which
    # are seldom collected, and each render of a worker piled up on the previous ones (1.1 GB after
    # four renders of 500 measures). So the references are dropped first, and one pass over the young
    # generation (where everything made while paused still is) frees it all before the next render.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    rendered = None
    try:
        rendered = _laid_out(document)
        pages = len(rendered.pages)
        archival = document.kind.archival(document.subject)
        pdf = archival_pdf(rendered) if archival else rendered.write_pdf()
    except (OperationalError, InterfaceError):
        raise  # the database did not answer: the task waits for it and tries again
    except Exception as exc:
        log.exception("Document %s: rendering failed", document.pk)
        _fail(document.pk, f"{exc.__class__.__name__}: {exc}")
        raise
    finally:
        rendered = None
        gc.collect(0)
        if gc_was_enabled:
            gc.enable()
    name = slugify(document.kind.file_stem(document.subject))[:80] or "document"
    try:
        document.file.save(f"{name}-{document.pk}.pdf", ContentFile(pdf), save=False)
    except OSError as exc:
        # MEDIA_ROOT not writable, disk full: the PDF was made but cannot be kept.
        log.exception("Document %s: the PDF could not be stored", document.pk)
        _fail(document.pk, _("The PDF could not be stored: %(error)s") % {"error": exc})
        raise
    document.status, document.error = Document.Status.DONE, ""
    document.pages = pages
    document.render_ms = int((time.perf_counter() - started) * 1000)
    document.finished_at = document.status_changed_at = timezone.now()
    document.save(
        update_fields=["file", "status", "error", "pages", "render_ms", "finished_at", "status_changed_at"]
    )
    return document


def jmu_file_stem(subject: OperationalPlan | Report) -> str:
    return f"{subject.jmu.lsg.name_lat}-{subject}"


def jmu_document_kind(name: str, model: type, *, page: str, **options: Any) -> document_kinds.DocumentKind:
    """A plan's or a report's kind: seen by whom sees its JMU's LSG, made by its authors and the
    programme officers, named after the LSG."""
    return document_kinds.DocumentKind(
        name=name,
        template=f"pdf/{name}.html",
        subjects=lambda user: model.objects.visible_to(user).select_related("jmu__lsg"),
        request_action="reporting.request_document",
        file_stem=jmu_file_stem,
        page_url=lambda subject: reverse(page, args=[subject.pk]),
        **options,
    )


document_kinds.register(
    jmu_document_kind(
        "plan",
        OperationalPlan,
        page="plans:plan-detail",
        context=plan_context,
        label=lambda plan: plan.title,
        keep=fragment_cache.may_cache,
        word=word_copies.plan_docx,
        archival=lambda plan: plan.was_adopted,
    )
)
document_kinds.register(
    jmu_document_kind(
        "report",
        Report,
        page="reporting:report-detail",
        context=report_context,
        word=word_copies.report_docx,
        archival=lambda report: report.status == Report.Status.ACCEPTED,
    )
)
