"""A small world whose monitoring figures are computed by hand (exports and the API test against it).

LSG "home" (adopted plan 2026, one measure, two indicators, one budget line of 1,000.00 RSD):
- January, submitted: activity of 3 boys 0-17 + 10 women 18-64, 2 households; 200.00 spent;
  referrals (sum rule) 2, coverage (latest rule, %) 40.
- February, accepted: activity of 1 boy 0-17, 5 households; 300.50 spent; referrals 1, coverage 60.
- March, a draft: 100 girls, 50 households, 5,000.00 spent, referrals 90: counted nowhere.
So for 2026: 2 reports, 2 activities, 7 households, 14 people, boys 0-17 = 4 (shown "<5"),
women 18-64 = 10, spent 500.50; referrals to date 3 ("<5", progress 3.0 % of 100), coverage 60
(progress 60.0 %). LSG "away" has its own adopted plan and a draft plan; its people see only it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from jmu_planner.access import GlobalRole, Role
from plans.models import Indicator, OperationalPlan
from plans.tests.factories import BudgetLineFactory, IndicatorFactory, MeasureFactory, PlanFactory
from reporting import services
from reporting.models import FieldActivity, IndicatorValue, Report, Spending
from stakeholders.tests.factories import DistrictFactory, JMUFactory, LSGFactory, user_with_role

YEAR = 2026


@dataclass
class MonitoringWorld:
    home: object
    away: object
    plan: OperationalPlan
    away_plan: OperationalPlan
    draft: OperationalPlan
    referrals: Indicator
    coverage: Indicator
    users: dict


def adopted_plan(lsg, **kwargs) -> OperationalPlan:
    return PlanFactory(
        jmu=JMUFactory(lsg=lsg),
        status=OperationalPlan.Status.ADOPTED,
        period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 12, 31),
        **kwargs,
    )


def build_world() -> MonitoringWorld:
    home = LSGFactory(district=DistrictFactory(code="HOME", name_lat="Kućni okrug", name_cyr="Кућни округ"))
    away = LSGFactory(district=DistrictFactory(code="AWAY", name_lat="Daleki okrug", name_cyr="Далеки округ"))
    plan = adopted_plan(home, title='=HYPERLINK("http://evil")')
    measure = MeasureFactory(
        plan=plan,
        title="+Mera upisa",
        start_month=datetime.date(YEAR, 1, 1),
        end_month=datetime.date(YEAR, 12, 1),
    )
    referrals = IndicatorFactory(
        measure=measure,
        name="Upućeni",
        aggregation="sum",
        type="number",
        baseline=Decimal(0),
        target=Decimal(100),
    )
    coverage = IndicatorFactory(
        measure=measure,
        name="Obuhvat",
        aggregation="latest",
        type="percentage",
        unit="%",
        baseline=Decimal(0),
        target=Decimal(100),
        position=1,
    )
    line = BudgetLineFactory(measure=measure, amount=Decimal("1000.00"), description="@SUM(A1)")
    away_plan = adopted_plan(away)
    MeasureFactory(plan=away_plan)
    draft = PlanFactory(
        jmu=away_plan.jmu,
        period_start=datetime.date(YEAR + 1, 1, 1),
        period_end=datetime.date(YEAR + 1, 12, 31),
    )
    users = {
        "coordinator": user_with_role(Role.COORDINATOR, home),
        "member": user_with_role(Role.MEMBER, home),
        "expert": user_with_role(Role.EXPERT, home),
        "other_coordinator": user_with_role(Role.COORDINATOR, away),
        "officer": user_with_role(GlobalRole.PROGRAMME_OFFICER),
        "administrator": user_with_role(GlobalRole.ADMINISTRATOR),
    }
    months = [
        # month, status, activity counts, households, spent, referrals, coverage
        (1, Report.Status.SUBMITTED, {"male_0_17": 3, "female_18_64": 10}, 2, "200.00", 2, 40),
        (2, Report.Status.ACCEPTED, {"male_0_17": 1}, 5, "300.50", 1, 60),
        (3, Report.Status.DRAFT, {"female_0_17": 100}, 50, "5000.00", 90, 99),
    ]
    for month, status, counts, households, spent, referred, covered in months:
        report = services.report_create(
            jmu=plan.jmu, kind="monthly", day=datetime.date(YEAR, month, 1), actor=users["coordinator"]
        )
        FieldActivity.objects.create(
            jmu=plan.jmu, date=datetime.date(YEAR, month, 3), households=households, **counts
        )
        Spending.objects.create(report=report, budget_line=line, amount=Decimal(spent))
        IndicatorValue.objects.create(report=report, indicator=referrals, value=Decimal(referred))
        IndicatorValue.objects.create(report=report, indicator=coverage, value=Decimal(covered))
        Report.objects.filter(pk=report.pk).update(status=status)
    return MonitoringWorld(
        home=home,
        away=away,
        plan=plan,
        away_plan=away_plan,
        draft=draft,
        referrals=referrals,
        coverage=coverage,
        users=users,
    )
