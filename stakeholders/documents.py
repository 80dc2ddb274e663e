"""Print layouts of the experts' documents, rendered by reporting's document pipeline
(reporting/documents.py: Document rows, Celery worker, WeasyPrint with the safe fetcher)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from stakeholders.engagement_selectors import final_report_context
from stakeholders.models import Engagement, FinalReport, Participant


def engagement_context(engagement: Engagement, reader=None) -> dict[str, Any]:
    """The engagement's (mentoring session) report in the learning cluster's template: 5 queries.
    With `reader` (who asked for the PDF), only the follow-ups and recommendations of the LSGs the
    reader may read besides the shared part, as on the page."""
    engagement = Engagement.objects.prefetch_related("lsgs").get(pk=engagement.pk)
    lsgs = list(engagement.lsgs.all())
    return {
        "engagement": engagement,
        "lsgs": lsgs,
        # The running header of pdf/base.html: "<LSG> · <subject>".
        "lsg": {"name": ", ".join(lsg.name for lsg in lsgs)},
        "jmu": engagement.get_type_display(),
        "participants": list(
            Participant.objects.filter(engagement=engagement).select_related("membership__institution")
        ),
        "follow_ups": list(
            engagement.followups.readable_parts(reader) if reader else engagement.followups.all()
        ),
        "recommendations": list(
            (
                engagement.recommendations.visible_to(reader) if reader else engagement.recommendations
            ).select_related("lsg")
        ),
        "is_draft": False,
    }


def expert_document_html(document) -> str:
    if document.engagement_id:
        template, context = (
            "pdf/engagement.html",
            engagement_context(document.engagement, reader=document.created_by),
        )
    else:
        report = FinalReport.objects.select_related("contract__expert").get(pk=document.final_report_id)
        template, context = "pdf/final_report.html", final_report_context(report)
        context |= {"lsg": {"name": str(report.contract.expert)}, "jmu": report.contract.title}
    context |= {"document": document, "generated_at": timezone.localtime()}
    return render_to_string(template, context)
