import datetime
from dataclasses import replace
from decimal import Decimal

import pytest

from jmu_planner.access import GlobalRole, Role
from jmu_planner.celery import app as celery_app
from plans.models import Indicator, OperationalPlan
from plans.tests.factories import BudgetLineFactory, IndicatorFactory, MeasureFactory, PlanFactory, source
from reporting import dashboard, services
from reporting.document_kinds import KINDS
from reporting.tests.worlds import DASHBOARD_TODAY, YEAR, build_dashboard_world
from stakeholders.tests.factories import (
    InstitutionFactory,
    JMUFactory,
    LSGFactory,
    SettlementFactory,
    user_with_role,
)


@pytest.fixture
def plan(db):
    """An adopted plan for 2026 with one measure of four indicators (one per roll-up rule)."""
    plan = PlanFactory(
        jmu=JMUFactory(lsg=LSGFactory()),
        status=OperationalPlan.Status.ADOPTED,
        period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 12, 31),
    )
    measure = MeasureFactory(
        plan=plan, start_month=datetime.date(YEAR, 1, 1), end_month=datetime.date(YEAR, 12, 1)
    )
    for rule, name, kind in [
        ("sum", "Upućeni NSZ", "number"),
        ("latest", "Obuhvat", "percentage"),
        ("max", "Najviše u grupi", "number"),
        ("avg", "Prosečno prisutnih", "number"),
    ]:
        IndicatorFactory(
            measure=measure,
            name=name,
            aggregation=rule,
            type=kind,
            unit="%" if kind == "percentage" else "osoba",
            baseline=Decimal(0),
            target=Decimal(100),
        )
    BudgetLineFactory(measure=measure, source=source("lsg-budget"), amount=Decimal("1000.00"))
    BudgetLineFactory(measure=measure, source=source("sctm"), amount=Decimal("500.00"))
    SettlementFactory(lsg=plan.jmu.lsg)
    return plan


@pytest.fixture
def indicators(plan):
    return {i.aggregation: i for i in Indicator.objects.filter(measure__plan=plan)}


@pytest.fixture
def users(plan):
    lsg, other = plan.jmu.lsg, LSGFactory()
    return {
        "anonymous": None,
        "coordinator": user_with_role(Role.COORDINATOR, lsg),
        "other_coordinator": user_with_role(Role.COORDINATOR, other),
        "member": user_with_role(Role.MEMBER, lsg),
        "expert": user_with_role(Role.EXPERT, lsg),
        "unassigned_expert": user_with_role(Role.EXPERT, other),
        "officer": user_with_role(GlobalRole.PROGRAMME_OFFICER),
        "administrator": user_with_role(GlobalRole.ADMINISTRATOR),
    }


@pytest.fixture
def monthly(plan, users):
    def make(month: int):
        return services.report_create(
            jmu=plan.jmu, kind="monthly", day=datetime.date(YEAR, month, 1), actor=users["coordinator"]
        )

    return make


@pytest.fixture
def users_for(db):
    """One user per role around a given plan's LSG."""

    def make(plan):
        lsg, other = plan.jmu.lsg, LSGFactory()
        return {
            "coordinator": user_with_role(Role.COORDINATOR, lsg),
            "other_coordinator": user_with_role(Role.COORDINATOR, other),
            "member": user_with_role(Role.MEMBER, lsg),
            "expert": user_with_role(Role.EXPERT, lsg),
            "unassigned_expert": user_with_role(Role.EXPERT, other),
            "officer": user_with_role(GlobalRole.PROGRAMME_OFFICER),
        }

    return make


@pytest.fixture
def plan_print_template(monkeypatch):
    """Sets the print layout of the plan's document kind for this test (reporting.document_kinds)."""
    plan_kind = KINDS["plan"]

    def use(template: str) -> None:
        monkeypatch.setitem(KINDS, "plan", replace(plan_kind, template=template))

    return use


@pytest.fixture
def eager():
    """Tasks run in-process (the suite otherwise queues them on the real Redis)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def dashboard_today(monkeypatch):
    """The dashboard's today: 20 May of YEAR."""
    monkeypatch.setattr(dashboard, "local_today", lambda: DASHBOARD_TODAY)
    return DASHBOARD_TODAY


@pytest.fixture
def dashboard_world(plan, indicators, users):
    """Two LSGs' adopted plans and months of reports (worlds.build_dashboard_world)."""
    return build_dashboard_world(plan, indicators, users)


@pytest.fixture
def adopted_plan(db, reference_data):
    lsg = LSGFactory(name_lat="Šabac test", name_cyr="Шабац тест")
    plan = PlanFactory(
        jmu=JMUFactory(lsg=lsg),
        status=OperationalPlan.Status.ADOPTED,
        title="Operativni plan za Šabac",
        adopting_body="assembly",
        adoption_number="06-12/2026",
    )
    for title, amount in [
        ("Upis dece u vrtić – ćirilica Ђорђе", "120000.50"),
        ("Lična dokumenta za žene", "80000"),
    ]:
        measure = MeasureFactory(
            plan=plan, title=title, responsible=InstitutionFactory(lsg=lsg, name=f"CSR {title[:5]}")
        )
        IndicatorFactory(measure=measure, name="Broj dece")
        BudgetLineFactory(measure=measure, source=source("sctm"), amount=amount)
    return plan
