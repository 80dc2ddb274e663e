"""The engagement's (mentoring session) report as a printable document: its data and its entry in
reporting's registry of document kinds (reporting.document_kinds), which makes, lists and serves it.
Registered from StakeholdersConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from reporting.document_kinds import DocumentKind, register
from reporting.official import person_name
from stakeholders.engagements.selectors import engagement_list
from stakeholders.models import Engagement, Participant


def engagement_context(engagement: Engagement) -> dict[str, Any]:
    """The engagement's (mentoring session) report in the learning cluster's template: 5 queries."""
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
        "follow_ups": list(engagement.followups.all()),
        "recommendations": list(engagement.recommendations.select_related("lsg")),
        "is_draft": False,
        # The signature lines: its author on the day it was held; the SCTM's line is signed on paper.
        "author": person_name(engagement.created_by),
        "signed_on": engagement.date,
    }


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
    )
)
