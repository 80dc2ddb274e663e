import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from jmu_planner.lifecycle import TransitionRefused
from plans.tests.factories import BudgetLineFactory, PlanFactory
from reporting import lifecycle, selectors, services
from reporting.models import FieldActivity, IndicatorValue, Report, Spending
from reporting.services import ReportNotEditable, ValueRow
from reporting.tests.worlds import YEAR

pytestmark = pytest.mark.django_db


def give(report, indicator, value, **breakdown):
    IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(value), **breakdown)


def accept(report):
    Report.objects.filter(pk=report.pk).update(status=Report.Status.ACCEPTED)


def quarter(plan, users, month=1):
    return services.report_create(
        jmu=plan.jmu, kind="quarterly", day=datetime.date(YEAR, month, 1), actor=users["coordinator"]
    )


def rolled(report):
    return {row.indicator.aggregation: row.value for row in selectors.rollup(report)}


# --- Periods and deadlines --------------------------------------------------------------------------------


def test_periods_and_due_dates():
    assert services.period_of("monthly", datetime.date(2026, 2, 14)) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 28),
    )
    assert services.period_of("quarterly", datetime.date(2026, 8, 3)) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 9, 30),
    )
    assert services.period_of("annual", datetime.date(2026, 8, 3)) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert services.due_date("monthly", datetime.date(2026, 12, 31)) == datetime.date(2027, 1, 10)
    assert services.due_date("quarterly", datetime.date(2026, 9, 30)) == datetime.date(2026, 10, 15)
    assert services.due_date("annual", datetime.date(2026, 12, 31)) == datetime.date(2027, 1, 31)
    with override_settings(REPORT_DUE_MONTHLY_DAY=5):
        assert services.due_date("monthly", datetime.date(2026, 3, 31)) == datetime.date(2026, 4, 5)


def test_a_report_outside_the_plan_period_or_twice_for_a_month_is_refused(plan, users, monthly):
    monthly(3)
    with pytest.raises(ValidationError) as excinfo:
        monthly(3)
    assert "already has a report" in excinfo.value.message_dict["period"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.report_create(
            jmu=plan.jmu, kind="monthly", day=datetime.date(YEAR + 1, 1, 1), actor=users["coordinator"]
        )
    assert "No adopted plan" in excinfo.value.message_dict["period"][0]
    assert Report.objects.count() == 1


def test_reports_are_made_only_against_an_adopted_plan(plan, users):
    draft = PlanFactory(
        jmu=plan.jmu, period_start=datetime.date(2027, 1, 1), period_end=datetime.date(2027, 12, 31)
    )
    with pytest.raises(ValidationError):
        services.report_create(
            jmu=draft.jmu, kind="monthly", day=datetime.date(2027, 2, 1), actor=users["coordinator"]
        )


# --- Roll-ups: each rule, with gaps -------------------------------------------------------------------------


def test_each_rule_rolls_the_months_up_skipping_months_without_a_value(plan, users, indicators, monthly):
    jan, feb, mar = monthly(1), monthly(2), monthly(3)
    give(jan, indicators["sum"], 4)
    give(mar, indicators["sum"], 6)  # February has no value: skipped
    give(jan, indicators["latest"], 40)
    give(feb, indicators["latest"], 55)  # March has none: latest is February's
    give(jan, indicators["max"], 3)
    give(feb, indicators["max"], 9)
    give(mar, indicators["max"], 2)
    give(jan, indicators["avg"], 10)
    give(mar, indicators["avg"], 15)  # average of the months with a value: 12.5
    for month in (jan, feb, mar):
        accept(month)
    q1 = quarter(plan, users)
    assert rolled(q1) == {
        "sum": Decimal("10.00"),
        "latest": Decimal("55.00"),
        "max": Decimal("9.00"),
        "avg": Decimal("12.50"),
    }
    rows = {r.indicator.aggregation: r for r in selectors.rollup(q1)}
    assert rows["sum"].months == 2 and rows["sum"].progress == Decimal("10.0")


def test_months_still_in_draft_do_not_count_towards_the_quarter(plan, users, indicators, monthly):
    jan, feb = monthly(1), monthly(2)
    give(jan, indicators["sum"], 4)
    give(feb, indicators["sum"], 100)  # February is still a draft
    accept(jan)
    assert rolled(quarter(plan, users))["sum"] == Decimal("4.00")


def test_no_values_at_all_gives_no_value(plan, users):
    assert set(rolled(quarter(plan, users)).values()) == {None}


def test_breakdowns_roll_up_by_the_same_rule(plan, users, indicators, monthly):
    from plans.models import Indicator

    Indicator.objects.filter(pk=indicators["sum"].pk).update(breakdown="sex")
    jan, feb = monthly(1), monthly(2)
    give(jan, indicators["sum"], 5, male=2, female=3)
    give(feb, indicators["sum"], 7, male=4, female=3)
    accept(jan)
    accept(feb)
    row = next(r for r in selectors.rollup(quarter(plan, users)) if r.indicator.aggregation == "sum")
    assert (row.value, row.breakdown["male"], row.breakdown["female"]) == (
        Decimal("12.00"),
        Decimal("6.00"),
        Decimal("6.00"),
    )


def test_progress_where_the_target_is_below_the_baseline(plan, users, indicators, monthly):
    from plans.models import Indicator

    Indicator.objects.filter(pk=indicators["latest"].pk).update(baseline=Decimal(9), target=Decimal(3))
    jan = monthly(1)
    give(jan, indicators["latest"], 4)
    row = next(r for r in selectors.rollup(jan) if r.indicator.aggregation == "latest")
    assert row.progress == Decimal("83.3")  # fell 5 of the planned 6 points


def test_rollup_query_count_is_constant(plan, users, indicators, monthly, django_assert_num_queries):
    for month in range(1, 4):
        report = monthly(month)
        for indicator in indicators.values():
            give(report, indicator, month)
        accept(report)
    q1 = quarter(plan, users)
    # 1 grouped aggregate over the months' values, 1 window query for the latest month of each
    # indicator, 1 the months left empty on purpose (and why), 1 indicators of the plan.
    with django_assert_num_queries(4):
        selectors.rollup(q1)


# --- Bad input ------------------------------------------------------------------------------------------


def test_a_breakdown_that_does_not_add_up_is_refused(plan, users, indicators, monthly):
    from plans.models import Indicator

    Indicator.objects.filter(pk=indicators["sum"].pk).update(breakdown="sex")
    indicators["sum"].refresh_from_db()
    jan = monthly(1)
    with pytest.raises(ValidationError) as excinfo:
        services.indicator_values_save(
            report=jan,
            actor=users["coordinator"],
            rows=[
                ValueRow(indicators["sum"], {"value": Decimal(10), "male": Decimal(4), "female": Decimal(5)})
            ],
        )
    assert "adds up to 9, not to the total 10" in " ".join(excinfo.value.messages)
    assert not IndicatorValue.objects.exists()


def test_negative_counts_are_refused(monthly, users):
    jan = monthly(1)
    with pytest.raises(ValidationError) as excinfo:
        services.activity_save(
            jmu=jan.jmu,
            actor=users["coordinator"],
            data={"date": datetime.date(YEAR, 1, 5), "type": "field_visit", "male_0_17": -2},
        )
    assert "cannot be negative" in excinfo.value.message_dict["male_0_17"][0]
    assert not FieldActivity.objects.exists()


def test_field_work_is_logged_for_a_month_with_no_report_yet(monthly, users):
    """The entry belongs to the JMU and the day: work of the 2nd waits for no report, and the
    month's report counts it once it is started."""
    jmu = monthly(1).jmu
    entry = services.activity_save(
        jmu=jmu, actor=users["member"], data={"date": datetime.date(YEAR, 2, 2), "male_0_17": 3}
    )
    assert entry.month_report is None and entry.is_editable
    feb = monthly(2)
    assert selectors.people_reached(feb).people == 3
    assert [a.pk for a in selectors.report_page(user=users["member"], pk=feb.pk).activities] == [entry.pk]


def test_spending_on_another_plans_budget_line_is_refused(plan, monthly, users):
    jan = monthly(1)
    foreign = BudgetLineFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.spending_save(report=jan, actor=users["coordinator"], amounts={foreign: Decimal("10")})
    assert "another plan" in excinfo.value.message_dict["budget_line"][0]
    assert not Spending.objects.exists()


def test_submitting_with_missing_values_lists_them(plan, indicators, monthly, users):
    jan = monthly(1)
    give(jan, indicators["sum"], 3)
    with pytest.raises(TransitionRefused) as excinfo:
        lifecycle.report_transition(report=jan, to="submitted", actor=users["coordinator"])
    text = " ".join(excinfo.value.messages)
    assert "Obuhvat" in text and "Najviše u grupi" in text and "Upućeni NSZ" not in text
    jan.refresh_from_db()
    assert jan.status == "draft"


# --- Life cycle -------------------------------------------------------------------------------------------


def fill(report, indicators):
    for indicator in indicators.values():
        give(report, indicator, 1)


def test_submit_return_fix_accept_and_freeze(plan, indicators, monthly, users):
    jan = monthly(1)
    fill(jan, indicators)
    lifecycle.report_transition(report=jan, to="submitted", actor=users["coordinator"])
    with pytest.raises(TransitionRefused):
        lifecycle.report_transition(report=jan, to="returned", actor=users["officer"], note="")
    lifecycle.report_transition(report=jan, to="returned", actor=users["officer"], note="Fali februar")
    jan.refresh_from_db()
    services.narrative_update(report=jan, actor=users["expert"], data={"problems": "Ispravljeno"})
    lifecycle.report_transition(report=jan, to="submitted", actor=users["coordinator"])
    lifecycle.report_transition(report=jan, to="accepted", actor=users["officer"])
    jan.refresh_from_db()
    assert jan.status == "accepted" and list(jan.transitions.values_list("to_status", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "accepted",
    ]
    with pytest.raises(ReportNotEditable):
        services.narrative_update(report=jan, actor=users["coordinator"], data={"problems": "Kasno"})
    with pytest.raises(ReportNotEditable) as refused:
        services.activity_save(jmu=jan.jmu, actor=users["member"], data={"date": datetime.date(YEAR, 1, 2)})
    assert refused.value.message_dict["date"] == [
        f"The report for 01/{YEAR} has been accepted: its field log is closed."
    ]
    with pytest.raises(TransitionRefused):
        lifecycle.report_transition(report=jan, to="returned", actor=users["officer"], note="x")


@pytest.mark.parametrize(
    ("to", "who"), [("submitted", "member"), ("submitted", "officer"), ("accepted", "coordinator")]
)
def test_the_wrong_people_cannot_move_a_report(plan, indicators, monthly, users, to, who):
    jan = monthly(1)
    fill(jan, indicators)
    if to == "accepted":
        lifecycle.report_transition(report=jan, to="submitted", actor=users["coordinator"])
    with pytest.raises(TransitionRefused):
        lifecycle.report_transition(report=jan, to=to, actor=users[who])


def test_members_log_and_change_only_their_own_entries(monthly, users):
    jan = monthly(1)
    mine = services.activity_save(
        jmu=jan.jmu, actor=users["member"], data={"date": datetime.date(YEAR, 1, 3)}
    )
    theirs = services.activity_save(
        jmu=jan.jmu, actor=users["coordinator"], data={"date": datetime.date(YEAR, 1, 4)}
    )
    services.activity_save(jmu=jan.jmu, actor=users["member"], data={"households": 3}, activity=mine)
    with pytest.raises(ReportNotEditable):
        services.activity_save(jmu=jan.jmu, actor=users["member"], data={"households": 9}, activity=theirs)
    with pytest.raises(ReportNotEditable):
        services.activity_save(jmu=jan.jmu, actor=users["officer"], data={"date": datetime.date(YEAR, 1, 4)})


# --- Budget execution, reach, deadlines, privacy ---------------------------------------------------------------


def test_budget_execution_flags_overspending(plan, monthly, users):
    lines = plan.measures.get().budget_lines
    lsg_line, sctm_line = lines.get(source__code="lsg-budget"), lines.get(source__code="sctm")  # 1000, 500
    jan, feb = monthly(1), monthly(2)
    services.spending_save(
        report=jan, actor=users["coordinator"], amounts={lsg_line: Decimal("400"), sctm_line: Decimal("300")}
    )
    services.spending_save(
        report=feb,
        actor=users["coordinator"],
        amounts={lsg_line: Decimal("100"), sctm_line: Decimal("250.50")},
    )
    accept(jan)
    execution = selectors.budget_execution(Report.objects.get(pk=feb.pk))
    rows = {row.label.split(" ")[1]: row for row in execution.lines}
    assert (rows["SCTM"].in_period, rows["SCTM"].to_date, rows["SCTM"].overspent) == (
        Decimal("250.50"),
        Decimal("550.50"),
        True,
    )
    assert (rows["LSG"].to_date, rows["LSG"].overspent) == (Decimal("500.00"), False)
    assert execution.total.planned == Decimal("1500.00") and execution.total.to_date == Decimal("1050.50")
    assert [r.label for r in execution.overspent] == [rows["SCTM"].label]
    assert [s.label for s in execution.sources if s.overspent] == ["SCTM co-financing"]


def test_people_reached_sum_over_the_months(plan, users, monthly):
    jan, feb = monthly(1), monthly(2)
    for report, day in ((jan, datetime.date(YEAR, 1, 9)), (feb, datetime.date(YEAR, 2, 9))):
        services.activity_save(
            jmu=report.jmu,
            actor=users["member"],
            data={"date": day, "households": 4, "male_0_17": 3, "female_18_64": 2},
        )
    accept(jan)
    accept(feb)
    reach = selectors.people_reached(quarter(plan, users))
    assert (reach.activities, reach.households, reach.people, reach.by_sex) == (
        2,
        8,
        10,
        {"male": 6, "female": 4},
    )


def test_overdue_reports_for_the_lsg_and_the_programme(plan, users, monthly, indicators):
    jan = monthly(1)
    fill(jan, indicators)
    lifecycle.report_transition(report=jan, to="submitted", actor=users["coordinator"])
    monthly(2)  # made, but still a draft
    today = datetime.date(YEAR, 4, 20)
    overdue = selectors.overdue_reports(user=users["officer"], today=today)
    labels = [(d.kind, d.label, d.report is not None) for d in overdue]
    # Due before 20 April: Feb (10 Mar, a draft) and Mar (10 Apr, not started), Q1 (15 Apr).
    assert labels == [
        ("monthly", "02/2026", True),
        ("monthly", "03/2026", False),
        ("quarterly", "Q1/2026", False),
    ]
    assert (
        selectors.overdue_reports(user=users["coordinator"], lsg_id=plan.jmu.lsg_id, today=today) == overdue
    )
    assert selectors.overdue_reports(user=users["other_coordinator"], today=today) == []


def test_a_ceiling_is_checked_against_what_is_spent_and_never_summed(plan, monthly, users):
    from plans.models import BudgetLine
    from plans.tests.factories import source

    measure = plan.measures.get()
    sctm_line = measure.budget_lines.get(source__code="sctm")  # 500 planned
    # The programme's rule on this measure: SCTM at most 600.
    BudgetLine.objects.create(
        measure=measure,
        source=source("sctm"),
        amount=Decimal("600"),
        bound="at_most",
        description="Pravilo SKGO",
    )
    jan, feb = monthly(1), monthly(2)
    services.spending_save(report=jan, actor=users["coordinator"], amounts={sctm_line: Decimal("400")})
    accept(jan)
    execution = selectors.budget_execution(Report.objects.get(pk=feb.pk))
    # 1,000 (LSG) + 500 (SCTM) planned: the ceiling of 600 is no part of it.
    assert execution.total.planned == Decimal("1500.00") and len(execution.lines) == 2
    (limit,) = execution.limits
    assert (limit.amount, limit.planned, limit.spent, limit.broken) == (
        Decimal("600.00"),
        Decimal("500.00"),
        Decimal("400.00"),
        False,
    )
    services.spending_save(report=feb, actor=users["coordinator"], amounts={sctm_line: Decimal("250")})
    execution = selectors.budget_execution(Report.objects.get(pk=feb.pk))
    (limit,) = execution.limits
    assert (limit.spent, limit.broken) == (Decimal("650.00"), True)  # spent over the ceiling
    assert execution.limits_broken == [limit] and limit.label.endswith("Pravilo SKGO")
