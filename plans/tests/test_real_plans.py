"""Real Serbian plans, entered without loss (issue 12): the shapes real LAPs and operational plans
are written in go in through the form and through the XLSX import, and come out unchanged in the
page, the export and the PDF; their totals equal hand-computed ones."""

import datetime
import io
import subprocess
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from jmu_planner.text import to_cyrillic
from plans import selectors, services
from plans.models import BudgetEnvelope, Indicator, Measure, OperationalPlan
from plans.spreadsheets import COLUMNS, ENGLISH_COLUMNS, KEYS, parse_plan_xlsx, plan_to_xlsx
from plans.tests.factories import BudgetLineFactory, MeasureFactory, PlanFactory, area, source
from plans.tests.helpers import snapshot, upload, version_of
from reporting import documents
from reporting.models import Document
from stakeholders.models import Institution
from stakeholders.tests.factories import InstitutionFactory

NATIONAL = "Ministarstvo prosvete"
OFFICE = "Kancelarija za ljudska i manjinska prava"


@pytest.fixture
def local(plan):
    return InstitutionFactory(lsg=plan.jmu.lsg, name="Odeljenje za društvene delatnosti")


def envelope_post(plan):
    return {
        "envelopes-TOTAL_FORMS": "1",
        "envelopes-INITIAL_FORMS": "0",
        "envelopes-0-name": "LAP 2027",
        "envelopes-0-year": "2027",
        "envelopes-0-source": source("lsg-budget").pk,
        "envelopes-0-amount": "2.000.000,00",
    }


def scholarship_post(plan, local, envelope):
    """A measure as a real plan writes it: several areas, bodies and partners, targets with
    qualifiers and milestones, a school year, EUR money and a unit cost drawn from an envelope."""
    national = Institution.objects.get(lsg=None, name=NATIONAL)
    office = Institution.objects.get(lsg=None, name=OFFICE)
    return {
        "area": area(1).pk,
        "secondary_areas": [area(4).pk],
        "title": "Stipendije za romske učenike srednjih škola",
        "objective": "Povećan obuhvat romske dece srednjim obrazovanjem",
        "objective_reference": "Strategija 1.3",
        "lap_measure_number": "1.2.3",
        "activities": "Konkurs, izbor, mesečna isplata",
        "responsible": local.pk,
        "co_responsible": [national.pk],
        "partner_institutions": [office.pk],
        "partners": "romske organizacije civilnog društva",
        "start_month": "2027-01",
        "end_month": "2027-06",
        "period_text": "školska 2026/2027. godina",
        "target_group": "romski učenici srednjih škola",
        "financing": "new",
        "notes": "Isplata do 15. u mesecu",
        "lock_version": 0,
        "indicators-TOTAL_FORMS": "3",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-name": "Broj stipendiranih učenika",
        "indicators-0-unit": "učenika",
        "indicators-0-type": "number",
        "indicators-0-baseline": "18",
        "indicators-0-baseline_year": "2025",
        "indicators-0-baseline_source": "evidencija Odeljenja",
        "indicators-0-target_qualifier": "at_least",
        "indicators-0-target": "25",
        "indicators-0-breakdown": "sex",
        "indicators-0-aggregation": "max",
        "indicators-0-means_of_verification": "rešenja o stipendijama",
        "indicators-1-name": "Stopa napuštanja škole",
        "indicators-1-unit": "%",
        "indicators-1-type": "percentage",
        "indicators-1-baseline": "12,5",
        "indicators-1-baseline_year": "2024",
        "indicators-1-baseline_source": "školska evidencija",
        "indicators-1-target_qualifier": "at_most",
        "indicators-1-target": "5",
        "indicators-1-breakdown": "none",
        "indicators-1-aggregation": "",
        "indicators-2-name": "Otvoren centar za učenje",
        "indicators-2-unit": "da/ne",
        "indicators-2-type": "yes_no",
        "indicators-2-baseline": "ne",
        "indicators-2-target": "da",
        "indicators-2-target_milestone": "centar otvoren",
        "indicators-2-target_date": "2027-09-30",
        "indicators-2-breakdown": "none",
        "indicators-2-aggregation": "",
        "budget-TOTAL_FORMS": "3",
        "budget-INITIAL_FORMS": "0",
        "budget-0-source": source("lsg-budget").pk,
        "budget-0-category": "support",
        "budget-0-description": "Stipendije",
        "budget-0-currency": "RSD",
        "budget-0-unit_cost": "5.000",
        "budget-0-quantity": "25",
        "budget-0-periods": "10",
        "budget-0-envelope": envelope.pk,
        "budget-1-source": source("donor").pk,
        "budget-1-category": "services",
        "budget-1-description": "Mentorska podrška",
        "budget-1-currency": "EUR",
        "budget-1-exchange_rate": "117.2",
        "budget-1-amount_in_currency": "2.000,00",
        "budget-2-source": source("sctm").pk,
        "budget-2-category": "services",
        "budget-2-description": "Prevoz",
        "budget-2-currency": "RSD",
        "budget-2-amount": "300.000,00",
    }


def housing_post(plan, local, envelope):
    return {
        "area": area(5).pk,
        "title": "Legalizacija stambenih objekata",
        "financing": "new",
        "lock_version": 0,
        "start_month": "2027-10",
        "end_month": "2027-12",
        "period_text": "Q4",
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
        "budget-TOTAL_FORMS": "2",
        "budget-INITIAL_FORMS": "0",
        "budget-0-source": source("lsg-budget").pk,
        "budget-0-category": "services",
        "budget-0-currency": "RSD",
        "budget-0-amount": "500000",
        "budget-0-envelope": envelope.pk,
        "budget-1-source": source("donor").pk,
        "budget-1-category": "services",
        "budget-1-currency": "USD",
        "budget-1-exchange_rate": "108.5",
        "budget-1-amount_in_currency": "1000",
    }


@pytest.fixture
def real_plan(client, users, plan, local):
    """The plan entered by hand, through the pages."""
    client.force_login(users["coordinator"])
    response = client.post(reverse("plans:plan-envelopes", args=[plan.pk]), envelope_post(plan))
    assert response.status_code == 302
    envelope = BudgetEnvelope.objects.get(plan=plan)
    for post in (scholarship_post(plan, local, envelope), housing_post(plan, local, envelope)):
        response = client.post(reverse("plans:measure-create", args=[plan.pk]), post)
        assert response.status_code == 302, response.context["form"].errors
    return plan


def test_a_real_measure_goes_in_through_the_form_as_written(real_plan):
    scholarship, housing = selectors.measures_with_details(real_plan)
    assert scholarship.code == "1.1" and housing.code == "5.1"
    assert [a.number for a in scholarship.secondary_area_list] == [4]
    assert [i.name for i in scholarship.co_responsible_list] == [NATIONAL]
    assert scholarship.timing == "školska 2026/2027. godina" and housing.timing == "Q4"
    count, rate, milestone = scholarship.indicator_list
    assert (count.target_qualifier, count.target, count.baseline_year) == ("at_least", 25, 2025)
    # The roll-up rule defaults by type: a percentage and a yes/no are never summed.
    assert (rate.aggregation, milestone.aggregation, count.aggregation) == ("latest", "latest", "max")
    assert rate.baseline == Decimal("12.5") and milestone.target_date == datetime.date(2027, 9, 30)
    grants, mentoring, transport = scholarship.line_list
    # 25 scholarships × 5,000 RSD × 10 months; EUR 2,000 at 117.2.
    assert (grants.amount, grants.envelope.name) == (Decimal("1250000.00"), "LAP 2027")
    assert (mentoring.amount_in_currency, mentoring.amount) == (Decimal("2000.00"), Decimal("234400.00"))
    assert transport.amount == Decimal("300000.00") == transport.amount_in_currency


def test_totals_count_an_envelope_once_and_convert_currencies(real_plan):
    totals = selectors.plan_totals(
        selectors.measures_with_details(real_plan), selectors.plan_envelopes(real_plan), real_plan.eur_rate
    )
    # Outside the envelope: EUR 2,000 × 117.2 = 234,400 + 300,000 (SCTM) + USD 1,000 × 108.5 =
    # 108,500 → 642,900; the envelope once: 2,000,000 (not its lines' 1,250,000 + 500,000 too).
    assert totals.overall == Decimal("2642900.00")
    assert totals.overall_eur == Decimal("22550.34")  # 2,642,900 / 117.20
    assert totals.by_area == {area(1).pk: Decimal("1784400.00"), area(5).pk: Decimal("608500.00")}
    assert [(s.code, a) for s, a in totals.by_source] == [
        ("lsg-budget", Decimal("2000000.00")),
        ("sctm", Decimal("300000.00")),
        ("donor", Decimal("342900.00")),
    ]
    assert totals.by_currency == [("EUR", Decimal("2000.00")), ("USD", Decimal("1000.00"))]
    (use,) = totals.envelopes
    assert (use.drawn, use.remaining, use.measures) == (
        Decimal("1750000.00"),
        Decimal("250000.00"),
        ["1.1", "5.1"],
    )
    assert sum(a for _s, a in totals.by_source) == totals.overall


def test_the_page_the_export_and_the_pdf_show_it_as_written(client, users, real_plan):
    client.force_login(users["member"])
    page = client.get(reverse("plans:plan-detail", args=[real_plan.pk])).content.decode()
    for text in (
        "Also serves: 4. Social protection",
        "LAP measure 1.2.3",
        NATIONAL,
        OFFICE,
        "romske organizacije civilnog društva",
        "školska 2026/2027. godina",
        "Q4",
        "at least 25 učenika",
        "at most 5 %",
        "centar otvoren",
        "18 učenika (2025, evidencija Odeljenja)",
        "25 × 5,000.00 × 10 = 1,250,000.00 RSD",
        "EUR 2,000.00 @ 117.20 = 234,400.00 RSD",
        "from envelope LAP 2027",
        "2,642,900.00",
        "EUR 22,550.34",
        "Isplata do 15. u mesecu",
    ):
        assert text in page, text

    book = load_workbook(io.BytesIO(client.get(reverse("plans:plan-export", args=[real_plan.pk])).content))
    sheet = book["Mere"]
    assert [c.value for c in sheet[3]] == COLUMNS and len(COLUMNS) == 41
    first = dict(zip(KEYS, [c.value for c in sheet[4]], strict=True))
    assert first["target"] == "najmanje 25" and first["co_responsible"] == NATIONAL
    assert first["period_text"] == "školska 2026/2027. godina" and first["secondary_areas"] == "4"
    assert (first["unit_cost"], first["quantity"], first["periods"]) == (5000, 25, 10)
    second = dict(zip(KEYS, [c.value for c in sheet[5]], strict=True))
    assert (second["currency"], second["rate"], second["amount_in_currency"]) == ("EUR", 117.2, 2000)
    assert second["target"] == "najviše 5" and second["aggregation"] == "poslednja vrednost"
    assert [c.value for c in book["Budžetski okviri"][2]] == [
        "LAP 2027",
        2027,
        "Budžet JLS",
        2000000,
        None,
        None,
        None,
    ]

    document = Document.objects.create(plan=real_plan)
    documents.document_render(document)
    text = " ".join(
        subprocess.run(
            ["pdftotext", document.file.path, "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for shown in (
        "Stipendije za romske učenike srednjih škola",
        NATIONAL,
        "školska 2026/2027. godina",
        "at least 25",
        "centar otvoren",
        "1,250,000.00",
        "LAP 2027",
        "22,550.34",
        "Q4",
    ):
        assert shown in text, shown


ENVELOPES_SHEET = ("Envelopes", ["Envelope", "Year", "Funding source", "Amount (RSD)"])


def workbook(header, rows, envelopes=None, envelopes_sheet=ENVELOPES_SHEET) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Plan"])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(key) for key in KEYS])
    if envelopes:
        title, columns = envelopes_sheet
        extra = book.create_sheet(title)
        extra.append(columns)
        for row in envelopes:
            extra.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# The plan's lookups as a person types them: English words, or Serbian ones in Cyrillic (the
# catalogue keeps them in Latin). The plan's own text is the same in both.
TYPED = {
    "english": {
        "header": ENGLISH_COLUMNS,
        "envelopes_sheet": ENVELOPES_SHEET,
        "area 1": "1. Education",
        "area 5": "5. Housing",
        "responsible": "Odeljenje za društvene delatnosti",
        "national": NATIONAL,
        "office": OFFICE,
        "new": "new",
        "number": "number",
        "percentage": "percentage",
        "yes/no": "yes/no",
        "at least": "at least 25",
        "at most": "at most 5",
        "no": "no",
        "yes": "yes",
        "by sex": "by sex",
        "maximum": "maximum",
        "lsg budget": "LSG budget",
        "donor": "Donor",
        "sctm": "SCTM co-financing",
        "support": "direct support to beneficiaries",
        "services": "services",
        "rsd": "RSD",
        "eur": "EUR",
    },
    "cyrillic": {
        "header": [to_cyrillic(column) for column in COLUMNS],
        "envelopes_sheet": ("Коверте", ["Коверта", "Година", "Извор финансирања", "Износ (RSD)"]),
        "area 1": "1. Образовање",
        "area 5": "5. Становање",
        "responsible": "Одељење за друштвене делатности",
        "national": to_cyrillic(NATIONAL),
        "office": to_cyrillic(OFFICE),
        "new": "НОВА",
        "number": "број",
        "percentage": "проценат",
        "yes/no": "да/не",
        "at least": "најмање 25",
        "at most": "највише 5",
        "no": "не",
        "yes": "да",
        "by sex": "по полу",
        "maximum": "највећа вредност",
        "lsg budget": "Буџет ЈЛС",
        "donor": "Донатор",
        "sctm": "Суфинансирање СКГО",
        "support": "директна подршка корисницима",
        "services": "услуге",
        "rsd": "РСД",
        "eur": "ЕУР",
    },
}


@pytest.mark.parametrize("typed", ["english", "cyrillic"])
def test_the_same_plan_typed_in_a_spreadsheet_imports_the_same(real_plan, typed):
    w = TYPED[typed]
    common = {"area": w["area 1"], "no": "1.1"}
    rows = [
        common
        | {
            "title": "Stipendije za romske učenike srednjih škola",
            "secondary_areas": "4",
            "objective": "Povećan obuhvat romske dece srednjim obrazovanjem",
            "objective_reference": "Strategija 1.3",
            "lap_measure_number": "1.2.3",
            "activities": "Konkurs, izbor, mesečna isplata",
            "responsible": w["responsible"],
            "co_responsible": w["national"],
            "partner_institutions": w["office"],
            "partners": "romske organizacije civilnog društva",
            "deadline": "01/2027–06/2027",
            "period_text": "školska 2026/2027. godina",
            "target_group": "romski učenici srednjih škola",
            "financing": w["new"],
            "notes": "Isplata do 15. u mesecu",
            "ind_name": "Broj stipendiranih učenika",
            "unit": "učenika",
            "ind_type": w["number"],
            "baseline": 18,
            "baseline_year": 2025,
            "baseline_source": "evidencija Odeljenja",
            "target": w["at least"],
            "breakdown": w["by sex"],
            "aggregation": w["maximum"],
            "verification": "rešenja o stipendijama",
            "source": w["lsg budget"],
            "category": w["support"],
            "description": "Stipendije",
            "currency": w["rsd"],
            "unit_cost": 5000,
            "quantity": 25,
            "periods": 10,
            "envelope": "LAP 2027",
        },
        common
        | {
            "ind_name": "Stopa napuštanja škole",
            "unit": "%",
            "baseline": "12,5",
            "baseline_year": 2024,
            "baseline_source": "školska evidencija",
            "target": w["at most"],
            "ind_type": w["percentage"],
            "source": w["donor"],
            "category": w["services"],
            "description": "Mentorska podrška",
            "currency": w["eur"],
            "rate": 117.2,
            "amount_in_currency": 2000,
        },
        common
        | {
            "ind_name": "Otvoren centar za učenje",
            "unit": "da/ne",
            "ind_type": w["yes/no"],
            "baseline": w["no"],
            "target": w["yes"],
            "target_text": "centar otvoren",
            "target_date": "30.09.2027",
            "source": w["sctm"],
            "category": w["services"],
            "description": "Prevoz",
            "amount": 300000,
        },
        {
            "area": w["area 5"],
            "no": "5.1",
            "title": "Legalizacija stambenih objekata",
            "financing": w["new"],
            "deadline": "10/2027–12/2027",
            "period_text": "Q4",
            "source": w["lsg budget"],
            "category": w["services"],
            "amount": 500000,
            "envelope": "LAP 2027",
        },
        {
            "area": "5",
            "no": "5.1",
            "source": w["donor"],
            "category": w["services"],
            "currency": "USD",
            "rate": 108.5,
            "amount_in_currency": 1000,
        },
    ]
    target = version_of(real_plan)
    content = workbook(
        w["header"],
        rows,
        envelopes=[["LAP 2027", 2027, w["lsg budget"], 2000000]],
        envelopes_sheet=w["envelopes_sheet"],
    )
    preview = parse_plan_xlsx(upload(content), target)
    assert preview.errors == {} and preview.ok
    assert [m.status for m in preview.measures] == ["new", "new"]
    assert [e.data["name"] for e in preview.envelopes] == ["LAP 2027"]
    services.plan_import_apply(
        plan=target,
        actor=None,
        envelopes=[e.data for e in preview.envelopes],
        new=[m.values for m in preview.measures],
    )
    assert snapshot(target) == snapshot(real_plan)


def test_cyrillic_text_is_kept_as_written_and_an_unknown_cyrillic_word_is_named(plan):
    rows = [
        {
            "area": "1. Образовање",
            "no": "1.1",
            "title": "Стипендије за ромске ученике",
            "financing": "нова",
            "ind_name": "Број стипендиста",
            "unit": "ученика",
            "target": "најмање 25",
            "source": "Буџет ЈЛС",
            "amount": 1000,
        },
        {"area": "1", "no": "1.2", "title": "Менторска подршка", "source": "Непознат извор", "amount": 5},
    ]
    preview = parse_plan_xlsx(upload(workbook([to_cyrillic(c) for c in COLUMNS], rows)), plan)
    first = preview.measures[0].values
    assert first.data["title"] == "Стипендије за ромске ученике"
    assert first.indicators[0].data["name"] == "Број стипендиста"
    assert (first.indicators[0].data["target_qualifier"], first.indicators[0].data["target"]) == (
        "at_least",
        Decimal(25),
    )
    assert preview.errors == {5: ["Funding source: unknown source “Непознат извор”."]}


def test_export_then_import_changes_nothing(real_plan):
    before = snapshot(real_plan)
    history = Measure.history.filter(plan_id=real_plan.pk).count()
    content = plan_to_xlsx(
        real_plan, selectors.measures_with_details(real_plan), selectors.plan_envelopes(real_plan)
    )
    preview = parse_plan_xlsx(upload(content), real_plan)
    assert preview.errors == {} and preview.ok and preview.changes_nothing
    assert [m.status for m in preview.measures] == ["unchanged", "unchanged"] and preview.missing == []
    result = services.plan_import_apply(
        plan=real_plan,
        actor=None,
        envelopes=[e.data for e in preview.envelopes if e.status != "unchanged"],
        new=[m.values for m in preview.measures if m.status == "new"],
        changed=[(m.existing, m.values) for m in preview.measures if m.status == "changed"],
    )
    assert (result.created, result.updated, result.removed) == ([], [], 0)
    assert snapshot(real_plan) == before
    assert Measure.history.filter(plan_id=real_plan.pk).count() == history

    # Into an empty version of the plan: the same plan again.
    target = version_of(real_plan)
    preview = parse_plan_xlsx(upload(content), target)
    services.plan_import_apply(
        plan=target,
        actor=None,
        envelopes=[e.data for e in preview.envelopes],
        new=[m.values for m in preview.measures],
    )
    assert snapshot(target) == before


def test_import_updates_by_number_adds_new_and_removes_only_if_asked(real_plan):
    content = plan_to_xlsx(
        real_plan, selectors.measures_with_details(real_plan), selectors.plan_envelopes(real_plan)
    )
    book = load_workbook(io.BytesIO(content))
    sheet = book["Mere"]
    title_col, target_col = KEYS.index("title") + 1, KEYS.index("target") + 1
    sheet.cell(row=4, column=title_col).value = "Stipendije za romske učenike (izmenjeno)"
    sheet.cell(row=4, column=target_col).value = "najmanje 30"
    sheet.delete_rows(7, 2)  # measure 5.1 gone
    sheet.append(
        [
            "2. Zapošljavanje",
            "2.7",
            "Sajam zapošljavanja",
            None,
            None,
            None,
            None,
            None,
            None,
            "04/2027",
            "nova",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    preview = parse_plan_xlsx(upload(out.getvalue()), real_plan)
    assert preview.errors == {}, preview.errors
    changed, added = preview.measures
    assert changed.status == "changed" and changed.status_label == "changed (Measure, indicator 1: Target)"
    assert added.status == "new"
    assert [m.code for m in preview.missing] == ["5.1"]
    services.plan_import_apply(
        plan=real_plan, actor=None, new=[added.values], changed=[(changed.existing, changed.values)]
    )
    measures = selectors.measures_with_details(real_plan)
    assert [m.code for m in measures] == ["1.1", "2.1", "5.1"]  # 5.1 stays: removal was not asked
    assert measures[0].indicator_list[0].target == 30 and measures[0].title.endswith("(izmenjeno)")
    assert len(measures[0].line_list) == 3  # its budget lines and indicators updated in place


def test_the_roll_up_rule_defaults_by_type_in_the_import(plan):
    rows = [
        {
            "area": "1",
            "no": "1.1",
            "title": "Obuhvat",
            "ind_name": "Obuhvat",
            "unit": "%",
            "baseline": 50,
            "target": 70,
        }
    ]
    preview = parse_plan_xlsx(upload(workbook(COLUMNS, rows)), plan)
    (indicator,) = preview.measures[0].values.indicators
    assert (indicator.data["type"], indicator.data["aggregation"]) == ("percentage", "latest")


def test_a_sum_of_percentages_is_refused_in_the_form(client, users, plan, local):
    client.force_login(users["coordinator"])
    data = {
        "area": area(1).pk,
        "title": "Obuhvat",
        "financing": "new",
        "lock_version": 0,
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-name": "Obuhvat",
        "indicators-0-unit": "%",
        "indicators-0-type": "percentage",
        "indicators-0-target": "70",
        "indicators-0-breakdown": "none",
        "indicators-0-aggregation": "sum",
        "budget-TOTAL_FORMS": "0",
        "budget-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("plans:measure-create", args=[plan.pk]), data)
    assert response.status_code == 200 and "is not added up" in response.content.decode()
    assert not plan.measures.exists()
    # A percentage made in code with the model's default rule is not summed either.
    measure = MeasureFactory(plan=plan)
    indicator = Indicator(measure=measure, name="Obuhvat", unit="%", type="percentage", target=70)
    indicator.full_clean()
    assert indicator.aggregation == "latest"


def test_an_amendment_does_not_count_the_sctm_co_financing_twice(plan):
    """EUR 10,000 of SCTM money in the adopted version; its draft amendment holds the same. The
    two-year total is 10,000 (the amendment replaces the version in force), not 20,000."""
    measure = MeasureFactory(plan=plan)
    BudgetLineFactory(measure=measure, source=source("sctm"), amount=Decimal("1172000"))  # 10,000 × 117.20
    BudgetLineFactory(measure=measure, source=source("lsg-budget"), amount=Decimal("1172000"))
    OperationalPlan.objects.filter(pk=plan.pk).update(status=OperationalPlan.Status.ADOPTED)
    plan.refresh_from_db()
    amendment = services.plan_copy(
        plan=plan,
        actor=None,
        title="Izmena",
        period_start=plan.period_start,
        period_end=plan.period_end,
        amendment_version=2,
    )

    def sctm_eur(p):
        return selectors.plan_cofinancing(
            p, selectors.plan_totals(selectors.measures_with_details(p))
        ).sctm_eur_two_years

    assert sctm_eur(amendment) == Decimal("10000.00")
    # Another plan of the LSG in the window still counts (its own SCTM money), once.
    other = PlanFactory(
        jmu=plan.jmu, period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )
    BudgetLineFactory(
        measure=MeasureFactory(plan=other, start_month=None, end_month=None),
        source=source("sctm"),
        amount=Decimal("117200"),
    )
    assert sctm_eur(amendment) == Decimal("11000.00")


def test_the_new_plan_form_defaults_to_the_first_year_without_a_plan(client, users, plan):
    client.force_login(users["coordinator"])
    # The fixture's plan is for 2027; one for 2028 too: the form offers 2029 (from next year on).
    PlanFactory(jmu=plan.jmu, period_start=datetime.date(2028, 1, 1), period_end=datetime.date(2028, 12, 31))
    first_free = max(timezone.localdate().year + 1, 2029)
    form = client.get(reverse("plans:plan-create")).context["form"]
    assert form.initial["period_start"] == datetime.date(first_free, 1, 1)
    assert str(first_free) in str(form.initial["title"])


def test_the_new_plan_form_counts_the_next_year_from_belgrade_new_year(client, users, monkeypatch):
    # 23:30 UTC on New Year's Eve is already 00:30 on 1 January 2031 in Belgrade (TIME_ZONE): the
    # next year is 2032 there, whatever the server's own clock or zone says.
    new_year_in_belgrade = datetime.datetime(2030, 12, 31, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: new_year_in_belgrade)
    client.force_login(users["coordinator"])
    form = client.get(reverse("plans:plan-create")).context["form"]
    assert form.initial["period_start"] == datetime.date(2032, 1, 1)


def test_the_pdf_area_total_is_a_last_row_not_a_repeated_footer(plan):
    from django.template.loader import render_to_string

    for _ in range(3):
        BudgetLineFactory(measure=MeasureFactory(plan=plan))
    context = documents.plan_context(plan)
    html = render_to_string(
        "pdf/plan.html", context | {"document": Document(plan=plan), "generated_at": timezone.now()}
    )
    matrix = html.split('class="matrix"')[1].split("</table>")[0]
    assert "<tfoot>" not in matrix and 'class="area-total"' in matrix.split("</tbody>")[0]


def test_an_envelope_lines_draw_on_cannot_be_deleted(client, users, real_plan):
    envelope = BudgetEnvelope.objects.get(plan=real_plan)
    data = envelope_post(real_plan) | {
        "envelopes-INITIAL_FORMS": "1",
        "envelopes-0-id": envelope.pk,
        "envelopes-0-DELETE": "on",
    }
    response = client.post(reverse("plans:plan-envelopes", args=[real_plan.pk]), data)
    assert response.status_code == 200 and "still has budget lines drawing on it" in response.content.decode()
    assert BudgetEnvelope.objects.filter(pk=envelope.pk).exists()


def test_the_import_page_removes_the_missing_measures_only_when_asked(client, users, real_plan):
    content = plan_to_xlsx(
        real_plan, selectors.measures_with_details(real_plan), selectors.plan_envelopes(real_plan)
    )
    book = load_workbook(io.BytesIO(content))
    book["Mere"].delete_rows(7, 2)  # measure 5.1 gone from the file
    out = io.BytesIO()
    book.save(out)
    url = reverse("plans:plan-import", args=[real_plan.pk])
    response = client.post(url, {"file": SimpleUploadedFile("plan.xlsx", out.getvalue())})
    page = response.content.decode()
    assert "unchanged" in page and "Also remove the plan's measures that the file does not have" in page
    assert "5.1 Legalizacija stambenih objekata" in page
    response = client.post(url, {"confirm": "1", "remove_missing": "1"})
    assert response.status_code == 302
    assert [m.code for m in real_plan.measures.select_related("area")] == ["1.1"]


@pytest.mark.parametrize("language", ["sr", "en"])
def test_an_export_made_in_either_script_or_english_imports_back_unchanged(real_plan, language):
    from django.utils import translation

    with translation.override(language):
        content = plan_to_xlsx(
            real_plan, selectors.measures_with_details(real_plan), selectors.plan_envelopes(real_plan)
        )
    preview = parse_plan_xlsx(upload(content), real_plan)
    assert preview.errors == {} and preview.file_error in (None, "")
    assert [m.status for m in preview.measures] == ["unchanged", "unchanged"]
