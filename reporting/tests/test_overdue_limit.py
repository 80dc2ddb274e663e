"""The overdue reports: the first `limit` of them are the whole list's first, in constant queries."""

import datetime

import pytest
from django.urls import reverse

from plans.models import OperationalPlan
from plans.tests.factories import PlanFactory
from reporting import selectors
from reporting.models import Report
from reporting.tests.worlds import YEAR
from stakeholders.tests.factories import JMUFactory, LSGFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans():
    made = []
    for year in (YEAR - 2, YEAR - 1, YEAR):
        for _ in range(3):
            made.append(
                PlanFactory(
                    jmu=JMUFactory(lsg=LSGFactory()),
                    status=OperationalPlan.Status.ADOPTED,
                    period_start=datetime.date(year, 1, 1),
                    period_end=datetime.date(year, 12, 31),
                )
            )
    return made


@pytest.mark.parametrize("limit", [1, 5, 20, 200])
def test_the_first_overdue_reports_are_those_of_the_whole_list(plans, users, limit):
    today = datetime.date(YEAR, 6, 20)
    everything = selectors.overdue_reports(user=users["officer"], today=today)
    assert len(everything) > 20
    assert selectors.overdue_reports(user=users["officer"], today=today, limit=limit) == everything[:limit]


def test_queries_stay_four_as_the_programme_grows(plans, users, django_assert_num_queries):
    today = datetime.date(YEAR, 6, 20)
    # 1 plans (tuples), 1 keys of submitted reports, 1 the plans shown, 1 their unsubmitted reports.
    with django_assert_num_queries(4):
        first = selectors.overdue_reports(user=users["officer"], today=today, limit=20)
    assert {due.plan.period_start.year for due in first} == {YEAR - 2}
    assert [due.due for due in first] == sorted(due.due for due in first)
    for _ in range(6):
        PlanFactory(
            jmu=JMUFactory(lsg=LSGFactory()),
            status=OperationalPlan.Status.ADOPTED,
            period_start=datetime.date(YEAR - 3, 1, 1),
            period_end=datetime.date(YEAR - 3, 12, 31),
        )
    with django_assert_num_queries(4):
        everything = selectors.overdue_reports(user=users["officer"], today=today)
    # The same list worked out the dashboard's way, from every adopted plan and report as objects.
    adopted = list(OperationalPlan.objects.filter(status=OperationalPlan.Status.ADOPTED))
    expected = [
        due
        for due in selectors.expected_reports(adopted, list(Report.objects.all()))
        if due.due < today and (due.report is None or due.report.status not in selectors.REPORTED)
    ]
    assert len(everything) == len(expected) > 6 * 17
    assert {due.plan.period_start.year for due in everything[:20]} == {YEAR - 3}


def test_the_summary_counts_them_all_and_shows_the_first(plans, users, django_assert_num_queries):
    today = datetime.date(YEAR, 6, 20)
    everything = selectors.overdue_reports(user=users["officer"], today=today)
    with django_assert_num_queries(4):
        summary = selectors.overdue_summary(user=users["officer"], today=today, shown=10)
    assert summary.count == len(everything) > 10
    assert summary.first == everything[:10]
    with django_assert_num_queries(2):  # the report list's badge: only the count
        assert selectors.overdue_summary(user=users["officer"], today=today, shown=0).count == len(everything)


def test_the_overdue_page_is_paginated_in_constant_queries(plans, users, django_assert_num_queries):
    today = datetime.date(YEAR, 6, 20)
    everything = selectors.overdue_reports(user=users["officer"], today=today)
    with django_assert_num_queries(4):
        second = selectors.overdue_page(user=users["officer"], page=2, per_page=10, today=today)
    assert list(second.object_list) == everything[10:20]
    assert second.paginator.count == len(everything)
    # A page out of range or not a number: the last page or the first, never an error.
    last = selectors.overdue_page(user=users["officer"], page=999, per_page=10, today=today)
    assert last.number == last.paginator.num_pages
    assert selectors.overdue_page(user=users["officer"], page="x", per_page=10, today=today).number == 1


def test_the_overdue_list_pages(client, plans, users):
    client.force_login(users["officer"])
    url = reverse("reporting:overdue")
    first = client.get(url)
    assert first.status_code == 200 and first.context["page_obj"].paginator.count > 0
    assert client.get(url, {"page": "2"}).status_code == 200
    assert client.get(url, {"page": "not a page"}).status_code == 200
