"""The scanned adoption decision: stored under a server-chosen .pdf name, streamed as a PDF download."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from jmu_planner.tests.pdfs import pdf_bytes
from plans.models import OperationalPlan


@pytest.fixture
def adopted(plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan.status = OperationalPlan.Status.ADOPTED
    plan.decision_bytes = pdf_bytes()
    plan.adoption_file.save("odluka.pdf.html", ContentFile(plan.decision_bytes), save=False)
    plan.save()
    return plan


def test_the_decision_is_streamed_as_a_pdf_with_a_safe_name(client, users, adopted):
    assert re.fullmatch(r"plans/adoptions/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", adopted.adoption_file.name)
    client.force_login(users["member"])
    response = client.get(reverse("plans:plan-decision", args=[adopted.pk]))
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == adopted.decision_bytes
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert re.fullmatch(r'inline; filename="decision-[a-z0-9-]+-v1\.pdf"', disposition), disposition
    assert "odluka" not in disposition and ".html" not in disposition
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("role", "status"), [("other_coordinator", 404), ("unassigned_expert", 404)])
def test_another_lsgs_decision_is_not_found(client, users, adopted, role, status):
    client.force_login(users[role])
    assert client.get(reverse("plans:plan-decision", args=[adopted.pk])).status_code == status


def test_no_decision_no_download(client, users, plan):
    client.force_login(users["coordinator"])
    assert client.get(reverse("plans:plan-decision", args=[plan.pk])).status_code == 404
