"""The expert's final report as a printable document: its data and its entry in reporting's
registry of document kinds (reporting.document_kinds), which makes, lists and serves it.
Registered from StakeholdersConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from reporting.document_kinds import DocumentKind, register
from stakeholders.experts.selectors import final_report_context
from stakeholders.models import FinalReport


def final_report_document_context(report: FinalReport, reader: Any = None) -> dict[str, Any]:
    """The final report's print layout: its data, and the running header "<expert> · <contract>"."""
    report = FinalReport.objects.select_related("contract__expert").get(pk=report.pk)
    return final_report_context(report) | {
        "lsg": {"name": str(report.contract.expert)},
        "jmu": report.contract.title,
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
