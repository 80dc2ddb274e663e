"""The reporting tests' shared data: the year they report on, the dashboard's small world. The
fixtures that hand these to tests are in conftest.py; test modules never import one another."""

import datetime
from decimal import Decimal

from django.utils import timezone

from plans.models import BudgetLine, OperationalPlan
from plans.tests.factories import (
    BudgetLineFactory,
    IndicatorFactory,
    MeasureFactory,
    PlanFactory,
    area,
    source,
)
from reporting import services
from reporting.models import IndicatorValue, Report, Spending
from stakeholders.tests.factories import JMUFactory

YEAR = 2026
DASHBOARD_TODAY = datetime.date(YEAR, 5, 20)
Status = Report.Status


def month_report(plan, month: int, status: str, actor) -> Report:
    report = services.report_create(
        jmu=plan.jmu, kind="monthly", day=datetime.date(YEAR, month, 1), actor=actor
    )
    submitted = timezone.now() - datetime.timedelta(days=20 - month) if status != Status.DRAFT else None
    Report.objects.filter(pk=report.pk).update(status=status, submitted_at=submitted)
    report.refresh_from_db()
    return report


def build_dashboard_world(plan, indicators, users) -> dict:
    """LSG A's months: January accepted, February and March submitted, April a draft (not counted);
    LSG B's January accepted. The dashboard's figures for it are computed by hand in test_dashboard.py."""
    coordinator = users["coordinator"]
    lines = {line.source.code: line for line in BudgetLine.objects.filter(measure__plan=plan)}
    values = {  # rule: January, February, March, April (draft)
        "sum": [30, 40, 40, 90],  # 110: reached
        "latest": [100, 50, 60, 100],  # 60: not reached (April does not count)
        "max": [20, 100, 10, 0],  # 100: reached
        "avg": [50, 60, 70, 100],  # 60: not reached
    }
    spent = [("lsg-budget", "100.00"), ("sctm", "200.00"), ("lsg-budget", "50.00"), ("sctm", "999.00")]
    statuses = [Status.ACCEPTED, Status.SUBMITTED, Status.SUBMITTED, Status.DRAFT]
    for month, status in enumerate(statuses, start=1):
        report = month_report(plan, month, status, coordinator)
        for rule, indicator in indicators.items():
            IndicatorValue.objects.create(
                report=report, indicator=indicator, value=Decimal(values[rule][month - 1])
            )
        code, amount = spent[month - 1]
        Spending.objects.create(report=report, budget_line=lines[code], amount=Decimal(amount))

    other = PlanFactory(
        jmu=JMUFactory(lsg=users["other_coordinator"].lsg_roles.get().lsg),
        status=OperationalPlan.Status.ADOPTED,
        period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 12, 31),
        title="Plan Bezistan",
    )
    measure = MeasureFactory(
        plan=other, area=area(2), start_month=datetime.date(YEAR, 1, 1), end_month=datetime.date(YEAR, 12, 1)
    )
    indicator = IndicatorFactory(measure=measure, baseline=Decimal(10), target=Decimal(5))  # to bring down
    BudgetLineFactory(measure=measure, source=source("lsg-budget"), amount=Decimal("2000.00"))
    report = month_report(other, 1, Status.ACCEPTED, users["other_coordinator"])
    IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(4))  # below 5: reached
    return {"a": plan, "b": other}
