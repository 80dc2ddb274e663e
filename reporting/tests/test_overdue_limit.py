"""The report list's overdue box reads only as many plans as its 20 rows need."""

import datetime

import pytest

from plans.models import OperationalPlan
from plans.tests.factories import PlanFactory
from reporting import selectors
from reporting.tests.conftest import YEAR
from stakeholders.tests.factories import JMUFactory, LSGFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans():
    made = []
    for year in (YEAR - 2, YEAR - 1, YEAR):
        for _ in range(3):
            made.append(PlanFactory(
                jmu=JMUFactory(lsg=LSGFactory()), status=OperationalPlan.Status.ADOPTED,
                period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31),
            ))  # fmt: skip
    return made


@pytest.mark.parametrize("limit", [1, 5, 20, 200])
def test_the_first_overdue_reports_are_those_of_the_whole_list(plans, users, monkeypatch, limit):
    monkeypatch.setattr(selectors, "OVERDUE_BATCH", 2)  # several batches with 9 plans
    today = datetime.date(YEAR, 6, 20)
    everything = selectors.overdue_reports(user=users["officer"], today=today)
    assert len(everything) > 20
    assert selectors.overdue_reports(user=users["officer"], today=today, limit=limit) == everything[:limit]


def test_only_the_oldest_plans_are_read_when_they_fill_the_list(
    plans, users, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(selectors, "OVERDUE_BATCH", 3)
    today = datetime.date(YEAR, 6, 20)
    # The three plans of YEAR - 2 owe 3 × 17 reports, all due before YEAR - 1 starts: one batch
    # (the plans + the following one, their reports).
    with django_assert_num_queries(2):
        first = selectors.overdue_reports(user=users["officer"], today=today, limit=20)
    assert {due.plan.period_start.year for due in first} == {YEAR - 2}
