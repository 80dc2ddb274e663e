"""Double clicks that would make twins: create plan, copy plan and new measure sent twice at the same
moment (two threads, two database connections, PostgreSQL) make one; the overlap rule is the
database's too; a header edit racing a submission waits for it and is refused."""

import re
import threading
import uuid

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from jmu_planner.tests.threads import JOIN_TIMEOUT, run_and_join
from plans import services
from plans.lifecycle import plan_transition
from plans.models import Measure, OperationalPlan
from plans.tests.factories import PlanFactory
from plans.tests.helpers import measure_post

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),  # thematic areas and sources (flushed between tests)
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks and constraints of PostgreSQL"),
]


def at_once(user, url: str, data_for_each: list[dict]) -> list:
    """POST each data at the same moment from its own client and connection; the responses."""
    barrier = threading.Barrier(len(data_for_each), timeout=JOIN_TIMEOUT)
    responses: list = [None] * len(data_for_each)

    def send(index: int, data: dict) -> None:
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            responses[index] = client.post(url, data)
        finally:
            connections.close_all()

    run_and_join([threading.Thread(target=send, args=(i, d)) for i, d in enumerate(data_for_each)])
    return responses


def new_plan_data(plan, token) -> dict:
    return {
        "jmu": plan.jmu.pk,
        "title": "Plan 2028",
        "period_start": "2028-01-01",
        "period_end": "2028-12-31",
        "eur_rate": "117.20",
        "request_token": str(token),
    }


def test_a_double_clicked_new_plan_makes_one_and_both_clicks_land_on_it(users, plan):
    token = uuid.uuid4()
    responses = at_once(users["coordinator"], reverse("plans:plan-create"), [new_plan_data(plan, token)] * 2)
    made = OperationalPlan.objects.get(title="Plan 2028")
    assert made.request_token == token
    assert [r.status_code for r in responses] == [302, 302]
    assert {r.url for r in responses} == {reverse("plans:plan-detail", args=[made.pk])}


def test_a_second_click_whose_first_commits_during_its_validation_lands_on_the_first_plan(
    users, plan, monkeypatch
):
    """The 2-in-18 race of the fault probe, made certain: the second click has read the form (no
    plan with its token yet) when the first click commits; it must still land on that plan, not be
    told of an overlap with it."""
    from plans.forms import PlanCreateForm

    token, url = uuid.uuid4(), reverse("plans:plan-create")
    validate = PlanCreateForm.clean

    def first_click_commits_meanwhile(form):
        cleaned = validate(form)
        monkeypatch.setattr(PlanCreateForm, "clean", validate)  # the first click validates plainly
        first = threading.Thread(
            target=at_once, args=(users["coordinator"], url, [new_plan_data(plan, token)])
        )
        first.start()
        first.join(timeout=60)
        assert not first.is_alive(), "the first click waited for the second"
        return cleaned

    monkeypatch.setattr(PlanCreateForm, "clean", first_click_commits_meanwhile)
    client = Client()
    client.force_login(users["coordinator"])
    second = client.post(url, new_plan_data(plan, token))
    made = OperationalPlan.objects.get(title="Plan 2028")
    assert "overlapping period" not in second.content.decode()
    assert (second.status_code, second.url) == (302, reverse("plans:plan-detail", args=[made.pk]))


def test_two_different_forms_for_one_period_make_one_plan_and_the_other_is_told(users, plan):
    responses = at_once(
        users["coordinator"],
        reverse("plans:plan-create"),
        [new_plan_data(plan, uuid.uuid4()), new_plan_data(plan, uuid.uuid4())],
    )
    assert OperationalPlan.objects.filter(title="Plan 2028").count() == 1
    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200)
    assert "overlapping period" in refused.content.decode()


def test_a_double_clicked_copy_makes_one_copy(users, measure):
    data = {
        "title": "Kopija 2028",
        "period_start": "2028-01-01",
        "period_end": "2028-12-31",
        "request_token": str(uuid.uuid4()),
    }
    url = reverse("plans:plan-copy", args=[measure.plan.pk])
    responses = at_once(users["coordinator"], url, [data] * 2)
    copy = OperationalPlan.objects.get(title="Kopija 2028")
    assert copy.measures.count() == 1
    assert {r.url for r in responses} == {reverse("plans:plan-detail", args=[copy.pk])}


def test_a_double_clicked_new_measure_makes_one(users, plan):
    data = measure_post(plan, request_token=str(uuid.uuid4()))
    responses = at_once(users["coordinator"], reverse("plans:measure-create", args=[plan.pk]), [data] * 2)
    assert [r.status_code for r in responses] == [302, 302]
    measure = Measure.objects.get(plan=plan)
    assert (measure.code, measure.indicators.count()) == ("2.1", 2)


def test_the_new_measure_form_carries_a_fresh_token(client, users, plan):
    client.force_login(users["coordinator"])
    url = reverse("plans:measure-create", args=[plan.pk])
    tokens = [client.get(url).context["form"]["request_token"].value() for _ in range(2)]
    assert all(tokens) and tokens[0] != tokens[1]


def test_the_database_refuses_overlapping_plans_of_a_jmu_but_not_versions_of_one_plan(plan):
    version = PlanFactory.build(
        jmu=plan.jmu,
        lineage=plan.lineage,
        version=2,
        period_start=plan.period_start,
        period_end=plan.period_end,
    )
    version.save()  # an amendment shares its plan's period
    other = PlanFactory.build(
        jmu=plan.jmu,
        period_start=plan.period_end,
        period_end=plan.period_end.replace(year=plan.period_end.year + 1),
    )
    with pytest.raises(IntegrityError, match="plan_periods_of_a_jmu_do_not_overlap"), transaction.atomic():
        other.save()  # bypassing the model's validation: the last day is shared


def test_a_header_edit_racing_a_submission_waits_for_it_and_is_refused(users, measure):
    """The submission holds the plan's row; the edit reads the status under the same lock."""
    plan = measure.plan
    submitted, edit_done = threading.Event(), threading.Event()
    outcome: dict = {}

    def submit():
        try:
            with transaction.atomic():
                plan_transition(
                    plan=OperationalPlan.objects.get(pk=plan.pk), to="submitted", actor=users["coordinator"]
                )
                submitted.set()
                edit_done.wait(1)  # hold the lock: the edit must be waiting, not done
                outcome["edit_done_while_locked"] = edit_done.is_set()
        finally:
            connections.close_all()

    def edit():
        stale = OperationalPlan.objects.get(pk=plan.pk)  # read as a draft before the submission
        submitted.wait(10)
        try:
            with transaction.atomic():
                services.plan_update(plan=stale, actor=users["coordinator"], data={"title": "Kasno"})
        except services.PlanNotEditable as error:
            outcome["refused"] = error.messages
        finally:
            edit_done.set()
            connections.close_all()

    run_and_join([threading.Thread(target=submit), threading.Thread(target=edit)])
    plan.refresh_from_db()
    assert (plan.status, plan.title) == ("submitted", measure.plan.title)
    assert outcome["edit_done_while_locked"] is False and "refused" in outcome
    assert connection.vendor == "postgresql"


def test_the_new_measure_page_sends_its_token_and_a_second_submit_lands_on_the_first_measure(
    client, users, plan
):
    """The token must reach the browser: read it from the page as a browser would, submit twice."""
    client.force_login(users["coordinator"])
    url = reverse("plans:measure-create", args=[plan.pk])
    page = client.get(url).content.decode()
    found = re.search(r'<input type="hidden" name="request_token" value="([0-9a-f-]{36})"', page)
    assert found, "the measure form does not carry its request token"
    data = measure_post(plan, request_token=found.group(1))
    first, second = client.post(url, data), client.post(url, data)
    measure = Measure.objects.get(plan=plan)
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.url == second.url == f"{reverse('plans:plan-detail', args=[plan.pk])}#measure-{measure.pk}"
