"""The same indicators, computed through every output, give the same numbers everywhere.

One adopted plan for 2026 with seven indicators, each reported in January, February and March
(all submitted or accepted), read through the report page, the dashboard, the LSG profile, the
report's PDF, its XLSX, the cross-LSG CSV and XLSX exports and the API. The expected figures are
worked out by hand below; the published outputs show the same, except that a count from 1 to 4
reads "<5" and no progress or "met" stands beside it.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from jmu_planner.access import GlobalRole, Role
from plans.models import BudgetEnvelope, OperationalPlan
from plans.tests.factories import BudgetLineFactory, IndicatorFactory, MeasureFactory, PlanFactory
from reporting import dashboard, documents, selectors, services
from reporting.models import FieldActivity, IndicatorValue, Report
from stakeholders.tests.factories import JMUFactory, LSGFactory, user_with_role

YEAR = 2026
NOT_MEASURED = IndicatorValue.EmptyReason.NOT_MEASURED

# name: (type, rule, baseline, qualifier, target, [January, February, March]) → value, progress, met
INDICATORS = {
    # Rising from a baseline: latest 85.5; (85.5 − 72) ÷ (90 − 72) = 13.5 ÷ 18 = 75.0 % (was 95.0);
    # 85.5 < 90: not met.
    "Vakcinacija": ("percentage", "latest", D(72), "", D(90), [D(80), D("85.5"), None]),
    # Falling, at most 10 %: latest 15; (15 − 20) ÷ (10 − 20) = 50.0 %; 15 > 10: not met.
    "Osipanje": ("percentage", "latest", D(20), "at_most", D(10), [D(18), D(15), NOT_MEASURED]),
    # Sum, no baseline, at least 30: 10 + (empty on purpose) + 12 = 22; 22 ÷ 30 = 73.3 %; not met.
    "Upisani": ("number", "sum", None, "at_least", D(30), [D(10), NOT_MEASURED, D(12)]),
    # Maximum, no qualifier, rising: max 30; (30 − 5) ÷ (25 − 5) = 125.0 %; 30 ≥ 25: met.
    "Posete": ("number", "max", D(5), "", D(25), [D(20), D(30), D(10)]),
    # Average, at most 12: (10 + 11 + 12) ÷ 3 = 11; 11 ÷ 12 = 91.7 %; 11 ≤ 12: met.
    "Sastanci": ("number", "avg", None, "at_most", D(12), [D(10), D(11), D(12)]),
    # A small count: 1 + 2 = 3; 3 ÷ 30 = 10.0 %; "<5" outside, with no progress beside it.
    "Upućeni": ("number", "sum", None, "at_least", D(30), [D(1), D(2), None]),
    # A target in words: no progress, never met nor missed.
    "Centar": ("yes_no", "latest", None, "", None, [D(0), D(0), D(1)]),
}
EXPECTED = {  # name: (value, progress, met)
    "Vakcinacija": (D("85.50"), D("75.0"), False),
    "Osipanje": (D("15.00"), D("50.0"), False),
    "Upisani": (D("22.00"), D("73.3"), False),
    "Posete": (D("30.00"), D("125.0"), True),
    "Sastanci": (D("11.00"), D("91.7"), True),
    "Upućeni": (D("3.00"), D("10.0"), False),
    "Centar": (D("1.00"), None, None),
}
HIDDEN = {"Upućeni"}


def outside(name):
    """What a published output shows of EXPECTED[name]."""
    value, progress, met = EXPECTED[name]
    return ("<5", None, None) if name in HIDDEN else (value, progress, met)


@pytest.fixture
def world(db):
    plan = PlanFactory(
        jmu=JMUFactory(lsg=LSGFactory()),
        status=OperationalPlan.Status.ADOPTED,
        period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 12, 31),
    )
    measure = MeasureFactory(
        plan=plan, start_month=datetime.date(YEAR, 1, 1), end_month=datetime.date(YEAR, 12, 1)
    )
    line = BudgetLineFactory(measure=measure, amount=D("1000.00"))
    # A shared envelope no measure draws on yet: planned, and not yet split across measures.
    BudgetEnvelope.objects.create(
        plan=plan, name="LAP 2026", year=YEAR, source=line.source, amount=D("500.00")
    )
    indicators = {}
    for position, (name, (kind, rule, baseline, qualifier, target, _months)) in enumerate(INDICATORS.items()):
        indicators[name] = IndicatorFactory(
            measure=measure,
            name=name,
            type=kind,
            aggregation=rule,
            baseline=baseline,
            target_qualifier=qualifier,
            target=target,
            unit="%" if kind == "percentage" else "osoba",
            target_milestone="centar otvoren" if target is None else "",
            position=position,
        )
    users = {
        "coordinator": user_with_role(Role.COORDINATOR, plan.jmu.lsg),
        "officer": user_with_role(GlobalRole.PROGRAMME_OFFICER),
    }
    for month in (1, 2, 3):
        report = services.report_create(
            jmu=plan.jmu, kind="monthly", day=datetime.date(YEAR, month, 1), actor=users["coordinator"]
        )
        for name, (*_rest, months) in INDICATORS.items():
            given = months[month - 1]
            if given is NOT_MEASURED:
                IndicatorValue.objects.create(report=report, indicator=indicators[name], empty_reason=given)
            elif given is not None:
                IndicatorValue.objects.create(report=report, indicator=indicators[name], value=given)
        if month == 1:  # 3 boys and 10 women reached, in 2 households
            FieldActivity.objects.create(
                jmu=report.jmu, date=datetime.date(YEAR, 1, 5), households=2, male_0_17=3, female_18_64=10
            )
        Report.objects.filter(pk=report.pk).update(status=Report.Status.ACCEPTED)
    annual = services.report_create(
        jmu=plan.jmu, kind="annual", day=datetime.date(YEAR, 1, 1), actor=users["coordinator"]
    )
    return plan, annual, users


def figures_of(rows):
    return {row.indicator.name: (row.value, row.progress, row.met) for row in rows}


@pytest.mark.django_db
def test_every_output_shows_the_same_figures(client, world):
    plan, annual, users = world
    exact = EXPECTED
    published = {name: outside(name) for name in EXPECTED}
    translation.activate("en")

    # The report page (the LSG's own: exact), its progress shown with one decimal and its formula.
    client.force_login(users["coordinator"])
    response = client.get(reverse("reporting:report-detail", args=[annual.pk]))
    assert figures_of(response.context["page"].indicators) == exact
    html = response.content.decode()
    assert ">75.0 %</div>" in html and "(85.5 − 72) ÷ (90 − 72) = 75.0 %" in html
    assert "at most 10 %" in html  # the target column keeps its qualifier

    # The LSG profile: exact for the LSG's people, hidden for an officer.
    profile = reverse("dashboard:lsg-profile", args=[plan.jmu.lsg_id])
    page = client.get(profile).context["page"]
    assert page.exact and figures_of(page.indicators) == exact
    client.force_login(users["officer"])
    page = client.get(profile).context["page"]
    assert not page.exact
    shown = {r.indicator.name: (r.value_outside, r.progress_outside, r.met_outside) for r in page.indicators}
    assert shown == published

    # The programme dashboard: targets met by qualifier, a target in words counted in neither.
    board = dashboard.programme_dashboard(user=users["officer"], year=YEAR)
    row = next(r for r in board.rows if r.lsg.pk == plan.jmu.lsg_id)
    numeric = [name for name, (*_v, met) in EXPECTED.items() if met is not None]
    assert (row.figures.indicators, row.figures.reached) == (
        len(numeric),  # 6: all but the target in words
        sum(1 for name in numeric if EXPECTED[name][2]),  # 2: Posete, Sastanci
    )

    # The report's PDF: published.
    context = documents.report_context(annual)
    rows = {
        r.indicator.name: (r.value_outside, r.progress_outside, r.met_outside) for r in context["indicators"]
    }
    assert rows == published
    pdf_html = render_to_string("pdf/report.html", context)
    assert "75.0 %" in pdf_html and "10.0 %" not in pdf_html

    # The report's XLSX (leaves the LSG: published).
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("reporting:report-export", args=[annual.pk])).content)
    ).active
    start = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Indicator")
    xlsx = {}
    for r in range(start + 1, start + 1 + len(EXPECTED)):
        name = sheet.cell(r, 1).value.split(" ", 1)[1]
        value, progress, met = (sheet.cell(r, c).value for c in (2, 4, 5))
        xlsx[name] = (
            value if value in (None, "<5") else D(str(value)),
            None if progress is None else D(str(progress)),
            {"yes": True, "no": False}.get(met),
        )
    assert xlsx == published

    # The cross-LSG exports, CSV and XLSX, and the API.
    def read(value):
        return None if value in ("", None) else value if value == "<5" else D(str(value))

    url = reverse("reporting:export-download", args=["indicators", "csv"])
    text = b"".join(client.get(url).streaming_content).decode().removeprefix("\ufeff")
    exported = {
        r["Indicator"]: (
            read(r["Value to date"]),
            read(r["Progress %"]),
            {"yes": True, "no": False}.get(r["Target met"]),
        )
        for r in csv.DictReader(io.StringIO(text))
    }
    assert exported == published
    book = load_workbook(
        io.BytesIO(client.get(reverse("reporting:export-download", args=["indicators", "xlsx"])).content)
    ).active
    header = [c.value for c in book[1]]
    exported = {}
    for cells in book.iter_rows(min_row=2):
        r = dict(zip(header, (c.value for c in cells), strict=True))
        exported[r["Indicator"]] = (
            read(r["Value to date"]),
            read(r["Progress %"]),
            {"yes": True, "no": False}.get(r["Target met"]),
        )
    assert exported == published
    api = client.get(reverse("api:indicator-list"), {"year": YEAR}).json()["results"]
    assert {r["name"]: (read(r["value"]), read(r["progress"]), r["target_met"]) for r in api} == published


@pytest.mark.django_db
def test_every_output_gives_the_same_plan_total(client, world):
    """Lines 1,000.00 + an envelope of 500.00 no measure draws on = 1,500.00 everywhere, with the
    500.00 named as not yet split across measures (the dashboard, budget execution and version
    compare used to say 1,000.00 and the plan page 1,500.00, none saying what it left out)."""
    plan, annual, users = world
    translation.activate("en")
    client.force_login(users["coordinator"])
    totals = client.get(reverse("plans:plan-detail", args=[plan.pk])).context["totals"]
    assert (totals.overall, totals.not_split) == (D("1500.00"), D("500.00"))
    pdf_totals = documents.plan_context(plan)["totals"]
    assert (pdf_totals.overall, pdf_totals.not_split) == (D("1500.00"), D("500.00"))
    execution = client.get(reverse("reporting:report-detail", args=[annual.pk])).context["page"].execution
    assert execution.total.planned == D("1500.00") and execution.plan_total.not_split == D("500.00")
    assert documents.report_context(annual)["execution"].total.planned == D("1500.00")
    assert selectors.budget_execution(annual).total.planned == D("1500.00")  # without the annotation
    board = dashboard.programme_dashboard(user=users["officer"], year=YEAR)
    row = next(r for r in board.rows if r.lsg.pk == plan.jmu.lsg_id)
    assert (row.figures.planned, row.figures.not_split) == (D("1500.00"), D("500.00"))
    from plans.history import compare_plans

    comparison = compare_plans(plan, plan)
    assert (comparison.old_total, comparison.old_not_split) == (D("1500.00"), D("500.00"))


@pytest.mark.django_db
def test_every_published_output_hides_the_same_counts_the_same_way(client, world):
    """13 people: 3 boys 0-17 (hidden, "<5") and 10 women 18-64. An exact 13 beside the 10 would
    give the 3 back (13 − 10); every published output shows the range 10 + 1 … 10 + 4 = "11–14"
    and the 2 households as "<5"; the LSG's own report page shows 13 and 2."""
    _plan, annual, users = world
    translation.activate("en")
    client.force_login(users["coordinator"])
    page = client.get(reverse("reporting:report-detail", args=[annual.pk])).context["page"]
    assert (page.reach.people, page.reach.households) == (13, 2)

    context = documents.report_context(annual)
    assert (str(context["reach"].people), context["reach"].households) == ("11–14", "<5")
    assert context["reach"].counts["male_0_17"] == "<5" and context["reach"].counts["female_18_64"] == 10
    pdf_html = render_to_string("pdf/report.html", context)
    assert ">13<" not in pdf_html and "11–14" in pdf_html

    sheet = load_workbook(
        io.BytesIO(client.get(reverse("reporting:report-export", args=[annual.pk])).content)
    ).active
    cells = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2, max_row=9)}
    assert (cells["People reached"], cells["Households visited"]) == ("11–14", "<5")
    assert (cells["men/boys, 0-17"], cells["women/girls, 18-64"]) == ("<5", 10)

    url = reverse("reporting:export-download", args=["figures", "csv"])
    text = b"".join(client.get(url).streaming_content).decode().removeprefix("\ufeff")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert (row["People reached"], row["Households visited"], row["boys 0-17"]) == ("11–14", "<5", "<5")

    client.force_login(users["officer"])
    (found,) = client.get(reverse("api:figures-list"), {"year": YEAR}).json()["results"]
    assert (found["people"], found["households"], found["male_0_17"]) == ("11–14", "<5", "<5")


@pytest.mark.django_db
def test_progress_and_its_formula_use_the_serbian_decimal_comma(client, world):
    _plan, annual, users = world
    users["coordinator"].language = "sr-latn"  # the language pages are served in
    users["coordinator"].save(update_fields=["language"])
    client.force_login(users["coordinator"])
    with translation.override("sr-latn"):
        html = client.get(reverse("reporting:report-detail", args=[annual.pk])).content.decode()
        board = client.get(reverse("dashboard:lsg-profile", args=[_plan.jmu.lsg_id])).content.decode()
    for page in (html, board):
        assert "75,0 %" in page and "75.0 %" not in page
        assert "(85,5 − 72) ÷ (90 − 72) = 75,0 %" in page
