"""The expert's final report as a printable document: its data and its entry in reporting's
registry of document kinds (reporting.document_kinds), which makes, lists and serves it.
Registered from StakeholdersConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from reporting.document_kinds import DocumentKind, register
from reporting.official import person_name
from stakeholders.experts.selectors import final_report_context
from stakeholders.models import FinalReport


def final_report_document_context(report: FinalReport, reader: Any = None) -> dict[str, Any]:
    """The final report's print layout: its data, and the running header "<expert> · <contract>"."""
    report = FinalReport.objects.select_related("contract__expert").get(pk=report.pk)
    # The signature lines: the expert on the day they submitted it, the officer who accepted it.
    steps = {
        step.to_status: step
        for step in report.transitions.filter(
            to_status__in=[FinalReport.Status.SUBMITTED, FinalReport.Status.ACCEPTED]
        )
        .select_related("actor")
        .order_by("at", "pk")
    }
    submitted = steps.get(FinalReport.Status.SUBMITTED)
    accepted = (
        steps.get(FinalReport.Status.ACCEPTED) if report.status == FinalReport.Status.ACCEPTED else None
    )
    return final_report_context(report) | {
        "lsg": {"name": str(report.contract.expert)},
        "jmu": report.contract.title,
        "author": person_name(report.contract.expert),
        "signed_on": submitted.at if submitted else None,
        "accepted_by": person_name(accepted.actor) if accepted else "",
        "accepted_at": accepted.at if accepted else None,
    }


register(
    DocumentKind(
        name="final_report",
        template="pdf/final_report.html",
        context=final_report_document_context,
        subjects=lambda user: FinalReport.objects.visible_to(user).select_related("contract__expert"),
        request_action="stakeholders.request_final_report_document",
        file_stem=lambda report: f"final-report-{report.contract.expert.username}-{report.contract.title}",
        page_url=lambda report: reverse("stakeholders:final-report", args=[report.contract_id]),
    )
)
