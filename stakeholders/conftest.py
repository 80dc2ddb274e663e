import datetime

import pytest

from jmu_planner.access import GlobalRole, Role
from plans.tests.factories import MeasureFactory, PlanFactory
from stakeholders.engagements.tests.world import engagement_world
from stakeholders.tests.factories import (
    InstitutionFactory,
    JMUFactory,
    LSGFactory,
    MembershipFactory,
    SettlementFactory,
    user_with_role,
)


@pytest.fixture
def lsg(db):
    return LSGFactory(name_lat="Čačak test", name_cyr="Чачак тест")


@pytest.fixture
def other_lsg(db):
    return LSGFactory()


@pytest.fixture
def jmu(lsg):
    return JMUFactory(lsg=lsg, decision_date=datetime.date(2023, 1, 10))


@pytest.fixture
def membership(jmu):
    return MembershipFactory(jmu=jmu)


@pytest.fixture
def settlement(lsg):
    return SettlementFactory(lsg=lsg)


@pytest.fixture
def institution(lsg):
    return InstitutionFactory(lsg=lsg)


@pytest.fixture
def users(lsg, other_lsg):
    """One user per role; "coordinator" and friends hold their role in `lsg`."""
    return {
        "anonymous": None,
        "coordinator": user_with_role(Role.COORDINATOR, lsg),
        "other_coordinator": user_with_role(Role.COORDINATOR, other_lsg),
        "member": user_with_role(Role.MEMBER, lsg),
        "expert": user_with_role(Role.EXPERT, lsg),
        "unassigned_expert": user_with_role(Role.EXPERT, other_lsg),
        "officer": user_with_role(GlobalRole.PROGRAMME_OFFICER),
        "administrator": user_with_role(GlobalRole.ADMINISTRATOR),
    }


@pytest.fixture
def eager():
    """Celery tasks run in the caller's process (the PDFs of the engagements and the experts' work)."""
    from jmu_planner.celery import app as celery_app

    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


# The engagements' and the experts' work of one LSG (stakeholders/engagements/tests/world.py).
@pytest.fixture
def plan(jmu):
    return PlanFactory(
        jmu=jmu, period_start=datetime.date(2027, 1, 1), period_end=datetime.date(2027, 12, 31)
    )


@pytest.fixture
def measure(plan):
    return MeasureFactory(plan=plan, title="Upis dece u vrtić")


@pytest.fixture
def work(lsg, plan, measure, users):
    return engagement_world(lsg=lsg, plan=plan, measure=measure, users=users)
