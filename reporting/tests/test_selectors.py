"""The reports' reads (reporting/selectors.py): scoped to the user first (my LSG's report is found,
another LSG's is not), then the roll-up of the months and the money spent."""

import datetime
from decimal import Decimal

import pytest
from django.http import Http404

from plans.models import BudgetLine
from plans.tests.factories import PlanFactory
from reporting import selectors, services
from reporting.models import IndicatorValue, Report, Spending
from reporting.tests.worlds import YEAR
from stakeholders.tests.factories import JMUFactory

pytestmark = pytest.mark.django_db
Status = Report.Status


@pytest.fixture
def theirs(users):
    """A monthly report of the other coordinator's LSG."""
    other = PlanFactory(
        jmu=JMUFactory(lsg=users["other_coordinator"].lsg_roles.get().lsg),
        status="adopted",
        period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 12, 31),
    )
    return services.report_create(
        jmu=other.jmu, kind="monthly", day=datetime.date(YEAR, 1, 1), actor=users["other_coordinator"]
    )


def test_report_list_shows_my_lsgs_reports_and_not_another_lsgs(monthly, theirs, users):
    mine = monthly(1)
    assert list(selectors.report_list(user=users["member"])) == [mine]
    assert set(selectors.report_list(user=users["officer"])) >= {mine, theirs}
    assert list(selectors.report_list(user=users["unassigned_expert"])) == [theirs]


def test_report_page_of_my_report_and_another_lsgs_is_a_404(monthly, theirs, users):
    mine = monthly(1)
    page = selectors.report_page(user=users["coordinator"], pk=mine.pk)
    assert page.report == mine and len(page.indicators) == 4 and page.can_edit
    with pytest.raises(Http404):
        selectors.report_page(user=users["coordinator"], pk=theirs.pk)


def test_a_quarter_rolls_its_reported_months_up_by_each_indicators_rule(plan, indicators, monthly, users):
    values = {"sum": [10, 20, 30], "latest": [40, 70, 50], "max": [5, 9, 7], "avg": [10, 20, 60]}
    for month in (1, 2, 3):
        report = monthly(month)
        for rule, indicator in indicators.items():
            IndicatorValue.objects.create(
                report=report, indicator=indicator, value=Decimal(values[rule][month - 1])
            )
        Report.objects.filter(pk=report.pk).update(status=Status.SUBMITTED if month < 3 else Status.DRAFT)
    quarter = services.report_create(
        jmu=plan.jmu, kind="quarterly", day=datetime.date(YEAR, 1, 1), actor=users["coordinator"]
    )

    rows = {row.indicator.aggregation: row for row in selectors.rollup(quarter)}

    # March is still a draft: the quarter counts January and February only.
    assert {rule: row.value for rule, row in rows.items()} == {
        "sum": Decimal("30.00"),
        "latest": Decimal("70.00"),
        "max": Decimal("9.00"),
        "avg": Decimal("15.00"),
    }
    assert {row.months for row in rows.values()} == {2}


def test_budget_execution_sets_what_was_spent_in_the_period_against_what_to_date(plan, monthly):
    line = BudgetLine.objects.filter(measure__plan=plan, source__code="sctm").get()
    january, february = monthly(1), monthly(2)
    Spending.objects.create(report=january, budget_line=line, amount=Decimal("100.00"))
    Spending.objects.create(report=february, budget_line=line, amount=Decimal("50.00"))
    Report.objects.filter(pk=january.pk).update(status=Status.ACCEPTED)

    execution = selectors.budget_execution(february)
    [row] = [r for r in execution.lines if r.planned == Decimal("500.00")]  # the SCTM line
    assert (row.in_period, row.to_date) == (Decimal("50.00"), Decimal("150.00"))  # January accepted
    assert (execution.total.planned, execution.total.to_date) == (Decimal("1500.00"), Decimal("150.00"))
