"""Publication: an adopted plan and an accepted annual report can be made public on the LSG's
public page (DOMAIN.md: the Law on the Planning System expects adopted planning documents to be
public), and taken down again with a reason. The writes (publish, unpublish) and the reads the
public pages make; nothing here ever reads a draft, a comment, an e-mail address or a field entry.

Each publish is a new Publication row, each unpublish closes it: the rows are the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jmu_planner import access, i18n
from jmu_planner.text import serbian_sort_key
from plans.models import OperationalPlan
from reporting import documents
from reporting.models import Document, Publication, Report
from stakeholders.models import LSG, User

PUBLISHED_PLAN_STATUSES = (OperationalPlan.Status.ADOPTED, OperationalPlan.Status.SUPERSEDED)


# --- Writes ---------------------------------------------------------------------------------------


def _subject_filter(subject: OperationalPlan | Report) -> dict[str, Any]:
    return {"plan": subject} if isinstance(subject, OperationalPlan) else {"report": subject}


@transaction.atomic
def publication_publish(*, subject: OperationalPlan | Report, actor: User) -> Publication:
    """Make an adopted plan or an accepted annual report public, and ask for its PDF (the one made
    before is served again for an adopted version: reporting.documents.kept_document)."""
    access.require(actor, "reporting.publish", subject)
    locked = type(subject).objects.select_for_update().get(pk=subject.pk)
    if Publication.objects.current().filter(**_subject_filter(locked)).exists():
        raise ValidationError(_("This is already published."))
    publication = Publication(**_subject_filter(locked), published_by=actor, published_at=timezone.now())
    publication.full_clean()
    publication.save()
    if not Document.objects.filter(
        **_subject_filter(locked), status=Document.Status.DONE, subject_status=locked.status
    ).exists():
        documents.document_request(actor=actor, **_subject_filter(locked))
    return publication


@transaction.atomic
def publication_unpublish(*, subject: OperationalPlan | Report, actor: User, reason: str) -> Publication:
    """Take a publication down, with who, when and why; the public pages no longer show it."""
    access.require(actor, "reporting.unpublish", subject)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is taken down.")})
    publication = Publication.objects.select_for_update().current().filter(**_subject_filter(subject)).first()
    if publication is None:
        raise ValidationError(_("This is not published."))
    publication.unpublished_at, publication.unpublished_by, publication.reason = timezone.now(), actor, reason
    publication.full_clean()
    publication.save(update_fields=["unpublished_at", "unpublished_by", "reason"])
    return publication


# --- Reads: the publication page of a subject ----------------------------------------------------


def publication_history(subject: OperationalPlan | Report) -> list[Publication]:
    """Every publishing of the subject, oldest first, with who did it: 1 query."""
    return list(
        Publication.objects.filter(**_subject_filter(subject)).select_related(
            "published_by", "unpublished_by"
        )
    )


# --- Reads: the public pages (no log-in) -----------------------------------------------------------


def published_plans() -> QuerySet[OperationalPlan]:
    """Adopted versions with a publication not taken down."""
    return OperationalPlan.objects.filter(
        status__in=PUBLISHED_PLAN_STATUSES,
        publications__unpublished_at__isnull=True,
        publications__isnull=False,
    ).distinct()


def published_reports() -> QuerySet[Report]:
    """Accepted annual reports with a publication not taken down."""
    return Report.objects.filter(
        kind=Report.Kind.ANNUAL,
        status=Report.Status.ACCEPTED,
        publications__unpublished_at__isnull=True,
        publications__isnull=False,
    ).distinct()


def public_lsgs() -> list[LSG]:
    """The LSGs with a published plan, in Serbian order, with how many: 1 query."""
    plans = published_plans().values("pk")
    lsgs = (
        LSG.objects.filter(jmus__plans__in=plans)
        .annotate(published=Count("jmus__plans", filter=Q(jmus__plans__in=plans), distinct=True))
        .select_related("district")
    )
    return sorted(lsgs, key=lambda lsg: serbian_sort_key(lsg.name))


@dataclass
class PublicDocument:
    subject: Any
    pdf: Document | None  # the PDF made of this version, in the reader's language when there is one


def _pdfs(field: str, subjects: list) -> dict[int, Document]:
    """The newest finished PDF of each subject made at its published status (adopted or accepted,
    never a draft's), the reader's language first: 1 query."""
    language = i18n.current_language()
    found: dict[int, Document] = {}
    rows = (
        Document.objects.filter(**{f"{field}__in": subjects}, status=Document.Status.DONE)
        .exclude(file="")
        .order_by("-finished_at", "-pk")
    )
    by_pk = {s.pk: s for s in subjects}
    for row in rows:
        subject = by_pk[getattr(row, f"{field}_id")]
        if row.subject_status != subject.status and not (
            field == "plan" and row.subject_status in PUBLISHED_PLAN_STATUSES
        ):
            continue
        best = found.get(subject.pk)
        if best is None or (best.language != language and row.language == language):
            found[subject.pk] = row
    return found


def public_lsg_page(lsg: LSG) -> dict[str, Any]:
    """What an LSG has published: its plans' versions with their decisions and files, its annual
    reports, and the programmes (with their donors) that supported it: 4 queries."""
    plans = list(
        published_plans().filter(jmu__lsg=lsg).select_related("jmu").order_by("-period_start", "-version")
    )
    reports = list(published_reports().filter(jmu__lsg=lsg).select_related("plan").order_by("-period_start"))
    plan_pdfs, report_pdfs = _pdfs("plan", plans), _pdfs("report", reports)
    return {
        "lsg": lsg,
        "plans": [PublicDocument(p, plan_pdfs.get(p.pk)) for p in plans],
        "reports": [PublicDocument(r, report_pdfs.get(r.pk)) for r in reports],
        "programmes": list(lsg.cohorts.all()),
    }


def public_report_page(report: Report) -> dict[str, Any]:
    """A published annual report's aggregate figures, small counts hidden (its PDF's data)."""
    context = documents.report_context(report)
    return {
        "report": context["report"],
        "lsg": context["lsg"],
        "plan": context["plan"],
        "reach": context["reach"],
        "indicators": context["indicators"],
        "execution": context["execution"],
    }


def public_pdf(field: str, subject) -> Document | None:
    return _pdfs(field, [subject]).get(subject.pk)


def public_version() -> str:
    """What the public pages' ETag depends on: every publication change and every finished PDF,
    with the reader's language: 2 queries, whatever the data's size."""
    published = Publication.objects.aggregate(last=Max("pk"), down=Max("unpublished_at"), count=Count("pk"))
    made = Document.objects.filter(status=Document.Status.DONE).aggregate(last=Max("finished_at"))
    language = i18n.current_language()
    return f"{language}-{published['last']}-{published['count']}-{published['down']}-{made['last']}"


__all__ = [
    "public_lsg_page",
    "public_lsgs",
    "public_pdf",
    "public_report_page",
    "public_version",
    "publication_history",
    "publication_publish",
    "publication_unpublish",
    "published_plans",
    "published_reports",
]
