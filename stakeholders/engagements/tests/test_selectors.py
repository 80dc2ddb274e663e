"""The reads of engagements and the experts' work (stakeholders/engagements/selectors.py,
stakeholders/experts/selectors.py): what an assigned expert,
another LSG's expert and a programme officer find, and the figures they add."""

import datetime
from decimal import Decimal

import pytest
from django.http import Http404

from plans.models import OperationalPlan
from plans.tests.factories import MeasureFactory, PlanFactory
from stakeholders.engagements import selectors
from stakeholders.engagements.tests.world import engagement_world
from stakeholders.experts import selectors as expert_selectors
from stakeholders.models import TimeSheet, TimeSheetEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(jmu):
    return PlanFactory(jmu=jmu)


@pytest.fixture
def work(lsg, plan, users):
    return engagement_world(lsg=lsg, plan=plan, measure=MeasureFactory(plan=plan), users=users)


def test_engagements_are_found_by_the_lsgs_expert_and_officers_and_not_by_another_lsgs_expert(work, users):
    engagement = work.engagement
    assert list(selectors.engagement_list(user=users["expert"])) == [engagement]
    assert engagement in selectors.engagement_list(user=users["officer"])
    assert list(selectors.engagement_list(user=users["unassigned_expert"])) == []
    assert selectors.engagement_get(user=users["coordinator"], pk=engagement.pk) == engagement
    with pytest.raises(Http404):
        selectors.engagement_get(user=users["unassigned_expert"], pk=engagement.pk)


def test_contract_summaries_count_days_entered_and_accepted_for_the_contracts_expert_only(work, users, lsg):
    accepted = TimeSheet.objects.create(
        contract=work.contract, month=datetime.date(2029, 4, 1), status=TimeSheet.Status.ACCEPTED
    )
    TimeSheetEntry.objects.create(timesheet=accepted, lsg=lsg, activity="Obilazak", days=Decimal("2"))
    [summary] = expert_selectors.contract_summaries(user=users["expert"])
    assert (summary.contract, summary.used, summary.accepted) == (work.contract, Decimal("3.5"), Decimal("2"))
    assert summary.left == Decimal("16.5")  # 20 contracted
    assert expert_selectors.contract_summaries(user=users["unassigned_expert"]) == []
    assert [s.contract for s in expert_selectors.contract_summaries(user=users["officer"])] == [work.contract]


def test_current_plan_measures_leave_out_a_superseded_version(lsg, jmu, plan):
    current = MeasureFactory(plan=plan)
    old = PlanFactory(
        jmu=jmu,
        status=OperationalPlan.Status.SUPERSEDED,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    MeasureFactory(plan=old)
    MeasureFactory(plan=PlanFactory())  # another LSG's
    assert list(selectors.current_plan_measures(lsg.pk)) == [current]
