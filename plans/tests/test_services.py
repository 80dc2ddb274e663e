import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from plans import selectors, services
from plans.models import BudgetLine, CommunicationItem, Indicator, Measure, OperationalPlan
from plans.services import ChildRow, MeasureConflict, MeasureInput, PlanNotEditable
from plans.spreadsheets import COLUMNS, parse_plan_xlsx, plan_to_xlsx
from plans.tests.factories import (
    BudgetLineFactory,
    IndicatorFactory,
    MeasureFactory,
    PlanFactory,
    area,
    source,
)
from stakeholders.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def codes(plan) -> list[str]:
    return [m.code for m in Measure.objects.filter(plan=plan).select_related("area")]


def new_measure(plan, area_number=1, title="Mera", indicators=(), lines=(), **data):
    values = MeasureInput(
        data={"area": area(area_number), "title": title} | data,
        indicators=[ChildRow(None, d) for d in indicators],
        budget_lines=[ChildRow(None, d) for d in lines],
    )
    return services.measure_create(plan=plan, actor=None, values=values)


# --- Plans ---------------------------------------------------------------------------------------


def test_a_second_plan_for_an_overlapping_period_is_refused(plan):
    with pytest.raises(ValidationError) as excinfo:
        services.plan_create(
            jmu=plan.jmu,
            actor=None,
            data={
                "title": "Drugi",
                "period_start": datetime.date(2027, 7, 1),
                "period_end": datetime.date(2028, 6, 30),
            },
        )
    assert "overlapping period" in excinfo.value.message_dict["period_start"][0]
    assert OperationalPlan.objects.filter(jmu=plan.jmu).count() == 1


def test_six_monthly_plans_side_by_side_are_fine(plan):
    second = services.plan_create(
        jmu=plan.jmu,
        actor=None,
        data={
            "title": "Drugi",
            "period_start": datetime.date(2028, 1, 1),
            "period_end": datetime.date(2028, 6, 30),
        },
    )
    assert second.months()[0] == datetime.date(2028, 1, 1) and len(second.months()) == 6


def test_plan_period_cannot_shrink_past_its_measures(measure):
    with pytest.raises(ValidationError) as excinfo:
        services.plan_update(plan=measure.plan, actor=None, data={"period_end": datetime.date(2027, 6, 30)})
    assert "1.1" in excinfo.value.message_dict["period_start"][0]
    measure.plan.refresh_from_db()
    assert measure.plan.period_end == datetime.date(2027, 12, 31)


# --- Numbering -------------------------------------------------------------------------------------


def test_numbering_is_per_area_and_stays_gapless(plan):
    first = new_measure(plan, 1)
    second = new_measure(plan, 1)
    new_measure(plan, 2)
    third = new_measure(plan, 1)
    assert codes(plan) == ["1.1", "1.2", "1.3", "2.1"]

    services.measure_delete(measure=second, actor=None)
    assert codes(plan) == ["1.1", "1.2", "2.1"]
    third.refresh_from_db()
    assert third.number == 2

    services.measure_move(measure=third, actor=None, offset=-1)
    first.refresh_from_db()
    third.refresh_from_db()
    assert (third.number, first.number) == (1, 2)
    services.measure_move(measure=third, actor=None, offset=-1)  # already first: nothing moves
    third.refresh_from_db()
    assert third.number == 1


def test_moving_a_measure_to_another_area_renumbers_both(plan):
    a, b = new_measure(plan, 1, "A"), new_measure(plan, 1, "B")
    new_measure(plan, 3, "C")
    services.measure_update(
        measure=a, actor=None, values=MeasureInput(data={"area": area(3)}), lock_version=0
    )
    b.refresh_from_db()
    a.refresh_from_db()
    assert b.code == "1.1" and a.code == "3.2"
    assert codes(plan) == ["1.1", "3.1", "3.2"]


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"start_month": datetime.date(2026, 12, 1)}, "start_month"),
        ({"end_month": datetime.date(2028, 1, 1)}, "end_month"),
        (
            {"start_month": datetime.date(2027, 6, 1), "end_month": datetime.date(2027, 3, 1)},
            "end_month",
        ),
    ],
)
def test_months_outside_the_period_or_reversed_are_refused(plan, data, field):
    with pytest.raises(ValidationError) as excinfo:
        new_measure(plan, **data)
    assert field in excinfo.value.message_dict
    assert not Measure.objects.filter(plan=plan).exists()


def test_responsible_institution_of_another_lsg_is_refused(plan):
    with pytest.raises(ValidationError) as excinfo:
        new_measure(plan, responsible=InstitutionFactory())
    assert "responsible" in excinfo.value.message_dict


@pytest.mark.parametrize(
    ("indicator", "message"),
    [
        ({"name": "Udeo", "unit": "%", "type": "percentage", "target": Decimal("120")}, "over 100"),
        (
            {"name": "Održano", "unit": "da/ne", "type": "yes_no", "target": Decimal("2")},
            "yes or no",
        ),
        ({"name": "", "unit": "osoba"}, "cannot be blank"),
        ({"name": "Broj", "unit": ""}, "cannot be blank"),
        ({"name": "Broj", "unit": "osoba", "baseline": Decimal("-1")}, "zero or more"),
    ],
)
def test_bad_indicators_leave_nothing_saved(plan, indicator, message):
    with pytest.raises(ValidationError) as excinfo:
        new_measure(plan, indicators=[indicator])
    assert message in " ".join(excinfo.value.messages)
    assert not Measure.objects.filter(plan=plan).exists()
    assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [(Decimal("-5.00"), "zero or more"), (Decimal("10.005"), "2 decimal places")],
)
def test_negative_or_over_precise_amounts_are_refused(plan, amount, message):
    with pytest.raises(ValidationError) as excinfo:
        new_measure(plan, lines=[{"source": source("lsg-budget"), "amount": amount}])
    assert message in " ".join(excinfo.value.messages)
    assert not BudgetLine.objects.exists() and not Measure.objects.exists()


def test_a_submitted_plan_cannot_be_changed(measure):
    plan = measure.plan
    OperationalPlan.objects.filter(pk=plan.pk).update(status=OperationalPlan.Status.SUBMITTED)
    plan.refresh_from_db()
    with pytest.raises(PlanNotEditable):
        new_measure(plan)
    with pytest.raises(PlanNotEditable):
        services.measure_delete(measure=measure, actor=None)
    with pytest.raises(PlanNotEditable):
        services.plan_update(plan=plan, actor=None, data={"title": "X"})
    assert not OperationalPlan.objects.editable_by(None).exists()


# --- Optimistic locking ------------------------------------------------------------------------------


def test_the_later_of_two_saves_of_a_measure_is_refused(measure):
    opened_by_ana = opened_by_bojan = measure.lock_version
    services.measure_update(
        measure=Measure.objects.get(pk=measure.pk),
        actor=None,
        values=MeasureInput(data={"title": "Anina verzija"}),
        lock_version=opened_by_ana,
    )
    with pytest.raises(MeasureConflict) as excinfo:
        services.measure_update(
            measure=Measure.objects.get(pk=measure.pk),
            actor=None,
            values=MeasureInput(data={"title": "Bojanova verzija"}),
            lock_version=opened_by_bojan,
        )
    assert "after you opened it" in excinfo.value.messages[0]
    measure.refresh_from_db()
    assert measure.title == "Anina verzija"


# --- Totals and the co-financing rule ------------------------------------------------------------------


def totals_of(plan):
    return selectors.plan_totals(selectors.measures_with_details(plan))


def test_totals_add_up_per_area_source_financing_and_overall(plan):
    new_measure(
        plan,
        1,
        lines=[
            {"source": source("lsg-budget"), "amount": Decimal("100.10")},
            {"source": source("sctm"), "amount": Decimal("200.20")},
        ],
    )
    new_measure(
        plan,
        2,
        financing=Measure.Financing.LOCAL,
        lines=[{"source": source("lsg-budget"), "amount": Decimal("0.05")}],
    )
    totals = totals_of(plan)
    assert totals.overall == Decimal("300.35")
    assert totals.by_area == {area(1).pk: Decimal("300.30"), area(2).pk: Decimal("0.05")}
    assert [(s.code, a) for s, a in totals.by_source] == [
        ("lsg-budget", Decimal("100.15")),
        ("sctm", Decimal("200.20")),
    ]
    assert [a for _label, a in totals.by_financing] == [Decimal("300.30"), Decimal("0.05")]
    assert sum(totals.by_area.values()) == sum(a for _s, a in totals.by_source) == totals.overall


def cofinancing(plan):
    return selectors.plan_cofinancing(plan, totals_of(plan))


def test_cofinancing_within_the_rule_has_no_warning(plan):
    new_measure(
        plan,
        lines=[
            {"source": source("sctm"), "amount": Decimal("700000")},
            {"source": source("lsg-budget"), "amount": Decimal("300000")},
        ],
    )
    result = cofinancing(plan)
    assert (result.sctm_share, result.lsg_share, result.warnings) == (
        Decimal("70.0"),
        Decimal("30.0"),
        [],
    )


def test_cofinancing_over_70_percent_and_lsg_under_30_warns(plan):
    new_measure(
        plan,
        lines=[
            {"source": source("sctm"), "amount": Decimal("750000")},
            {"source": source("lsg-budget"), "amount": Decimal("250000")},
        ],
    )
    warnings = " ".join(cofinancing(plan).warnings)
    assert "75.0 %" in warnings and "at most 70 %" in warnings and "at least 30 %" in warnings
    with translation.override("sr-latn"):  # the share as the reader writes it, as on the card
        assert "75,0 %" in " ".join(cofinancing(plan).warnings)


def test_cofinancing_over_eur_10000_over_two_years_counts_the_earlier_plan(plan):
    earlier = PlanFactory(
        jmu=plan.jmu, period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )
    BudgetLineFactory(
        measure=MeasureFactory(plan=earlier, start_month=None, end_month=None),
        source=source("sctm"),
        amount=Decimal("600000"),
    )
    new_measure(
        plan,
        lines=[
            {"source": source("sctm"), "amount": Decimal("600000")},
            {"source": source("lsg-budget"), "amount": Decimal("600000")},
        ],
    )
    result = cofinancing(plan)
    # 1,200,000 RSD at 117.20 RSD/EUR = EUR 10,238.91 over 2026-2027.
    assert result.sctm_eur_two_years == Decimal("10238.91")
    assert any("EUR 10,238.91" in w for w in result.warnings)
    assert not any("70 %" in w for w in result.warnings)


# --- Copy ------------------------------------------------------------------------------------------


def test_copy_makes_a_new_draft_with_everything_moved_to_the_new_period(measure):
    plan = measure.plan
    IndicatorFactory(measure=measure, type=Indicator.Type.PERCENTAGE, unit="%", target=Decimal("80"))
    CommunicationItem.objects.create(
        plan=plan, audience="Roditelji", message="Upis", channel="Sastanci", timing="Q1", responsible="PA"
    )
    OperationalPlan.objects.filter(pk=plan.pk).update(status=OperationalPlan.Status.ADOPTED)
    plan.refresh_from_db()

    copy = services.plan_copy(
        plan=plan,
        actor=None,
        title="Plan 2028",
        period_start=datetime.date(2028, 1, 1),
        period_end=datetime.date(2028, 12, 31),
    )
    assert copy.status == OperationalPlan.Status.DRAFT and copy.copied_from == plan
    clone = copy.measures.get()
    assert (clone.code, clone.title) == (measure.code, measure.title)
    assert (clone.start_month, clone.end_month) == (
        datetime.date(2028, 2, 1),
        datetime.date(2028, 11, 1),
    )
    assert clone.indicators.count() == 2 and clone.budget_lines.count() == 1
    assert copy.communication.get().audience == "Roditelji"
    assert totals_of(copy).overall == totals_of(plan).overall
    assert plan.measures.count() == 1  # the original is untouched


# --- Spreadsheets ----------------------------------------------------------------------------------


def upload(content: bytes, name="plan.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_export_then_import_round_trip(plan):
    institution = InstitutionFactory(lsg=plan.jmu.lsg, name="Centar za socijalni rad Niš")
    new_measure(
        plan,
        1,
        "Upis dece u predškolsko",
        responsible=institution,
        partners="Škole, NVO",
        start_month=datetime.date(2027, 3, 1),
        end_month=datetime.date(2027, 9, 1),
        indicators=[
            {"name": "Upisana deca", "unit": "dece", "baseline": Decimal("18"), "target": Decimal("30")},
            {
                "name": "Obuhvat",
                "unit": "%",
                "type": "percentage",
                "baseline": Decimal("55.5"),
                "target": Decimal("80"),
            },
            {
                "name": "Održan dan upisa",
                "unit": "da/ne",
                "type": "yes_no",
                "baseline": Decimal("0"),
                "target": Decimal("1"),
            },
        ],
        lines=[{"source": source("sctm"), "amount": Decimal("240000.50")}],
    )
    new_measure(
        plan,
        6,
        "Lična dokumenta",
        financing=Measure.Financing.NATIONAL,
        start_month=datetime.date(2027, 5, 1),
        end_month=datetime.date(2027, 5, 1),
        lines=[
            {"source": source("lsg-budget"), "amount": Decimal("90000")},
            {"source": source("in-kind"), "amount": Decimal("1000")},
        ],
    )
    content = plan_to_xlsx(plan, selectors.measures_with_details(plan))

    target = PlanFactory(
        jmu=plan.jmu, period_start=datetime.date(2028, 1, 1), period_end=datetime.date(2028, 12, 31)
    )
    # Same period as a version of the same plan (the database refuses an overlap otherwise).
    OperationalPlan.objects.filter(pk=target.pk).update(
        period_start=plan.period_start, period_end=plan.period_end, lineage=plan.lineage, version=2
    )
    target.refresh_from_db()
    preview = parse_plan_xlsx(upload(content), target)
    assert preview.errors == {} and preview.ok
    services.plan_import_measures(plan=target, actor=None, measures=[m.values for m in preview.measures])

    def snapshot(p):
        return [
            (
                m.code,
                m.title,
                m.responsible_id,
                m.partners,
                m.start_month,
                m.end_month,
                m.financing,
                [(i.name, i.unit, i.type, i.baseline, i.target) for i in m.indicator_list],
                [(b.source.code, b.amount) for b in m.line_list],
            )
            for m in selectors.measures_with_details(p)
        ]

    assert snapshot(target) == snapshot(plan)


def test_export_is_safe_against_formula_injection(plan):
    new_measure(
        plan,
        title='=HYPERLINK("http://evil","x")',
        partners="+381 cmd",
        indicators=[{"name": "@SUM(A1)", "unit": "-1"}],
    )
    content = plan_to_xlsx(plan, selectors.measures_with_details(plan))
    sheet = load_workbook(io.BytesIO(content)).active
    row = [c.value for c in sheet[4]]
    assert row[2] == '\'=HYPERLINK("http://evil","x")'
    assert row[3] == "'@SUM(A1)" and row[4] == "'-1" and row[8] == "'+381 cmd"
    assert all(c.data_type != "f" for line in sheet.iter_rows() for c in line)
    # ...and the import reads the text back as it was written.
    copy_target = PlanFactory(
        jmu=plan.jmu, period_start=datetime.date(2029, 1, 1), period_end=datetime.date(2029, 12, 31)
    )
    OperationalPlan.objects.filter(pk=copy_target.pk).update(  # a version: overlaps are refused
        period_start=plan.period_start, period_end=plan.period_end, lineage=plan.lineage, version=2
    )
    copy_target.refresh_from_db()
    preview = parse_plan_xlsx(upload(content), copy_target)
    assert preview.measures[0].values.data["title"].startswith("=HYPERLINK")


def matrix(rows, header=COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Plan"])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_reports_an_error_per_bad_row_and_imports_nothing(plan):
    content = matrix(
        [
            [
                "1. Education",
                "1.1",
                "Dobra mera",
                "Deca",
                "dece",
                1,
                5,
                None,
                None,
                "02/2027–06/2027",
                "new",
                "LSG budget",
                1000,
            ],
            [
                "9. Space",
                "9.1",
                "Nepoznata oblast",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            [
                "2. Employment",
                "2.1",
                "Loš iznos",
                "Osobe",
                "osoba",
                1,
                5,
                None,
                None,
                "01/2027",
                "new",
                "SCTM co-financing",
                -50,
            ],
            [
                "3. Health",
                "3.1",
                "Van perioda",
                "Deca",
                "dece",
                1,
                5,
                None,
                None,
                "01/2026",
                "new",
                None,
                None,
            ],
            ["3. Health", "3.2", "Procenat", "Obuhvat", "%", 10, 150, None, None, None, None, None, None],
            [
                "4. Social protection",
                "4.1",
                "Da/ne",
                "Održano",
                "da/ne",
                "ne",
                "možda",
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            ["5. Housing", "5.1", "Bez jedinice", "Kuće", None, 1, 2, None, None, None, None, None, None],
            [
                "6. Civil registration and personal documents",
                "6.1",
                "Nepoznat izvor",
                None,
                None,
                None,
                None,
                "Nepostojeća ustanova",
                None,
                None,
                None,
                "Lottery",
                5,
            ],
        ]
    )
    preview = parse_plan_xlsx(upload(content), plan)
    assert not preview.ok
    assert set(preview.errors) == {5, 6, 7, 8, 9, 10, 11}
    assert "unknown thematic area" in preview.errors[5][0]
    assert "zero or more" in " ".join(preview.errors[6])
    assert "inside the plan period" in " ".join(preview.errors[7])
    assert "over 100" in " ".join(preview.errors[8])
    assert "yes/no" in " ".join(preview.errors[9])
    assert "Unit" in " ".join(preview.errors[10])
    assert "not an institution" in " ".join(preview.errors[11]) and "unknown source" in " ".join(
        preview.errors[11]
    )
    assert not Measure.objects.filter(plan=plan).exists()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload(b"area,no\n1,2", name="plan.csv"), "(.xlsx)"),
        (upload(b"this is not a zip", name="plan.xlsx"), "not an Excel workbook"),
        (upload(matrix([["1"]], header=["Area", "Measure", "Amount"])), "columns are not those"),
        (upload(matrix([])), "no measures"),
    ],
)
def test_import_refuses_files_that_are_not_the_matrix(plan, file, message):
    preview = parse_plan_xlsx(file, plan)
    assert message in preview.file_error
    assert not preview.ok


def test_import_refuses_files_over_5_mb(plan):
    big = upload(b"0" * (5 * 1024 * 1024 + 1))
    assert "larger than 5 MB" in parse_plan_xlsx(big, plan).file_error
