"""The plans' reads (plans/selectors.py): scoped to the user first (mine is found, another LSG's is
not), then the figures they compute."""

import datetime
from decimal import Decimal

import pytest
from django.http import Http404

from plans import selectors
from plans.models import BudgetEnvelope, OperationalPlan
from plans.tests.factories import BudgetLineFactory, MeasureFactory, PlanFactory, area, source
from plans.tests.helpers import move
from stakeholders.tests.factories import JMUFactory

pytestmark = pytest.mark.django_db
Status = OperationalPlan.Status


@pytest.fixture
def theirs(users):
    """A plan of the other coordinator's LSG."""
    return PlanFactory(jmu=JMUFactory(lsg=users["other_coordinator"].lsg_roles.get().lsg))


def test_plan_list_shows_my_lsgs_plans_with_their_measure_counts_and_not_another_lsgs(plan, theirs, users):
    MeasureFactory(plan=plan)
    MeasureFactory(plan=plan)
    mine = list(selectors.plan_list(user=users["coordinator"]))
    assert [(p.pk, p.measure_count) for p in mine] == [(plan.pk, 2)]
    assert {p.pk for p in selectors.plan_list(user=users["officer"])} == {plan.pk, theirs.pk}
    assert not selectors.plan_list(user=users["unassigned_expert"]).filter(pk=plan.pk).exists()


def test_plan_page_finds_my_plan_and_not_another_lsgs(measure, theirs, users):
    page = selectors.plan_page(user=users["member"], pk=measure.plan.pk)
    assert (page.plan, page.measure_count, page.can_edit) == (measure.plan, 1, False)
    with pytest.raises(Http404):
        selectors.plan_page(user=users["coordinator"], pk=theirs.pk)


def test_review_queue_says_when_each_visible_plan_was_last_submitted(measure, theirs, users):
    plan = measure.plan
    move(plan, Status.SUBMITTED, users["coordinator"])
    queue = {p.pk: p for p in selectors.review_queue(user=users["officer"])}
    assert queue[plan.pk].submitted_at == plan.transitions.get(to_status=Status.SUBMITTED).at
    assert queue[theirs.pk].submitted_at is None  # a draft: never submitted
    assert [p.pk for p in selectors.review_queue(user=users["other_coordinator"])] == [theirs.pk]


def test_first_free_year_skips_the_years_the_jmus_have_plans_for(plan):
    PlanFactory(jmu=plan.jmu, period_start=datetime.date(2028, 1, 1), period_end=datetime.date(2028, 12, 31))
    assert selectors.first_free_year([plan.jmu], from_year=2027) == 2029
    assert selectors.first_free_year([plan.jmu], from_year=2026) == 2026
    assert selectors.first_free_year([JMUFactory()], from_year=2027) == 2027


def test_plan_totals_count_a_shared_envelope_once_and_its_draws_in_their_area(plan):
    measure = MeasureFactory(plan=plan, area=area(2))
    envelope = BudgetEnvelope.objects.create(
        plan=plan, name="LAP 2027", source=source("lsg-budget"), amount=Decimal("500.00")
    )
    BudgetLineFactory(measure=measure, source=source("sctm"), amount=Decimal("100.00"))
    BudgetLineFactory(
        measure=measure, source=source("lsg-budget"), amount=Decimal("200.00"), envelope=envelope
    )
    BudgetLineFactory(
        measure=MeasureFactory(plan=plan, area=area(3)),
        source=source("lsg-budget"),
        amount=Decimal("150.00"),
        envelope=envelope,
    )

    totals = selectors.plan_totals(selectors.measures_with_details(plan), selectors.plan_envelopes(plan))

    assert totals.overall == Decimal("600.00")  # 100 of its own + the envelope's 500, once
    assert totals.by_area == {area(2).pk: Decimal("300.00"), area(3).pk: Decimal("150.00")}
    assert sorted((s.code, amount) for s, amount in totals.by_source) == [
        ("lsg-budget", Decimal("500.00")),  # the envelope's source, not its draws'
        ("sctm", Decimal("100.00")),
    ]
    [use] = totals.envelopes
    assert (use.envelope, use.drawn, use.remaining) == (envelope, Decimal("350.00"), Decimal("150.00"))
