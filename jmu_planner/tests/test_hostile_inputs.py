"""Hostile input is a message at the field (or an ignored filter), never a server error (issue 10).

The examples are the 500s seen in production mode; the Hypothesis runs send generated values
(control characters, huge strings, NaN and Infinity, huge and negative numbers, impossible dates,
Serbian-formatted numbers) to every form and every filter. Every request comes from a user who
may use the page, so a 403 or 404 would be a broken set-up, not a pass: a form answers with
itself and its errors (200, and then no row was added, removed or changed) or, when the
generated values happen to be valid, with a redirect after saving (302).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from jmu_planner import dates
from jmu_planner.access import GlobalRole, Role
from jmu_planner.forms import BoundedDateField, LocalizedDecimalField
from jmu_planner.numbers import parse_decimal
from plans import selectors as plan_selectors
from plans.models import BudgetLine, CommunicationItem, Indicator, Measure, OperationalPlan
from plans.spreadsheets import plan_to_xlsx
from plans.tests.factories import (
    BudgetLineFactory,
    IndicatorFactory,
    MeasureFactory,
    PlanFactory,
    area,
    source,
)
from reporting import services as report_services
from reporting.models import COUNT_FIELDS, FieldActivity, IndicatorValue, Report, Spending
from stakeholders.models import (
    JMU,
    LSG,
    Institution,
    InstitutionType,
    JMUMembership,
    MemberRole,
    Settlement,
)
from stakeholders.tests.factories import (
    PASSWORD,
    InstitutionFactory,
    JMUFactory,
    LSGFactory,
    MembershipFactory,
    SettlementFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

NON_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e999", "sNaN"]
BAD_YEARS = ["0", "-1", "99999999999999999999", "abc", "NaN", "1e999", "2026.5", "\x00"]
BAD_PAGES = ["abc", "0", "-1", "99999999999999999999", "1e999", "NaN", "²", "\x00", ""]


# --- The world every form works on ------------------------------------------------------------------


@dataclass
class World:
    lsg: LSG
    jmu: JMU
    draft: OperationalPlan  # 2027, being written
    adopted: OperationalPlan  # 2026, in force: reports are made against it
    measure: Measure
    report: Report  # monthly, March 2026
    indicators: dict[str, Indicator]
    line: BudgetLine
    settlement: Settlement
    institution: Institution
    membership: JMUMembership
    users: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def world(db) -> World:
    lsg = LSGFactory()
    jmu = JMUFactory(lsg=lsg)
    users = {
        "coordinator": user_with_role(Role.COORDINATOR, lsg),
        "officer": user_with_role(GlobalRole.PROGRAMME_OFFICER),
        "administrator": user_with_role(GlobalRole.ADMINISTRATOR),
    }
    draft = PlanFactory(jmu=jmu)
    measure = MeasureFactory(plan=draft)
    IndicatorFactory(measure=measure)
    BudgetLineFactory(measure=measure)
    adopted = PlanFactory(
        jmu=jmu,
        status=OperationalPlan.Status.ADOPTED,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    running = MeasureFactory(
        plan=adopted, start_month=datetime.date(2026, 1, 1), end_month=datetime.date(2026, 12, 1)
    )
    indicators = {
        "number": IndicatorFactory(measure=running, breakdown=Indicator.Breakdown.SEX_AGE),
        "percentage": IndicatorFactory(measure=running, type=Indicator.Type.PERCENTAGE, unit="%"),
        "yes_no": IndicatorFactory(
            measure=running, type=Indicator.Type.YES_NO, unit="da/ne", baseline=Decimal(0), target=Decimal(1)
        ),
    }
    line = BudgetLineFactory(measure=running, source=source("sctm"))
    report = report_services.report_create(
        jmu=jmu, kind="monthly", day=datetime.date(2026, 3, 1), actor=users["coordinator"]
    )
    return World(
        lsg=lsg,
        jmu=jmu,
        draft=draft,
        adopted=adopted,
        measure=measure,
        report=report,
        indicators=indicators,
        line=line,
        settlement=SettlementFactory(lsg=lsg),
        institution=InstitutionFactory(lsg=lsg),
        membership=MembershipFactory(jmu=jmu),
        users=users,
    )


def measure_data(world: World, measure: Measure | None = None) -> dict[str, Any]:
    return {
        "area": area(2).pk,
        "title": "Obuka za traženje posla",
        "financing": "new",
        "start_month": "2027-03",
        "end_month": "2027-10",
        "lock_version": measure.lock_version if measure else 0,
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-name": "Osobe upućene NSZ",
        "indicators-0-unit": "osoba",
        "indicators-0-type": "number",
        "indicators-0-baseline": "20",
        "indicators-0-target": "45",
        "indicators-0-breakdown": "sex",
        "indicators-0-aggregation": "sum",
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-0-source": source("sctm").pk,
        "budget-0-category": "services",
        "budget-0-amount": "200.000,00",
    }


@dataclass
class FormCase:
    url: str
    data: dict[str, Any]
    user: str | None  # None: anonymous (the log-in form)
    edited: list[Model] = field(default_factory=list)  # rows an update form would change

    @property
    def fields(self) -> list[str]:
        return [name for name in self.data if not name.endswith(("TOTAL_FORMS", "INITIAL_FORMS"))]


def form_cases(world: World) -> dict[str, FormCase]:
    """Every form a user types into, with data that is valid as it stands."""
    w = world
    values = {"value_" + str(i.pk): "12" for i in w.indicators.values()}
    values[f"value_{w.indicators['yes_no'].pk}"] = "1"
    for part in COUNT_FIELDS:
        values[f"{part}_{w.indicators['number'].pk}"] = "2"
    counts = dict.fromkeys(COUNT_FIELDS, "1")
    plan_fields = {
        "title": "Operativni plan 2029",
        "period_start": "2029-01-01",
        "period_end": "2029-12-31",
        "lap_name": "LAP",
        "lap_period": "2025-2030",
        "lap_adoption": "",
        "context": "Kontekst",
        "eur_rate": "117,20",
    }
    return {
        "plan-create": FormCase(
            reverse("plans:plan-create"), {"jmu": w.jmu.pk, **plan_fields}, "coordinator"
        ),
        "plan-update": FormCase(
            reverse("plans:plan-update", args=[w.draft.pk]),
            plan_fields | {"period_start": "2027-01-01", "period_end": "2027-12-31"},
            "coordinator",
            [w.draft],
        ),
        "plan-copy": FormCase(
            reverse("plans:plan-copy", args=[w.draft.pk]),
            {"title": "Kopija", "period_start": "2028-01-01", "period_end": "2028-12-31"},
            "coordinator",
        ),
        "plan-communication": FormCase(
            reverse("plans:plan-communication", args=[w.draft.pk]),
            {
                "communication-TOTAL_FORMS": "1",
                "communication-INITIAL_FORMS": "0",
                "communication-0-audience": "Roditelji",
                "communication-0-message": "Upis",
                "communication-0-channel": "Sastanci",
                "communication-0-timing": "Q1",
                "communication-0-responsible": "PA",
            },
            "coordinator",
        ),
        "measure-create": FormCase(
            reverse("plans:measure-create", args=[w.draft.pk]), measure_data(w), "coordinator"
        ),
        "measure-update": FormCase(
            reverse("plans:measure-update", args=[w.measure.pk]),
            measure_data(w, w.measure),
            "coordinator",
            [w.measure],
        ),
        "report-create": FormCase(
            reverse("reporting:report-create"),
            {"jmu": w.jmu.pk, "kind": "monthly", "month": "2026-04"},
            "coordinator",
        ),
        "report-values": FormCase(
            reverse("reporting:report-values", args=[w.report.pk]), values, "coordinator"
        ),
        "report-spending": FormCase(
            reverse("reporting:report-spending", args=[w.report.pk]),
            {f"line_{w.line.pk}": "1.500,50"},
            "coordinator",
        ),
        "report-narrative": FormCase(
            reverse("reporting:report-narrative", args=[w.report.pk]),
            {"achievements": "Upisano 12 dece", "problems": "", "proposals": "", "next_steps": "Nastavak"},
            "coordinator",
            [w.report],
        ),
        "activity-create": FormCase(
            reverse("reporting:activity-create"),
            {
                "jmu": w.report.jmu_id,
                "date": "2026-03-11",
                "type": "field_visit",
                "settlement": w.settlement.pk,
                "members": w.membership.pk,
                "areas": area(1).pk,
                "households": "5",
                **counts,
                "note": "Posete",
            },
            "coordinator",
        ),
        "lsg-update": FormCase(
            reverse("stakeholders:lsg-update", args=[w.lsg.pk]),
            {
                "code": w.lsg.code,
                "name_lat": w.lsg.name_lat,
                "name_cyr": w.lsg.name_cyr,
                "type": w.lsg.type,
                "district": w.lsg.district_id,
                "census_year": "2022",
                "population_male": "10000",
                "population_female": "10500",
                "roma_male": "600",
                "roma_female": "640",
                "development_level": "3",
            },
            "administrator",
            [w.lsg],
        ),
        "jmu-update": FormCase(
            reverse("stakeholders:jmu-update", args=[w.jmu.pk]),
            {
                "name": "Mobilni tim",
                "founding_body": w.jmu.founding_body,
                "decision_number": "06-1/2024",
                "decision_date": "2024-03-01",
                "mou_date": "2024-04-01",
                "status": "active",
            },
            "coordinator",
            [w.jmu],
        ),
        "membership-create": FormCase(
            reverse("stakeholders:membership-create", args=[w.jmu.pk]),
            {
                "person_name": "Ana Jović",
                "role": MemberRole.objects.get(code="csw").pk,
                "institution": w.institution.pk,
                "phone": "",
                "email": "",
                "since": "2024-05-01",
                "until": "",
            },
            "coordinator",
        ),
        "settlement-create": FormCase(
            reverse("stakeholders:settlement-create", args=[w.lsg.pk]),
            {
                "name": "Novo naselje",
                "kind": "informal",
                "latitude": "44,01234",
                "longitude": "20.9",
                "households": "40",
                "people": "160",
                "infrastructure_notes": "",
            },
            "coordinator",
        ),
        "institution-create": FormCase(
            reverse("stakeholders:institution-create", args=[w.lsg.pk]),
            {
                "type": InstitutionType.objects.get(code="csw").pk,
                "name": "Nova ustanova",
                "address": "",
                "phone": "",
                "email": "",
            },
            "coordinator",
        ),
        "password-change": FormCase(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "a-New-strong-passw0rd",
                "new_password2": "a-New-strong-passw0rd",
            },
            "coordinator",
            [w.users["coordinator"]],
        ),
    }


FORMS = [
    "plan-create",
    "plan-update",
    "plan-copy",
    "plan-communication",
    "measure-create",
    "measure-update",
    "report-create",
    "report-values",
    "report-spending",
    "report-narrative",
    "activity-create",
    "lsg-update",
    "jmu-update",
    "membership-create",
    "settlement-create",
    "institution-create",
    "password-change",
]

COUNTED = [
    OperationalPlan,
    Measure,
    Indicator,
    BudgetLine,
    CommunicationItem,
    Report,
    IndicatorValue,
    Spending,
    FieldActivity,
    LSG,
    JMU,
    JMUMembership,
    Settlement,
    Institution,
]


def state(edited: list[Model]) -> tuple:
    """Row counts of everything a form may write, and the rows an update form would change."""
    counts = tuple(model.objects.count() for model in COUNTED)
    rows = tuple(tuple(type(row).objects.filter(pk=row.pk).values()) for row in edited)
    return counts, rows


def post(client, world: World, case: FormCase, overrides: dict[str, Any]):
    """POST the case's data with `overrides`; a re-shown form must have saved nothing."""
    client.logout()
    if case.user:
        client.force_login(world.users[case.user])
    before = state(case.edited)
    response = client.post(case.url, case.data | overrides)
    assert response.status_code in (200, 302), (response.status_code, overrides)
    if response.status_code == 200:
        assert state(case.edited) == before, overrides
    return response


def serbian(number: Decimal) -> str:
    return f"{number:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


ODD_VALUES = [
    *NON_NUMBERS,
    "nan",
    "-sNaN",
    "inf",
    "-1e999",
    "1E+999999999",
    "99999999999999999999",
    "-99999999999999999999",
    "-1",
    "0",
    "0000-00-00",
    "2024-02-30",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2028-02-29",
    "00/0000",
    "13/2026",
    "2026-13",
    "0000-01",
    "9999-12",
    "5.000.000,00",
    "1.200",
    "12,5",
    "1,234.56",
    "1.2.3",
    "--3",
    "٣",
    "²",
    "\x00",
    "ab\x00c",
    " ",
    "",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202e",
    "🙂",
]

hostile = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(max_size=30),  # control characters and any other code point but surrogates
    st.builds(lambda char, times: char * times, st.characters(codec="utf-8"), st.integers(256, 70_000)),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(datetime.date.isoformat),
    st.decimals(min_value=-(10**13), max_value=10**13, places=2).map(serbian),
)

# Each example is a request: 15 of them, or fewer when the profile says so (conftest.py).
HOSTILE_SETTINGS = settings(
    max_examples=min(15, settings.default.max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


# --- Every form and every filter, with generated values ---------------------------------------------


def test_the_base_data_of_every_form_is_valid(client, world):
    """The generated runs start from valid data, so each hostile value is the one thing wrong."""
    cases = form_cases(world)
    for name in FORMS:
        response = post(client, world, cases[name], {})
        assert response.status_code == 302, (name, response.context and response.context.get("form").errors)


@pytest.mark.parametrize("name", FORMS)
@HOSTILE_SETTINGS
@given(data=st.data())
def test_no_form_answers_hostile_values_with_a_server_error(client, world, name, data):
    case = form_cases(world)[name]
    overrides = data.draw(st.dictionaries(st.sampled_from(case.fields), hostile, min_size=1, max_size=3))
    post(client, world, case, overrides)


@HOSTILE_SETTINGS
@given(username=hostile, password=hostile)
def test_the_login_form_answers_hostile_values_at_the_field(client, world, username, password):
    response = client.post(reverse("login"), {"username": username, "password": password})
    # 429: django-axes locks the name out after five failures; that is an answer, not an error.
    assert response.status_code in (200, 429)
    assert all(len(a.username or "") <= 255 for a in AccessAttempt.objects.all())


FILTERS = {
    "plans:plan-list": ("coordinator", ["lsg", "year", "status", "page"]),
    "reporting:report-list": ("coordinator", ["lsg", "kind", "status", "year", "page"]),
    "reporting:overdue": ("coordinator", ["lsg", "page"]),
    "stakeholders:lsg-list": ("coordinator", ["q", "district", "type", "has_jmu", "page"]),
    "plans:review-queue": ("officer", ["status", "lsg", "district", "page"]),
}


@pytest.mark.parametrize("name", list(FILTERS))
@HOSTILE_SETTINGS
@given(data=st.data())
def test_no_filter_answers_hostile_parameters_with_a_server_error(client, world, name, data):
    user, params = FILTERS[name]
    query = data.draw(st.dictionaries(st.sampled_from(params), hostile, min_size=1, max_size=3))
    client.force_login(world.users[user])
    response = client.get(reverse(name), query)
    # A page that does not exist is "not found"; everything else is the list, filtered or not.
    assert response.status_code == 200 or ("page" in query and response.status_code == 404), query


@HOSTILE_SETTINGS
@given(value=hostile)
def test_other_query_parameters_are_ignored_or_not_found(client, world, value):
    client.force_login(world.users["coordinator"])
    pages = [
        (reverse("plans:measure-create", args=[world.draft.pk]), {"area": value}, {200}),
        (reverse("plans:measure-row", args=[world.draft.pk, "indicators"]), {"index": value}, {200, 404}),
        (reverse("plans:plan-compare", args=[world.draft.pk]), {"with": value}, {200, 404}),
        (reverse("reporting:report-create"), {"jmu": value, "kind": value, "month": value}, {200}),
    ]
    for url, query, allowed in pages:
        assert client.get(url, query).status_code in allowed, (url, query)


# --- The 500s seen in production mode, one by one ---------------------------------------------------


# Each example test loops over its values: one set-up of the world instead of one per value.


@pytest.mark.parametrize("name", ["indicators-0-baseline", "indicators-0-target", "budget-0-amount"])
def test_non_numbers_in_a_measure_are_refused_at_the_field(client, world, name):
    for value in NON_NUMBERS:
        response = post(client, world, form_cases(world)["measure-create"], {name: value})
        formset = response.context["indicators" if name.startswith("indicators") else "budget_lines"]
        assert name.rsplit("-", 1)[1] in formset.errors[0], value
    assert world.draft.measures.count() == 1  # only the measure made by the fixture


def test_non_numbers_in_report_values_breakdowns_and_spending_are_refused_at_the_field(client, world):
    cases = form_cases(world)
    number = world.indicators["number"].pk
    for value in NON_NUMBERS:
        for name in (f"value_{number}", f"female_65_{number}", f"value_{world.indicators['percentage'].pk}"):
            response = post(client, world, cases["report-values"], {name: value})
            assert name in response.context["form"].errors, value
        response = post(client, world, cases["report-spending"], {f"line_{world.line.pk}": value})
        assert f"line_{world.line.pk}" in response.context["form"].errors, value
    assert not IndicatorValue.objects.exists() and not Spending.objects.exists()


def test_non_numbers_in_the_exchange_rate_and_coordinates_are_refused_at_the_field(client, world):
    cases = form_cases(world)
    for value in NON_NUMBERS:
        response = post(client, world, cases["plan-update"], {"eur_rate": value})
        assert "eur_rate" in response.context["form"].errors, value
        response = post(client, world, cases["settlement-create"], {"latitude": value})
        assert "latitude" in response.context["form"].errors, value


def test_serbian_numbers_are_saved_as_meant(client, world):
    cases = form_cases(world)
    overrides = {
        "indicators-0-baseline": "12,5",
        "indicators-0-target": "1.200",
        "budget-0-amount": "5.000.000,00",
    }
    assert post(client, world, cases["measure-create"], overrides).status_code == 302
    measure = world.draft.measures.latest("pk")
    indicator = measure.indicators.get()
    assert (indicator.baseline, indicator.target) == (Decimal("12.5"), Decimal("1200"))
    assert measure.budget_lines.get().amount == Decimal("5000000.00")
    assert (
        post(client, world, cases["report-spending"], {f"line_{world.line.pk}": "1.234,56"}).status_code
        == 302
    )
    assert Spending.objects.get().amount == Decimal("1234.56")
    assert post(client, world, cases["plan-update"], {"eur_rate": "117.175"}).status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.eur_rate == Decimal("117.175")  # four places: the dot is the decimal point


@pytest.mark.parametrize("url_name", ["plans:plan-list", "reporting:report-list"])
def test_a_bad_year_filter_is_a_message_at_the_field(client, world, url_name):
    client.force_login(world.users["coordinator"])
    for year in BAD_YEARS:
        response = client.get(reverse(url_name), {"year": year})
        assert response.status_code == 200, year
        assert "year" in response.context["filter"].form.errors, year
    # A year that is one still filters: the adopted 2026 plan and its March report.
    assert len(client.get(reverse(url_name), {"year": "2026"}).context["object_list"]) == 1
    assert len(client.get(reverse(url_name), {"year": "2031"}).context["object_list"]) == 0


@pytest.mark.parametrize("url_name", ["plans:plan-list", "reporting:report-list", "stakeholders:lsg-list"])
def test_a_bad_page_number_is_not_found_or_the_first_page(client, world, url_name):
    client.force_login(world.users["coordinator"])
    for page in BAD_PAGES:
        assert client.get(reverse(url_name), {"page": page}).status_code in (200, 404), page


def test_a_user_name_over_the_column_length_is_refused_at_the_field(client, world):
    response = client.post(reverse("login"), {"username": "x" * 300, "password": "wrong"})
    assert response.status_code == 200
    error = response.context["form"].errors.as_data()["username"][0]
    assert error.code == "max_length" and "150" in str(error.message % error.params)
    assert not AccessAttempt.objects.exists()
    # A name of ordinary length reaches django-axes, which records the failure.
    client.post(reverse("login"), {"username": "x" * 150, "password": "wrong"})
    assert AccessAttempt.objects.get().username == "x" * 150


def test_the_admin_login_refuses_a_long_user_name_too(client, world):
    response = client.post(reverse("admin:login"), {"username": "x" * 300, "password": "wrong"})
    assert response.status_code == 200 and not AccessAttempt.objects.exists()


def test_the_copy_page_of_a_plan_ending_on_29_february(client, db):
    lsg = LSGFactory()
    plan = PlanFactory(
        jmu=JMUFactory(lsg=lsg),
        title="Plan 2027/2028",
        period_start=datetime.date(2027, 3, 1),
        period_end=datetime.date(2028, 2, 29),
    )
    client.force_login(user_with_role(Role.COORDINATOR, lsg))
    response = client.get(reverse("plans:plan-copy", args=[plan.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert (form.initial["period_start"], form.initial["period_end"]) == (
        datetime.date(2028, 3, 1),
        datetime.date(2029, 2, 28),
    )


def test_a_plan_period_in_year_9999_is_refused_at_the_field(client, world):
    response = post(client, world, form_cases(world)["plan-update"], {"period_end": "9999-12-31"})
    assert "period_end" in response.context["form"].errors


def test_an_impossible_report_month_is_refused_at_the_field(client, world):
    for month in ["00/0000", "01/0000", "0000-01", "9999-12", "2026-13"]:
        response = post(client, world, form_cases(world)["report-create"], {"month": month})
        assert "month" in response.context["form"].errors, month


@pytest.mark.parametrize("column", [6, 7, 13])  # Baseline, Target, Amount (RSD)
def test_non_numbers_in_an_imported_matrix_are_row_errors(client, world, column):
    content = plan_to_xlsx(world.draft, plan_selectors.measures_with_details(world.draft))
    client.force_login(world.users["coordinator"])
    for value in [*NON_NUMBERS, "1.2.3", True]:
        book = load_workbook(io.BytesIO(content))
        book.active.cell(row=4, column=column).value = value
        out = io.BytesIO()
        book.save(out)
        response = client.post(
            reverse("plans:plan-import", args=[world.draft.pk]),
            {"file": SimpleUploadedFile("plan.xlsx", out.getvalue())},
        )
        assert response.status_code == 200, value
        preview = response.context["preview"]
        assert not preview.ok and 4 in preview.errors, value
    assert world.draft.measures.count() == 1


# --- parse_decimal and the form field ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("5.000.000,00", "5000000.00"),
        ("1.200", "1200"),
        ("12,5", "12.5"),
        ("1234.56", "1234.56"),
        ("-3", "-3"),
        ("12.5", "12.5"),
        ("0.500", "0.500"),
        ("1.2345", "1.2345"),
        ("1,234.56", "1234.56"),
        ("5 000 000,00", "5000000.00"),
        ("5\u00a0000,5", "5000.5"),
        ("\u22123,5", "-3.5"),
        (",5", "0.5"),
        ("+7", "7"),
        ("1.200,5", "1200.5"),
        (" 42 ", "42"),
        ("1,000", "1.000"),
    ],
)
def test_parse_decimal_reads_serbian_and_plain_numbers(text, number):
    assert parse_decimal(text) == Decimal(number)
    assert str(parse_decimal(text)) == number  # the places typed are kept


@pytest.mark.parametrize(
    "text",
    [
        *NON_NUMBERS,
        "nan",
        "inf",
        "-inf",
        "1E+5",
        "1e5",
        "",
        " ",
        "abc",
        "1.2.3",
        "1,2,3",
        "--3",
        "5.",
        "٣",
        "²",
        "1.20.000",
        "1 2",
        "1.000.00",
        "0x10",
        "1_000",
        "9" * 65,
        "12,5 RSD",
        "\x00",
    ],
)
def test_parse_decimal_refuses_what_is_no_plain_number(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_with_dot_groups_off_a_dot_is_always_the_decimal_point():
    assert parse_decimal("117.175", dot_groups=False) == Decimal("117.175")
    with pytest.raises(ValueError):
        parse_decimal("1.234.567", dot_groups=False)
    assert parse_decimal("117,1750", dot_groups=False) == Decimal("117.1750")


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2))
def test_parse_decimal_reads_back_what_serbian_formatting_writes(number):
    assert parse_decimal(serbian(number)) == number
    assert parse_decimal(f"{number:f}") == number


@given(st.text(max_size=80))
def test_parse_decimal_gives_a_finite_number_or_value_error(text):
    try:
        number = parse_decimal(text)
    except ValueError:
        return
    assert number.is_finite() and text.strip()


def test_the_field_says_what_it_wants_and_keeps_its_limits():
    field = LocalizedDecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    assert field.clean("1.234.567,89") == Decimal("1234567.89")
    assert field.clean("") is None
    # Codes, not English words: the messages are translated.
    for text, code in [
        ("NaN", "invalid"),
        ("-1", "min_value"),
        ("1,234", "max_decimal_places"),
        ("1" * 15, "max_digits"),
    ]:
        with pytest.raises(ValidationError) as excinfo:
            field.clean(text)
        assert [e.code for e in excinfo.value.error_list] == [code], text
    assert 'inputmode="decimal"' in field.widget.render("amount", Decimal("1.50"))
    assert LocalizedDecimalField(max_digits=8, decimal_places=5).clean("44.123") == Decimal("44.123")


# --- Month arithmetic ------------------------------------------------------------------------------------


def test_month_helpers_at_the_month_and_year_ends():
    assert dates.month_end(datetime.date(2028, 2, 10)) == datetime.date(2028, 2, 29)
    assert dates.month_end(datetime.date(2027, 2, 10)) == datetime.date(2027, 2, 28)
    assert dates.add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert dates.add_months(datetime.date(2027, 1, 15), -13) == datetime.date(2025, 12, 15)
    assert dates.same_day_next_year(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)
    assert dates.months_between(datetime.date(2027, 11, 30), datetime.date(2028, 2, 1)) == 3
    assert dates.quarter_start(datetime.date(2027, 8, 31)) == datetime.date(2027, 7, 1)
    assert list(dates.iter_months(datetime.date(2027, 11, 15), datetime.date(2028, 1, 1))) == [
        datetime.date(2027, 11, 1),
        datetime.date(2027, 12, 1),
        datetime.date(2028, 1, 1),
    ]


def _old_months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The hand-written loop `OperationalPlan.months()` and the reminders used before."""
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def _old_month_end(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


def _old_shift_month(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


in_range = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31))


@given(start=in_range, end=in_range, shift=st.integers(-600, 600))
def test_the_helpers_behave_as_the_arithmetic_they_replace(start, end, shift):
    assert list(dates.iter_months(start, end)) == _old_months(start, end)
    assert dates.month_end(start) == _old_month_end(start)
    first = start.replace(day=1)
    assert dates.add_months(first, shift) == _old_shift_month(first, shift)
    assert dates.add_months(first, dates.months_between(start, end)) == end.replace(day=1)


def test_a_date_outside_the_years_dates_can_shift_in_is_refused_with_the_bounds():
    field = BoundedDateField()
    assert field.clean("2200-12-31") == datetime.date(2200, 12, 31)
    for text in ("9999-12-31", "0001-01-01", "1899-12-31"):
        with pytest.raises(ValidationError) as excinfo:
            field.clean(text)
        assert "1900" in " ".join(excinfo.value.messages) and "2200" in " ".join(excinfo.value.messages)


# --- Every free-text field has a limit its form enforces (issue 22, point 9) -----------------------


def _project_forms():
    """Every form class defined in the project's modules (admin forms are Django's own business)."""
    import importlib
    import inspect
    import pkgutil

    from django import forms

    modules = []
    for app in ("jmu_planner", "stakeholders", "plans", "reporting"):
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".tests" in info.name or ".migrations" in info.name or info.name.endswith(".admin"):
                continue
            if info.name.rsplit(".", 1)[-1] in {
                "forms",
                "engagement_forms",
                "dashboard_forms",
                "export_views",
                "views",
                "engagement_views",
                "review_views",
                "filters",
            }:
                modules.append(importlib.import_module(info.name))
    found = {}
    for module in modules:
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found[f"{module.__name__}.{name}"] = value
    return found


def _fields(form_class) -> dict:
    """The fields of a form as shown: built when the form needs no arguments (some fields get their
    limit in __init__), else as declared."""
    try:
        return form_class().fields
    except (TypeError, AttributeError, KeyError):
        return form_class.base_fields


@pytest.mark.django_db
def test_every_free_text_field_of_every_form_has_a_limit():
    from django import forms

    forms_found = _project_forms()
    assert len(forms_found) > 20, sorted(forms_found)  # the walk found the project's forms
    unbounded = [
        f"{path}.{name}"
        for path, form in sorted(forms_found.items())
        for name, field in _fields(form).items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, forms.UUIDField)
        and not field.max_length
    ]
    assert not unbounded, f"free-text fields without a max_length: {unbounded}"
