"""One formatting path: Serbian writes 1.234.567,89 and 22.11.2026., English keeps its own; the
plan page (rows rendered in Python), the templates and the PDF all go through it."""

import datetime
import re
import subprocess
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from jmu_planner import i18n
from jmu_planner.access import GlobalRole
from jmu_planner.celery import app as celery_app
from plans.models import OperationalPlan
from plans.tests.factories import BudgetLineFactory, IndicatorFactory, MeasureFactory, PlanFactory, source
from reporting import documents
from reporting.models import Document
from stakeholders.tests.factories import JMUFactory, LSGFactory, user_with_role

DAY = datetime.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("language", "amount", "day", "count"),
    [
        ("sr-latn", "1.400.000,00", "22.11.2026.", "12.345"),
        ("sr", "1.400.000,00", "22.11.2026.", "12.345"),
        ("en", "1,400,000.00", "11/22/2026", "12,345"),
    ],
)
def test_the_python_helpers_format_in_the_active_language(language, amount, day, count):
    with translation.override(language):
        assert i18n.money(Decimal("1400000")) == amount
        assert i18n.money("1400000.004") == amount
        assert i18n.short_date(DAY) == day
        assert i18n.number(12345) == count
    assert i18n.money(None) == "—"


def test_small_and_negative_amounts():
    with translation.override("sr-latn"):
        assert i18n.money(Decimal("0")) == "0,00"
        assert i18n.money(Decimal("999.5")) == "999,50"
        assert i18n.money(Decimal("-1234567.891")) == "-1.234.567,89"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sr-latn", "22.11.2026. | 1.400.000,00 | 1.234.567,89 | 12,5"),
        ("sr", "22.11.2026. | 1.400.000,00 | 1.234.567,89 | 12,5"),
        ("en", "11/22/2026 | 1,400,000.00 | 1,234,567.89 | 12.5"),
    ],
)
def test_the_template_filters_format_in_the_active_language(language, expected):
    template = Template(
        '{% load plan_tags jmu_i18n %}{{ day|date:"SHORT_DATE_FORMAT" }} | {{ amount|money }} | '
        "{{ big|money }} | {{ rate }}"
    )
    context = Context({"day": DAY, "amount": 1400000, "big": Decimal("1234567.89"), "rate": Decimal("12.5")})
    with translation.override(language):
        assert template.render(context) == expected


@pytest.mark.parametrize("typed", ["22.11.2026.", "22.11.2026", "2026-11-22", "22.11.26."])
def test_date_fields_accept_serbian_dates(typed):
    with translation.override("sr-latn"):
        assert forms.DateField().clean(typed) == DAY


def test_ids_and_years_are_not_grouped():
    """Only amounts and counts are grouped: an id in an element's id or a year stays whole."""
    with translation.override("sr-latn"):
        assert Template("{{ pk }} {{ year }}").render(Context({"pk": 12345, "year": 2026})) == "12345 2026"


# --- A rendered page and the PDF ------------------------------------------------------------------


@pytest.fixture
def plan(db):
    lsg = LSGFactory(name_lat="Čačak test", name_cyr="Чачак тест")
    plan = PlanFactory(
        jmu=JMUFactory(lsg=lsg),
        title="Operativni plan za Čačak",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        eur_rate=Decimal("117.20"),
    )
    measure = MeasureFactory(
        plan=plan, start_month=datetime.date(2026, 2, 1), end_month=datetime.date(2026, 11, 1)
    )
    IndicatorFactory(measure=measure)
    BudgetLineFactory(measure=measure, source=source("lsg-budget"), amount=Decimal("1400000.00"))
    BudgetLineFactory(measure=measure, source=source("sctm"), amount=Decimal("34567.89"))
    return plan


@pytest.fixture
def officer(db):
    return user_with_role(GlobalRole.PROGRAMME_OFFICER)


@pytest.mark.parametrize(
    ("language", "row_amount", "total", "period", "area"),
    [
        ("sr-latn", "1.400.000,00", "1.434.567,89", "01.01.2026. – 31.12.2026.", "Obrazovanje"),
        ("sr", "1.400.000,00", "1.434.567,89", "01.01.2026. – 31.12.2026.", "Образовање"),
        ("en", "1,400,000.00", "1,434,567.89", "01/01/2026 – 12/31/2026", "Education"),
    ],
)
def test_the_plan_page_formats_amounts_and_dates_in_the_users_language(
    client, plan, officer, language, row_amount, total, period, area
):
    officer.language = language
    officer.save(update_fields=["language"])
    client.force_login(officer)
    page = client.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    row = re.search(r'<tr id="measure-\d+">.*?</tr>', page, re.S).group(0)  # rendered in Python
    assert row_amount in row
    assert f'id="total-overall">{total}<' in page
    assert period in page
    assert area in page
    other = "1,400,000.00" if language != "en" else "1.400.000,00"
    assert other not in page


def pdf_text(document: Document) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", document.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def eager():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.mark.parametrize(
    ("language", "amount", "day", "script", "lsg", "area"),
    [
        ("sr", "1.434.567,89", "01.01.2026.", "РЕПУБЛИКА СРБИЈА", "Чачак тест", "Образовање"),
        ("sr-latn", "1.434.567,89", "01.01.2026.", "REPUBLIKA SRBIJA", "Čačak test", "Obrazovanje"),
        ("en", "1,434,567.89", "01/01/2026", "REPUBLIC OF SERBIA", "Čačak test", "Education"),
    ],
)
def test_a_pdf_is_rendered_in_the_language_it_was_asked_in(
    plan, officer, eager, django_capture_on_commit_callbacks, language, amount, day, script, lsg, area
):
    OperationalPlan.objects.filter(pk=plan.pk).update(status=OperationalPlan.Status.ADOPTED)
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        document = documents.document_request(actor=officer, plan=plan)
    assert document.language == language  # kept on the record
    document.refresh_from_db()
    assert document.status == Document.Status.DONE, document.error
    assert document.language == language
    text = pdf_text(document)
    assert amount in text and day in text and lsg in text and area in text
    # The authority's heading and the section headings are in the document's language and script.
    assert script in text
    with translation.override(language):
        heading = translation.gettext("Measures")
    assert heading in text
    if language == "sr":
        assert re.fullmatch(r"[\u0400-\u04ff ]+", heading), "the Cyrillic catalogue lacks 'Measures'"


def test_a_worker_renders_in_the_documents_language_not_its_own(
    plan, officer, eager, django_capture_on_commit_callbacks
):
    """The request asked in Cyrillic; the worker runs with English active."""
    with translation.override("sr"):
        document = Document.objects.create(plan=plan, created_by=officer)
    assert document.language == "sr"
    from reporting.tasks import render_document

    with translation.override("en"):
        assert render_document.apply(args=[document.pk]).get() == "done"
    document.refresh_from_db()
    text = pdf_text(document)
    assert "1.434.567,89" in text and "Чачак тест" in text
    assert "1,434,567.89" not in text
