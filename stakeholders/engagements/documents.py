"""The engagement's (mentoring session) report as a printable document: its data and its entry in
reporting's registry of document kinds (reporting.document_kinds), which makes, lists and serves it.
Registered from StakeholdersConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from jmu_planner import access
from reporting.document_kinds import DocumentKind, register
from reporting.official import person_name
from stakeholders.engagements.selectors import engagement_list
from stakeholders.models import Engagement, Participant


def engagement_context(engagement: Engagement, reader: Any = None) -> dict[str, Any]:
    """The engagement's (mentoring session) report in the learning cluster's template: 5 queries.
    With `reader` (who asked for the PDF), only the follow-ups and recommendations of the LSGs the
    reader may read besides the shared part, as on the page."""
    engagement = (
        Engagement.objects.select_related("created_by").prefetch_related("lsgs").get(pk=engagement.pk)
    )
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
        # The signature lines: its author on the day it was held; the SCTM's line is signed on paper.
        "author": person_name(engagement.created_by),
        "signed_on": engagement.date,
    }


def engagement_documents_readable(user: Any) -> Q:
    """A shared engagement's PDF holds the parts its asker may read: it is the asker's (officers and
    administrators read every one); a one-LSG engagement's PDFs are read by all who see it."""
    if access.sees_everything(user):
        return Q()
    one_lsg = Engagement.objects.annotate(lsg_count=Count("lsgs")).filter(lsg_count=1)
    return Q(created_by_id=user.pk) | Q(engagement__in=one_lsg)


register(
    DocumentKind(
        name="engagement",
        template="pdf/engagement.html",
        context=engagement_context,
        subjects=lambda user: engagement_list(user=user),
        request_action="stakeholders.request_engagement_document",
        file_stem=lambda engagement: f"{engagement.date:%Y-%m-%d}-{engagement.type}-{engagement.title}",
        page_url=lambda engagement: reverse("stakeholders:engagement-detail", args=[engagement.pk]),
        label=lambda engagement: engagement.title,
        readable=engagement_documents_readable,
    )
)
