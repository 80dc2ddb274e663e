import pytest

from jmu_planner.access import GlobalRole, Role
from plans.tests.factories import BudgetLineFactory, IndicatorFactory, MeasureFactory, PlanFactory
from stakeholders.tests.factories import JMUFactory, LSGFactory, user_with_role


@pytest.fixture
def plan(db):
    return PlanFactory(jmu=JMUFactory(lsg=LSGFactory()))


@pytest.fixture
def measure(plan):
    measure = MeasureFactory(plan=plan)
    IndicatorFactory(measure=measure)
    BudgetLineFactory(measure=measure)
    return measure


@pytest.fixture
def users(plan):
    lsg = plan.jmu.lsg
    other = LSGFactory()
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
