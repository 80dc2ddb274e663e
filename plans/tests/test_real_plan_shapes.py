"""Real plans the rest of the way (issue 27): qualified baselines, ceilings and floors, loans, an
allocation with no measure, and the import's message for a bad cell. Each shape goes in through
the forms and through the XLSX (Latin and Cyrillic) the same way, with its totals written out."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from jmu_planner.text import to_cyrillic
from plans import selectors, services
from plans.models import BudgetEnvelope, FundingSource, Measure
from plans.spreadsheets import COLUMNS, KEYS, parse_plan_xlsx, plan_to_xlsx
from plans.tests.factories import area, source
from plans.tests.helpers import snapshot, upload, version_of
from stakeholders.models import Institution
from stakeholders.tests.factories import InstitutionFactory

ENVELOPE_HEADER = [
    "Koverta",
    "Godina",
    "Izvor finansiranja",
    "Iznos (RSD)",
    "Vrsta iznosa",
    "Nosilac",
    "Period kako je napisan",
]


def workbook(rows, *, cyrillic=False, envelopes=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Plan"])
    sheet.append([])
    sheet.append([to_cyrillic(c) for c in COLUMNS] if cyrillic else COLUMNS)
    for row in rows:
        sheet.append([row.get(key) for key in KEYS])
    if envelopes:
        extra = book.create_sheet("Коверте" if cyrillic else "Koverte")
        extra.append([to_cyrillic(c) for c in ENVELOPE_HEADER] if cyrillic else ENVELOPE_HEADER)
        for row in envelopes:
            extra.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def imported(plan, content):
    preview = parse_plan_xlsx(upload(content), plan)
    assert preview.errors == {} and preview.ok, preview.errors or preview.file_error
    services.plan_import_apply(
        plan=plan,
        actor=None,
        envelopes=[e.data for e in preview.envelopes],
        new=[m.values for m in preview.measures],
    )
    return plan


def totals(plan):
    return selectors.plan_totals(
        selectors.measures_with_details(plan), selectors.plan_envelopes(plan), plan.eur_rate
    )


def reimport_changes_nothing(plan):
    before = snapshot(plan)
    content = plan_to_xlsx(plan, selectors.measures_with_details(plan), selectors.plan_envelopes(plan))
    preview = parse_plan_xlsx(upload(content), plan)
    assert preview.errors == {} and preview.changes_nothing, [m.changes for m in preview.measures]
    assert snapshot(plan) == before


def empty_measure_post(**extra):
    post = {
        "area": area(3).pk,
        "title": "Zdravstvena zaštita romske dece",
        "financing": "new",
        "lock_version": 0,
        "start_month": "2027-01",
        "end_month": "2027-12",
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
        "budget-TOTAL_FORMS": "0",
        "budget-INITIAL_FORMS": "0",
    }
    return post | extra


# --- Baselines qualified as targets are ("more than 749 persons") ---------------------------------


@pytest.fixture
def baseline_plan(client, users, plan):
    """From a LAP: "more than 749 persons" without a health card, at least 30 % vaccinated."""
    client.force_login(users["coordinator"])
    post = empty_measure_post(
        **{
            "indicators-TOTAL_FORMS": "2",
            "indicators-0-name": "Osobe bez zdravstvene knjižice",
            "indicators-0-unit": "osoba",
            "indicators-0-type": "number",
            "indicators-0-baseline_qualifier": "more_than",
            "indicators-0-baseline": "749",
            "indicators-0-target_qualifier": "less_than",
            "indicators-0-target": "100",
            "indicators-0-breakdown": "none",
            "indicators-1-name": "Obuhvat vakcinacijom",
            "indicators-1-unit": "%",
            "indicators-1-type": "percentage",
            "indicators-1-baseline_qualifier": "at_least",
            "indicators-1-baseline": "30",
            "indicators-1-target_qualifier": "at_least",
            "indicators-1-target": "80",
            "indicators-1-breakdown": "none",
        }
    )
    response = client.post(reverse("plans:measure-create", args=[plan.pk]), post)
    assert response.status_code == 302, response.context["form"].errors
    return plan


def test_a_qualified_baseline_goes_in_through_the_form_and_shows_as_written(client, baseline_plan):
    (measure,) = selectors.measures_with_details(baseline_plan)
    persons, vaccinated = measure.indicator_list
    assert (persons.baseline_qualifier, persons.baseline) == ("more_than", 749)
    assert (vaccinated.baseline_qualifier, vaccinated.target_qualifier) == ("at_least", "at_least")
    page = client.get(reverse("plans:plan-detail", args=[baseline_plan.pk])).content.decode()
    assert "more than 749 osoba" in page and "less than 100 osoba" in page and "at least 30 %" in page
    reimport_changes_nothing(baseline_plan)


@pytest.mark.parametrize(
    "cyrillic, more_than, at_least",
    [
        (False, ">749", "≥ 30"),
        (False, "više od 749", ">=30"),
        (True, "више од 749", "најмање 30"),
        (True, "> 749", "≥30"),
    ],
)
def test_a_qualified_baseline_is_read_from_the_sheet_in_symbols_and_either_script(
    baseline_plan, cyrillic, more_than, at_least
):
    rows = [
        {
            "area": "3",
            "no": "3.1",
            "title": "Zdravstvena zaštita romske dece",
            "deadline": "01/2027–12/2027",
            "ind_name": "Osobe bez zdravstvene knjižice",
            "unit": "osoba",
            "baseline": more_than,
            "target": "< 100",
        },
        {
            "area": "3",
            "no": "3.1",
            "ind_name": "Obuhvat vakcinacijom",
            "unit": "%",
            "baseline": at_least,
            "target": "najmanje 80" if not cyrillic else "најмање 80",
        },
    ]
    target = imported(version_of(baseline_plan), workbook(rows, cyrillic=cyrillic))
    assert snapshot(target) == snapshot(baseline_plan)
    (measure,) = selectors.measures_with_details(target)
    persons, vaccinated = [
        (i.baseline_qualifier, i.baseline, i.target_qualifier, i.target) for i in measure.indicator_list
    ]
    assert persons == ("more_than", 749, "less_than", 100)
    assert vaccinated == ("at_least", 30, "at_least", 80)


# --- Ceilings and floors: stated by a rule, never a cost ------------------------------------------


def ceiling_post(envelope):
    """An OP measure co-financed by SCTM: SCTM at most EUR 10,000 over two years (a ceiling), the
    LSG at least 300,000 RSD (a floor); what is planned is 800,000 RSD, drawn on a capped envelope."""
    return empty_measure_post(
        **{
            "area": area(2).pk,
            "title": "Podrška zapošljavanju Roma i Romkinja",
            "budget-TOTAL_FORMS": "4",
            "budget-0-source": source("sctm").pk,
            "budget-0-category": "services",
            "budget-0-currency": "RSD",
            "budget-0-amount": "500.000,00",
            "budget-0-description": "Obuke",
            "budget-1-source": source("sctm").pk,
            "budget-1-category": "other",
            "budget-1-currency": "EUR",
            "budget-1-exchange_rate": "117.2",
            "budget-1-amount_in_currency": "10.000",
            "budget-1-bound": "at_most",
            "budget-1-description": "Pravilo SKGO",
            "budget-2-source": source("lsg-budget").pk,
            "budget-2-category": "services",
            "budget-2-currency": "RSD",
            "budget-2-amount": "300.000,00",
            "budget-2-envelope": envelope.pk,
            "budget-3-source": source("lsg-budget").pk,
            "budget-3-category": "other",
            "budget-3-currency": "RSD",
            "budget-3-amount": "250.000,00",
            "budget-3-bound": "at_least",
            "budget-3-description": "Učešće JLS",
        }
    )


@pytest.fixture
def ceiling_plan(client, users, plan):
    client.force_login(users["coordinator"])
    envelopes = {
        "envelopes-TOTAL_FORMS": "1",
        "envelopes-INITIAL_FORMS": "0",
        "envelopes-0-name": "Zapošljavanje 2027",
        "envelopes-0-year": "2027",
        "envelopes-0-source": source("lsg-budget").pk,
        "envelopes-0-amount": "400.000,00",
        "envelopes-0-bound": "at_most",
    }
    assert client.post(reverse("plans:plan-envelopes", args=[plan.pk]), envelopes).status_code == 302
    envelope = BudgetEnvelope.objects.get(plan=plan)
    response = client.post(reverse("plans:measure-create", args=[plan.pk]), ceiling_post(envelope))
    assert response.status_code == 302, response.context["form"].errors
    return plan


def test_a_ceiling_or_a_floor_is_never_summed_and_is_checked_against_what_is_planned(ceiling_plan):
    result = totals(ceiling_plan)
    # Planned: 500,000 (SCTM) + 300,000 (LSG, drawn on a capped envelope) = 800,000; the SCTM
    # ceiling (EUR 10,000 × 117.2 = 1,172,000), the LSG floor (250,000) and the envelope's cap
    # (400,000) are not costs.
    assert result.overall == Decimal("800000.00")
    assert [(s.code, a) for s, a in result.by_source] == [
        ("lsg-budget", Decimal("300000.00")),
        ("sctm", Decimal("500000.00")),
    ]
    assert result.by_area == {area(2).pk: Decimal("800000.00")}
    checks = [(c.label, c.bound, c.amount, c.planned, c.broken) for c in result.limits]
    assert checks == [
        ("2.1 Pravilo SKGO", "at_most", Decimal("1172000.00"), Decimal("500000.00"), False),
        ("2.1 Učešće JLS", "at_least", Decimal("250000.00"), Decimal("300000.00"), False),
        ("Zapošljavanje 2027 (2027)", "at_most", Decimal("400000.00"), Decimal("300000.00"), False),
    ]
    co = selectors.plan_cofinancing(ceiling_plan, result)
    # The rule reads planned money only: SCTM 500,000 of 800,000 = 62.5 %, the LSG 37.5 %.
    assert (co.sctm, co.lsg, co.sctm_share, co.lsg_share) == (
        Decimal("500000.00"),
        Decimal("300000.00"),
        Decimal("62.5"),
        Decimal("37.5"),
    )
    assert not [w for w in co.warnings if "the plan states" in w]
    reimport_changes_nothing(ceiling_plan)


def test_a_broken_ceiling_or_floor_is_warned_by_the_co_financing_rule(client, ceiling_plan):
    measure = Measure.objects.get(plan=ceiling_plan)
    measure.budget_lines.filter(description="Učešće JLS").update(amount=Decimal("350000"))
    ceiling_plan.envelopes.update(amount=Decimal("200000"))
    co = selectors.plan_cofinancing(ceiling_plan, totals(ceiling_plan))
    broken = [w for w in co.warnings if "the plan states" in w]
    assert len(broken) == 2
    assert broken[0].startswith("2.1 Učešće JLS (LSG budget): 300,000.00 RSD planned")
    page = client.get(reverse("plans:plan-detail", args=[ceiling_plan.pk])).content.decode()
    assert "Ceilings and floors" in page and "at most EUR 10,000.00 @ 117.20 = 1,172,000.00 RSD" in page


@pytest.mark.parametrize("cyrillic", [False, True])
def test_ceilings_and_floors_read_from_the_sheet_as_from_the_form(ceiling_plan, cyrillic):
    word = to_cyrillic if cyrillic else (lambda text: text)
    common = {"area": "2", "no": "2.1"}
    rows = [
        common
        | {
            "title": "Podrška zapošljavanju Roma i Romkinja",
            "deadline": "01/2027–12/2027",
            "source": word("Sufinansiranje SKGO"),
            "category": word("usluge"),
            "amount": 500000,
            "description": "Obuke",
        },
        # A ceiling written in its own column, a floor written before the amount.
        common
        | {
            "source": word("Sufinansiranje SKGO"),
            "category": word("ostalo"),
            "currency": "EUR",
            "rate": 117.2,
            "amount_in_currency": 10000,
            "bound": word("najviše"),
            "description": "Pravilo SKGO",
        },
        common
        | {
            "source": word("Budžet JLS"),
            "category": word("usluge"),
            "amount": 300000,
            "envelope": "Zapošljavanje 2027",
        },
        common
        | {
            "source": word("Budžet JLS"),
            "category": word("ostalo"),
            "amount": word("najmanje 250000"),
            "description": "Učešće JLS",
        },
    ]
    envelopes = [["Zapošljavanje 2027", 2027, word("Budžet JLS"), 400000, word("najviše"), None, None]]
    target = imported(version_of(ceiling_plan), workbook(rows, cyrillic=cyrillic, envelopes=envelopes))
    assert snapshot(target) == snapshot(ceiling_plan)
    assert [(c.bound, c.amount) for c in totals(target).limits] == [
        (c.bound, c.amount) for c in totals(ceiling_plan).limits
    ]
    assert totals(target).overall == Decimal("800000.00")


# --- Loans, and the donors as real plans name them ------------------------------------------------


@pytest.mark.parametrize("cyrillic", [False, True])
def test_a_loan_is_a_funding_source_of_its_own_type(client, users, plan, cyrillic):
    loan = FundingSource.objects.get(code="ibrd-loan")
    assert loan.kind == FundingSource.Kind.LOAN and loan.share == FundingSource.Share.OTHER
    assert FundingSource.objects.get(code="lsg-budget").kind == FundingSource.Kind.BUDGET
    client.force_login(users["coordinator"])
    post = empty_measure_post(
        **{
            "area": area(5).pk,
            "title": "Unapređenje stanovanja u romskim naseljima",
            "budget-TOTAL_FORMS": "2",
            "budget-0-source": loan.pk,
            "budget-0-category": "services",
            "budget-0-currency": "USD",
            "budget-0-exchange_rate": "108.5",
            "budget-0-amount_in_currency": "50.000",
            "budget-1-source": source("sdc").pk,
            "budget-1-category": "services",
            "budget-1-amount": "1.000.000",
        }
    )
    assert client.post(reverse("plans:measure-create", args=[plan.pk]), post).status_code == 302
    result = totals(plan)
    # USD 50,000 × 108.5 = 5,425,000 (the loan) + 1,000,000 (SDC) = 6,425,000.
    assert result.overall == Decimal("6425000.00")
    assert [(s.code, a) for s, a in result.by_source] == [
        ("ibrd-loan", Decimal("5425000.00")),
        ("sdc", Decimal("1000000.00")),
    ]
    word = to_cyrillic if cyrillic else (lambda text: text)
    rows = [
        {
            "area": "5",
            "no": "5.1",
            "title": "Unapređenje stanovanja u romskim naseljima",
            "deadline": "01/2027–12/2027",
            "source": word("Zajam Svetske banke (IBRD)"),
            "category": word("usluge"),
            "currency": "USD",
            "rate": 108.5,
            "amount_in_currency": 50000,
        },
        {
            "area": "5",
            "no": "5.1",
            "source": word("Švajcarska agencija za razvoj i saradnju (SDC)"),
            "category": word("usluge"),
            "amount": 1000000,
        },
    ]
    target = imported(version_of(plan), workbook(rows, cyrillic=cyrillic))
    assert snapshot(target) == snapshot(plan)


# --- An allocation with no measure: a row of the plan of its own, counted once -----------------------


@pytest.fixture
def national(db):
    return Institution.objects.get(lsg=None, name="Ministarstvo prosvete")


def test_an_allocation_without_measures_is_a_row_of_the_plan_counted_once(client, users, plan, national):
    client.force_login(users["coordinator"])
    post = {
        "envelopes-TOTAL_FORMS": "1",
        "envelopes-INITIAL_FORMS": "0",
        "envelopes-0-name": "Pedagoški asistenti (NAP)",
        "envelopes-0-year": "2027",
        "envelopes-0-source": source("republic-budget").pk,
        "envelopes-0-amount": "12.000.000,00",
        "envelopes-0-responsible": national.pk,
        "envelopes-0-period_text": "2027, svake godine",
    }
    assert client.post(reverse("plans:plan-envelopes", args=[plan.pk]), post).status_code == 302
    response = client.post(
        reverse("plans:measure-create", args=[plan.pk]),
        empty_measure_post(
            **{
                "budget-TOTAL_FORMS": "1",
                "budget-0-source": source("lsg-budget").pk,
                "budget-0-category": "services",
                "budget-0-amount": "100.000",
            }
        ),
    )
    assert response.status_code == 302
    result = totals(plan)
    # 12,000,000 (the allocation, once) + 100,000 (the measure) = 12,100,000.
    assert result.overall == Decimal("12100000.00")
    assert [(s.code, a) for s, a in result.by_source] == [
        ("lsg-budget", Decimal("100000.00")),
        ("republic-budget", Decimal("12000000.00")),
    ]
    page = client.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    assert "Pedagoški asistenti (NAP)" in page and "2027, svake godine" in page and national.name in page
    reimport_changes_nothing(plan)

    for cyrillic in (False, True):
        word = to_cyrillic if cyrillic else (lambda text: text)
        rows = [
            {
                "area": "3",
                "no": "3.1",
                "title": "Zdravstvena zaštita romske dece",
                "deadline": "01/2027–12/2027",
                "source": word("Budžet JLS"),
                "category": word("usluge"),
                "amount": 100000,
            }
        ]
        envelopes = [
            [
                "Pedagoški asistenti (NAP)",
                2027,
                word("Republički budžet"),
                "12.000.000,00",
                None,
                word(national.name),
                "2027, svake godine",
            ]
        ]
        target = version_of(plan) if not cyrillic else target_plan_again(plan)
        imported(target, workbook(rows, cyrillic=cyrillic, envelopes=envelopes))
        assert snapshot(target) == snapshot(plan)
        (envelope,) = selectors.plan_envelopes(target)
        assert (envelope.responsible, envelope.period_text) == (national, "2027, svake godine")
        assert totals(target).overall == Decimal("12100000.00")


def target_plan_again(plan):
    """A second empty version (the first one took the lineage's version 2)."""
    from plans.models import OperationalPlan

    target = version_of(plan)
    OperationalPlan.objects.filter(pk=target.pk).update(version=3)
    return target


# --- The import names the bad cell and still lists the row's other errors -----------------------


def test_a_formula_in_the_measure_column_names_its_cell_and_the_rows_other_errors(plan):
    book = Workbook()
    sheet = book.active
    sheet.append(["Plan"])
    sheet.append([])
    sheet.append(COLUMNS)
    row = {
        "area": "1",
        "no": "1.1",
        "title": '=CONCATENATE("Mera ", B4)',
        "source": "Nepoznat izvor",
        "amount": 1000,
        "ind_name": "Broj učenika",
        "baseline": "mnogo",
    }
    sheet.append([row.get(key) for key in KEYS])
    out = io.BytesIO()
    book.save(out)
    preview = parse_plan_xlsx(upload(out.getvalue()), plan)
    assert not preview.ok and preview.measures == []
    assert preview.errors == {
        4: [
            "Measure (cell C4): the first row of a measure needs its text (a formula without a value reads as empty).",
            "Baseline/Target (cells F4, G4): not a number (or yes/no).",
            "Funding source: unknown source “Nepoznat izvor”.",
        ]
    }


# --- The plan page shows a measure's reference without an objective ---------------------------


def test_the_plan_page_shows_a_reference_without_an_objective(client, users, plan):
    local = InstitutionFactory(lsg=plan.jmu.lsg)
    client.force_login(users["coordinator"])
    post = empty_measure_post(
        objective_reference="Strategija 3.2", lap_measure_number="3.1.4", responsible=local.pk
    )
    assert client.post(reverse("plans:measure-create", args=[plan.pk]), post).status_code == 302
    page = client.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    assert "LAP or Strategy reference: Strategija 3.2" in page and "LAP measure 3.1.4" in page


# --- Versions that remember ------------------------------------------------------------------------


def test_the_compare_and_the_history_see_every_field_across_an_amendment(ceiling_plan, users):
    from plans import history, lifecycle
    from plans.models import Indicator
    from plans.tests.helpers import adopt, through_approval

    measure = Measure.objects.get(plan=ceiling_plan)
    Indicator.objects.create(
        measure=measure,
        name="Zaposleni Romi",
        unit="osoba",
        baseline=Decimal("749"),
        baseline_qualifier="more_than",
        target=Decimal("60"),
    )
    measure.responsible = InstitutionFactory(lsg=ceiling_plan.jmu.lsg)
    measure.save()
    plan = through_approval(ceiling_plan, users)
    adopt(plan, users)
    v2 = lifecycle.plan_amend(plan=plan, actor=users["coordinator"])
    copy = v2.measures.get(origin=measure)
    # The copy starts with a history record: the adopted version's history is carried on.
    assert copy.history.count() == 1

    national = Institution.objects.get(lsg=None, name="Ministarstvo prosvete")
    services.measure_update(
        measure=copy,
        actor=users["coordinator"],
        lock_version=copy.lock_version,
        values=services.MeasureInput(data={"period_text": "školska 2027/28"}),
    )
    copy.refresh_from_db()
    copy.co_responsible.add(national)
    copy.secondary_areas.add(area(4))
    copy.indicators.update(target_qualifier="at_least", baseline_qualifier="at_least")
    copy.budget_lines.filter(bound="at_most").update(amount=Decimal("1000000"))
    v2.envelopes.update(amount=Decimal("450000"), period_text="2027")

    comparison = history.compare_plans(plan, v2)
    (diff,) = comparison.measures
    assert [(c.label, c.old, c.new) for c in diff.changes] == [
        ("period as written", "—", "školska 2027/28"),
        ("co-responsible bodies", "—", "Ministarstvo prosvete"),
        ("also serves areas", "—", "Social protection"),
    ]
    (indicator,) = [i for i in diff.indicators if i.state != "same"]
    assert [(c.label, c.old, c.new) for c in indicator.changes] == [
        ("baseline qualifier", "more than", "at least"),
        ("target qualifier", "exactly", "at least"),
    ]
    assert [(b.source, b.old, b.new) for b in diff.budget if b.state != "same"] == [
        ("SCTM co-financing (at most (a ceiling))", Decimal("1172000.00"), Decimal("1000000"))
    ]
    assert [(e.label, e.new) for e in comparison.envelopes] == [
        ("Zapošljavanje 2027", "LSG budget: at most (a ceiling) 450,000.00 RSD · 2027")
    ]
    # Ceilings are not costs: 800,000 planned in both versions.
    assert (comparison.old_total, comparison.new_total) == (Decimal("800000.00"), Decimal("800000.00"))

    entries = history.measure_history(copy)
    kinds = [e.kind for e in entries]
    assert kinds[-1] == "created" and "copied" in kinds  # the adopted measure's creation, then its copy
    change = next(e for e in entries if e.kind == "changed")
    assert [(c.label, c.old, c.new) for c in change.changes] == [
        ("period as written", "—", "školska 2027/28")
    ]


def test_the_lsg_profile_finds_its_lap_in_the_register(client, users, plan):
    import datetime

    from stakeholders.models import PolicyDocument

    PolicyDocument.objects.create(
        lsg=plan.jmu.lsg,
        kind=PolicyDocument.Kind.LAP_ROMA,
        title="LAP za unapređenje položaja Roma",
        period_start=datetime.date(2022, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        adopted_by="Skupština grada",
        adoption_date=datetime.date(2021, 12, 20),
    )
    client.force_login(users["member"])
    html = client.get(reverse("dashboard:lsg-profile", args=[plan.jmu.lsg_id])).content.decode()
    lap = html.split('id="profile-lap"')[1].split("</dd>")[0]
    assert "LAP za unapređenje položaja Roma" in lap and "Skupština grada" in lap and "not known" not in lap


# --- National bodies renamed and merged -----------------------------------------------------------


FORMER = "Ministarstvo prosvete, nauke i tehnološkog razvoja"


def test_former_ministries_are_in_the_register_with_their_successors(db):
    former = Institution.objects.get(lsg=None, name=FORMER)
    today = Institution.objects.get(lsg=None, name="Ministarstvo prosvete")
    assert former.successor == today and str(former.valid_until) == "2022-10-26"
    assert str(today.valid_from) == "2022-10-26"
    labour = Institution.objects.get(lsg=None, name="Ministarstvo rada, zapošljavanja i socijalne politike")
    assert labour.successor.name == "Ministarstvo za rad, zapošljavanje, boračka i socijalna pitanja"
    assert Institution.with_former_names({today.pk}) == {today.pk, former.pk}


def test_a_plan_shows_a_body_by_its_name_at_adoption_and_the_filter_follows_the_successor(
    client, users, plan
):
    import datetime

    from plans.models import OperationalPlan

    today = Institution.objects.get(lsg=None, name="Ministarstvo prosvete")
    former = Institution.objects.get(lsg=None, name=FORMER)
    client.force_login(users["coordinator"])
    post = empty_measure_post(responsible=today.pk, co_responsible=[today.pk])
    assert client.post(reverse("plans:measure-create", args=[plan.pk]), post).status_code == 302
    page = client.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    assert FORMER not in page  # a 2027 plan: today's name
    OperationalPlan.objects.filter(pk=plan.pk).update(adoption_date=datetime.date(2019, 6, 1))
    page = client.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    assert page.count(FORMER) == 2  # adopted in 2019: responsible and co-responsible by the name of the time
    # The export keeps the body itself: re-imported, nothing changes.
    reimport_changes_nothing(plan)

    # The import reads a former name in either script; the filter for today's body finds it.
    for cyrillic in (False, True):
        target = version_of(plan) if not cyrillic else target_plan_again(plan)
        rows = [
            {
                "area": "3",
                "no": "3.1",
                "title": "Zdravstvena zaštita romske dece",
                "deadline": "01/2027–12/2027",
                "responsible": to_cyrillic(FORMER) if cyrillic else FORMER,
            }
        ]
        imported(target, workbook(rows, cyrillic=cyrillic))
        assert Measure.objects.get(plan=target).responsible == former
    client.force_login(users["officer"])
    found = client.get(reverse("plans:plan-list"), {"body": today.pk}).context["page_obj"].object_list
    assert len(found) == 3  # the plan naming today's body, and its two versions naming the former one
    other = Institution.objects.get(lsg=None, name="Ministarstvo zdravlja")
    assert (
        list(client.get(reverse("plans:plan-list"), {"body": other.pk}).context["page_obj"].object_list) == []
    )


def test_an_administrator_adds_and_merges_bodies_in_the_admin(client, users, plan):
    import datetime

    from stakeholders.models import InstitutionType

    today = Institution.objects.get(lsg=None, name="Ministarstvo prosvete")
    twin = Institution.objects.create(
        lsg=None,
        name="Ministarstvo prosvete Republike Srbije",
        type=InstitutionType.objects.get(code="national"),
        valid_until=datetime.date(2022, 10, 26),
    )
    measure = Measure.objects.create(plan=plan, area=area(1), number=1, title="Mera", responsible=twin)
    measure.co_responsible.add(twin, today)
    client.force_login(users["administrator"])
    url = reverse("admin:stakeholders_institution_changelist")
    response = client.post(url, {"action": "merge_bodies", "_selected_action": [today.pk, twin.pk]})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.responsible == today and list(measure.co_responsible.all()) == [today]
    assert not Institution.objects.filter(pk=twin.pk).exists()
    # Adding a body is the admin's add form, with its period and successor.
    response = client.post(
        reverse("admin:stakeholders_institution_add"),
        {
            "name": "Kancelarija za inkluziju Roma",
            "type": InstitutionType.objects.get(code="national").pk,
            "valid_from": "2016-01-01",
            "valid_until": "2020-12-31",
            "successor": today.pk,
        },
    )
    assert response.status_code == 302
    assert Institution.objects.get(name="Kancelarija za inkluziju Roma").successor == today


# --- Responsible parties as the field writes them -------------------------------------------------


def test_the_lsg_its_jmu_and_groups_lead_measures_and_the_filter_sees_them(client, users, plan):
    from stakeholders.models import InstitutionType

    lsg = plan.jmu.lsg
    mediators = Institution.objects.create(
        lsg=lsg,
        name="Zdravstvene medijatorke okruga",
        type=InstitutionType.objects.get(code="group"),
        member_count=85,
    )
    csos = Institution.objects.create(
        lsg=lsg, name="Romske organizacije civilnog društva", type=InstitutionType.objects.get(code="group")
    )
    client.force_login(users["coordinator"])
    for number, extra in (
        (3, {"responsible_party": "lsg", "partner_institutions": [csos.pk]}),
        (4, {"responsible_party": "jmu", "title": "Terenske posete IMT"}),
        (6, {"responsible": mediators.pk, "title": "Vakcinacija dece"}),
    ):
        post = empty_measure_post(area=area(number).pk, **extra)
        response = client.post(reverse("plans:measure-create", args=[plan.pk]), post)
        assert response.status_code == 302, response.context["form"].errors
    # The LSG leads and an institution is named too: refused next to the field, nothing saved.
    post = empty_measure_post(responsible_party="lsg", responsible=mediators.pk)
    response = client.post(reverse("plans:measure-create", args=[plan.pk]), post)
    assert "leave the institution empty" in str(response.context["form"].errors["responsible"])
    assert Measure.objects.filter(plan=plan).count() == 3

    page = client.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    assert f"JMU of {lsg.name}" in page and "Zdravstvene medijatorke okruga (85)" in page
    assert "Romske organizacije civilnog društva" in page
    reimport_changes_nothing(plan)

    # Through the sheet, in either script: "JLS" / "ИМТ" / the LSG's own name, and the group.
    for cyrillic in (False, True):
        word = to_cyrillic if cyrillic else (lambda text: text)
        rows = [
            {
                "area": "3",
                "no": "3.1",
                "title": "Zdravstvena zaštita romske dece",
                "deadline": "01/2027–12/2027",
                "responsible": word(lsg.name_lat) if cyrillic else "JLS",
                "partner_institutions": word("Romske organizacije civilnog društva"),
            },
            {
                "area": "4",
                "no": "4.1",
                "title": "Terenske posete IMT",
                "deadline": "01/2027–12/2027",
                "responsible": word("IMT"),
            },
            {
                "area": "6",
                "no": "6.1",
                "title": "Vakcinacija dece",
                "deadline": "01/2027–12/2027",
                "responsible": word("Zdravstvene medijatorke okruga"),
            },
        ]
        target = version_of(plan) if not cyrillic else target_plan_again(plan)
        imported(target, workbook(rows, cyrillic=cyrillic))
        assert snapshot(target) == snapshot(plan)
        assert [m.responsible_party for m in selectors.measures_with_details(target)] == ["lsg", "jmu", ""]

    from plans.tests.factories import MeasureFactory, PlanFactory

    other = PlanFactory()  # another LSG's plan, its measure led by an institution
    MeasureFactory(plan=other)
    client.force_login(users["officer"])
    assert len(client.get(reverse("plans:plan-list")).context["page_obj"].object_list) == 4
    for party in ("lsg", "jmu", "group"):
        found = client.get(reverse("plans:plan-list"), {"party": party}).context["page_obj"].object_list
        assert len(found) == 3 and other not in found, party


def test_a_qualifier_typed_into_the_form_value_goes_to_its_field(client, users, plan):
    client.force_login(users["coordinator"])
    post = empty_measure_post(
        **{
            "indicators-TOTAL_FORMS": "2",
            "indicators-0-name": "Osobe bez zdravstvene knjižice",
            "indicators-0-unit": "osoba",
            "indicators-0-type": "number",
            "indicators-0-baseline": "> 749",
            "indicators-0-target": "< 100",
            "indicators-0-breakdown": "none",
            "indicators-1-name": "Obuhvat vakcinacijom",
            "indicators-1-unit": "%",
            "indicators-1-type": "percentage",
            "indicators-1-baseline": "najmanje 30 %",
            "indicators-1-target": "≥ 80%",
            "indicators-1-breakdown": "none",
        }
    )
    response = client.post(reverse("plans:measure-create", args=[plan.pk]), post)
    assert response.status_code == 302, response.context["indicators"].errors
    (measure,) = selectors.measures_with_details(plan)
    assert [
        (i.baseline_qualifier, i.baseline, i.target_qualifier, i.target) for i in measure.indicator_list
    ] == [
        ("more_than", 749, "less_than", 100),
        ("at_least", 30, "at_least", 80),
    ]
