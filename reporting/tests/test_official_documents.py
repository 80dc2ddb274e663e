"""The PDFs read as the LSG's official documents (issue 25): the authority's heading, the decision's
number, the contents page, the budget annex, the signature block with "M.P.", short reports with a
heading in portrait, nothing printed under 8 pt, and PDF/A for documents of record."""

from __future__ import annotations

import datetime
import io
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from plans.models import OperationalPlan
from plans.tests.factories import (
    BudgetLineFactory,
    IndicatorFactory,
    MeasureFactory,
    PlanFactory,
    area,
    source,
)
from reporting import documents
from reporting.models import Document
from stakeholders.models import LSG
from stakeholders.services import lsg_update
from stakeholders.tests.factories import JMUFactory, LSGFactory

SHOTS = os.environ.get("PDF_SHOTS_DIR", "")  # set to keep page images of the PDFs rendered here


def png(width=40, height=50) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def adopted_plan(measures: int, *, lsg_type=LSG.Type.CITY, arms: bool = False) -> OperationalPlan:
    lsg = LSGFactory(name_lat="Kragujevac", name_cyr="Крагујевац", type=lsg_type)
    if arms:
        lsg_update(lsg=lsg, actor=None, data={"coat_of_arms": SimpleUploadedFile("grb.png", png())})
    plan = PlanFactory(
        jmu=JMUFactory(lsg=lsg), title="Operativni plan MMJ 2027", status=OperationalPlan.Status.ADOPTED,
        adopting_body=OperationalPlan.AdoptingBody.CITY_COUNCIL, adoption_number="06-12/2027-II",
        adoption_date=datetime.date(2027, 1, 20), signatory_name="Marija Petrović",
        signatory_function="Predsednica Gradskog veća",
    )  # fmt: skip
    for n in range(measures):
        measure = MeasureFactory(plan=plan, area=area(1 + n % 3), title=f"Mera broj {n + 1}",
                                 activities="Obilasci naselja i razgovori s roditeljima. " * 3)  # fmt: skip
        IndicatorFactory(measure=measure, name=f"Pokazatelj {n + 1}")
        BudgetLineFactory(measure=measure, source=source("lsg-budget"), amount=Decimal("30000.00") + n)
        BudgetLineFactory(measure=measure, source=source("sctm"), amount=Decimal("50000.00"))
    return plan


def render(subject, language="sr-latn", **kind) -> Document:
    document = Document.objects.create(**kind, subject_status=subject.status, language=language)
    with translation.override(language):
        documents.document_render(document)
    document.refresh_from_db()
    return document


def text(document: Document, *pages: int) -> str:
    args = ["pdftotext", "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run([*args, document.file.path, "-"], capture_output=True, text=True, check=True).stdout


def keep_shots(document: Document, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", document.file.path, str(Path(SHOTS) / name)], check=True
        )
        shutil.copy(document.file.path, Path(SHOTS) / f"{name}.pdf")


@pytest.mark.django_db
def test_smoke(reference_data):
    plan = adopted_plan(30, arms=True)
    document = render(plan, plan=plan)
    keep_shots(document, "plan-long")
    print(text(document)[:3000])
