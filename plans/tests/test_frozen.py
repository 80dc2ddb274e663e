"""Frozen means frozen: an adopted version keeps the reference values it was adopted with."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans import selectors
from plans.models import FundingSource, OperationalPlan, ThematicArea
from plans.tests.factories import BudgetLineFactory, IndicatorFactory, MeasureFactory, source
from plans.tests.helpers import adopt, through_approval
from reporting import documents
from reporting.models import Document
from stakeholders.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def financed(plan):
    """A plan of one measure: SCTM 5,100 and LSG 4,900 (51 % / 49 %), a named institution."""
    institution = InstitutionFactory(lsg=plan.jmu.lsg, name="Centar za socijalni rad Niš")
    measure = MeasureFactory(plan=plan, responsible=institution)
    IndicatorFactory(measure=measure)
    BudgetLineFactory(measure=measure, source=source("sctm"), amount=Decimal("5100.00"))
    BudgetLineFactory(measure=measure, source=source("lsg-budget"), amount=Decimal("4900.00"))
    return plan


def what_people_see(plan, client) -> dict:
    page = client.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    sheet = load_workbook(io.BytesIO(client.get(reverse("plans:plan-export", args=[plan.pk])).content))
    cells = " ".join(str(c.value) for ws in sheet.worksheets for row in ws.iter_rows() for c in row)
    pdf_html = documents.document_html(Document(plan=plan))
    cofinancing = selectors.plan_page(user=client.user, pk=plan.pk).cofinancing
    return {
        "cofinancing": (
            cofinancing.sctm,
            cofinancing.lsg,
            cofinancing.sctm_share,
            cofinancing.sctm_eur_two_years,
        ),
        "institution in page": "Centar za socijalni rad Niš" in page,
        "institution in pdf": "Centar za socijalni rad Niš" in pdf_html,
        "institution in xlsx": "Centar za socijalni rad Niš" in cells,
        "source in page": source("sctm").name_en in page,
        "source in pdf": source("sctm").name_en in pdf_html,
        "area in page": ThematicArea.objects.get(pk=plan.measures.get().area_id).name_en in page,
    }


def edit_the_reference_data(plan) -> None:
    sctm = source("sctm")
    FundingSource.objects.filter(pk=sctm.pk).update(share=FundingSource.Share.OTHER, name_en="Renamed source")
    plan.measures.get().responsible.__class__.objects.filter(pk=plan.measures.get().responsible_id).update(
        name="Preimenovana ustanova"
    )
    ThematicArea.objects.filter(pk=plan.measures.get().area_id).update(name_en="Renamed area")


def test_the_adopted_page_pdf_spreadsheet_and_cofinancing_keep_what_was_adopted(financed, users, client):
    client.force_login(users["officer"])
    client.user = users["officer"]
    adopt(through_approval(financed, users), users)
    financed.refresh_from_db()
    assert financed.status == OperationalPlan.Status.ADOPTED
    before = what_people_see(financed, client)
    assert before["cofinancing"][:3] == (Decimal("5100.00"), Decimal("4900.00"), Decimal("51.0"))
    assert all(value for key, value in before.items() if key != "cofinancing")

    edit_the_reference_data(financed)
    financed.refresh_from_db()
    after = what_people_see(financed, client)
    # The names looked up for the comparison are the snapshot's, read back from the plan.
    assert after["cofinancing"] == before["cofinancing"]
    assert after["institution in page"] and after["institution in pdf"] and after["institution in xlsx"]
    page = client.get(reverse("plans:plan-detail", args=[financed.pk])).content.decode()
    assert "Renamed source" not in page and "Preimenovana ustanova" not in page and "Renamed area" not in page


def test_a_draft_follows_the_reference_data(financed, users, client):
    """The contrast: a plan still being written shows today's names and shares."""
    client.force_login(users["coordinator"])
    edit_the_reference_data(financed)
    page = client.get(reverse("plans:plan-detail", args=[financed.pk])).content.decode()
    assert "Preimenovana ustanova" in page and "Renamed source" in page
    assert selectors.plan_page(user=users["coordinator"], pk=financed.pk).cofinancing.sctm == Decimal("0.00")


def test_co_responsible_bodies_and_partners_keep_their_adopted_names(financed, users, client):
    measure = financed.measures.get()
    co_lead = InstitutionFactory(lsg=financed.jmu.lsg, name="Nacionalna služba za zapošljavanje – filijala")
    partner = InstitutionFactory(lsg=financed.jmu.lsg, name="Udruženje Romkinja Osvit")
    measure.co_responsible.add(co_lead)
    measure.partner_institutions.add(partner)
    adopt(through_approval(financed, users), users)
    for institution in (co_lead, partner):
        institution.__class__.objects.filter(pk=institution.pk).update(name=f"Preimenovano {institution.pk}")
    client.force_login(users["officer"])
    page = client.get(reverse("plans:plan-detail", args=[financed.pk])).content.decode()
    pdf_html = documents.document_html(Document(plan=financed))
    for text in (page, pdf_html):
        assert "Nacionalna služba za zapošljavanje – filijala" in text and "Udruženje Romkinja Osvit" in text
        assert "Preimenovano" not in text
