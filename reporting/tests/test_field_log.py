"""The field log (issue 24): entries belong to the JMU and the day; the month's report shows them
and freezes them; phones send entries with an id of their own, taken once."""

from __future__ import annotations

import datetime
import json
import threading
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jmu_planner.access import Role
from plans.tests.factories import MeasureFactory, PlanFactory
from reporting import lifecycle, selectors, services
from reporting.models import COUNT_FIELDS, FieldActivity
from reporting.services import ReportNotEditable
from reporting.tests.worlds import YEAR
from stakeholders.tests.factories import (
    JMUFactory,
    LSGFactory,
    MembershipFactory,
    SettlementFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
SYNC = "reporting:field-log-sync"


def entry(plan, **extra):
    return {
        "id": str(uuid.uuid4()),
        "jmu": plan.jmu.pk,
        "date": f"{YEAR}-03-04",
        "type": "field_visit",
        "settlement": plan.jmu.lsg.settlements.get().pk,
        "households": 2,
        **dict.fromkeys(COUNT_FIELDS, 0),
        "male_0_17": 3,
        "female_18_64": 1,
        **extra,
    }


def send(client, *entries):
    response = client.post(reverse(SYNC), {"entries": list(entries)}, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Freezing with the month's report ----------------------------------------------------------------


def move(report, *steps, users):
    for to in steps:
        actor = users["officer"] if to in ("returned", "accepted") else users["coordinator"]
        lifecycle.report_transition(
            report=report, to=to, actor=actor, note="Fali" if to == "returned" else ""
        )
        report.refresh_from_db()


def test_entries_freeze_with_the_submitted_report_and_open_when_it_is_returned(monthly, users, indicators):
    mar = monthly(3)
    for indicator in indicators.values():
        services.indicator_values_save(
            report=mar, actor=users["coordinator"], rows=[services.ValueRow(indicator, {"value": 1})]
        )
    mine = services.activity_save(
        jmu=mar.jmu, actor=users["member"], data={"date": datetime.date(YEAR, 3, 3)}
    )
    move(mar, "submitted", users=users)
    mine = FieldActivity.objects.get(pk=mine.pk)
    with pytest.raises(ReportNotEditable) as refused:
        services.activity_save(jmu=mar.jmu, actor=users["member"], data={"households": 4}, activity=mine)
    assert "has been submitted: its field log is frozen until the report is returned" in str(refused.value)
    with pytest.raises(ReportNotEditable):
        services.activity_delete(activity=mine, actor=users["coordinator"])
    with pytest.raises(ReportNotEditable) as refused:
        services.activity_save(jmu=mar.jmu, actor=users["member"], data={"date": datetime.date(YEAR, 3, 9)})
    assert "submitted" in refused.value.message_dict["date"][0]
    move(mar, "returned", users=users)
    mine = FieldActivity.objects.get(pk=mine.pk)
    services.activity_save(jmu=mar.jmu, actor=users["member"], data={"households": 4}, activity=mine)
    services.activity_save(jmu=mar.jmu, actor=users["coordinator"], data={"date": datetime.date(YEAR, 3, 9)})
    move(mar, "submitted", "accepted", users=users)
    with pytest.raises(ReportNotEditable) as refused:
        services.activity_save(jmu=mar.jmu, actor=users["member"], data={"date": datetime.date(YEAR, 3, 10)})
    assert refused.value.message_dict["date"] == [
        f"The report for 03/{YEAR} has been accepted: its field log is closed."
    ]
    assert FieldActivity.objects.get(pk=mine.pk).households == 4 and FieldActivity.objects.count() == 2


def test_an_entry_cannot_move_into_a_closed_month(monthly, users, indicators):
    jan = monthly(1)
    for indicator in indicators.values():
        services.indicator_values_save(
            report=jan, actor=users["coordinator"], rows=[services.ValueRow(indicator, {"value": 1})]
        )
    move(jan, "submitted", users=users)
    entry_ = services.activity_save(
        jmu=jan.jmu, actor=users["member"], data={"date": datetime.date(YEAR, 2, 3)}
    )
    with pytest.raises(ReportNotEditable):
        services.activity_save(
            jmu=jan.jmu, actor=users["member"], data={"date": datetime.date(YEAR, 1, 30)}, activity=entry_
        )
    assert FieldActivity.objects.get().date == datetime.date(YEAR, 2, 3)


def test_author_and_coordinator_change_an_entry_another_member_does_not(plan, users):
    other_member = user_with_role(Role.MEMBER, plan.jmu.lsg)
    mine = services.activity_save(
        jmu=plan.jmu, actor=users["member"], data={"date": datetime.date(YEAR, 3, 3)}
    )
    services.activity_save(jmu=plan.jmu, actor=users["coordinator"], data={"households": 2}, activity=mine)
    with pytest.raises(ReportNotEditable):
        services.activity_save(jmu=plan.jmu, actor=other_member, data={"households": 9}, activity=mine)
    with pytest.raises(ReportNotEditable):
        services.activity_delete(activity=mine, actor=other_member)
    services.activity_delete(activity=mine, actor=users["member"])
    assert not FieldActivity.objects.exists()


def test_measures_must_be_of_the_plan_in_force_on_the_day(plan, users):
    foreign = MeasureFactory(plan=PlanFactory())
    with pytest.raises(ReportNotEditable.__base__) as refused:
        services.activity_save(
            jmu=plan.jmu, actor=users["member"], data={"date": datetime.date(YEAR, 3, 3)}, measures=[foreign]
        )
    assert "measures" in refused.value.message_dict
    own = plan.measures.get()
    saved = services.activity_save(
        jmu=plan.jmu, actor=users["member"], data={"date": datetime.date(YEAR, 3, 3)}, measures=[own]
    )
    assert list(saved.measures.all()) == [own]


# --- The form and the pages ---------------------------------------------------------------------------


def test_the_form_is_dated_today_with_the_member_ticked_and_recent_settlements_first(client, plan, users):
    lsg = plan.jmu.lsg
    users["member"].email = "asistent@example.org"
    users["member"].save()
    own = MembershipFactory(jmu=plan.jmu, email="Asistent@example.org")
    MembershipFactory(jmu=plan.jmu, email="neko@example.org")
    older, recent = (
        SettlementFactory(lsg=lsg, name="Aaa naselje"),
        SettlementFactory(lsg=lsg, name="Zzz naselje"),
    )
    services.activity_save(
        jmu=plan.jmu,
        actor=users["coordinator"],
        data={"date": datetime.date(YEAR, 3, 1), "settlement": older},
    )
    services.activity_save(
        jmu=plan.jmu,
        actor=users["coordinator"],
        data={"date": datetime.date(YEAR, 3, 20), "settlement": recent},
    )
    client.force_login(users["member"])
    response = client.get(reverse("reporting:activity-create"))
    form = response.context["form"]
    assert form.initial["date"] == timezone.localdate() and form.initial["members"] == [own.pk]
    assert [s.name for s in form.fields["settlement"].queryset][:2] == ["Zzz naselje", "Aaa naselje"]
    html = response.content.decode()
    assert "Save and add another" in html and 'id="people-sum"' in html


def test_save_and_add_another_keeps_the_day_and_counts_must_add_up(client, plan, users):
    client.force_login(users["member"])
    data = {key: value for key, value in entry(plan).items() if key != "id"}
    response = client.post(reverse("reporting:activity-create"), {**data, "people_total": "5"})
    assert "add up to 4, not 5" in str(response.context["form"].errors["people_total"])
    assert not FieldActivity.objects.exists()
    response = client.post(
        reverse("reporting:activity-create"), {**data, "people_total": "4", "another": "1"}
    )
    assert response.url == reverse("reporting:activity-create") + f"?jmu={plan.jmu.pk}&date={YEAR}-03-04"
    assert FieldActivity.objects.get().people == 4


def test_the_member_sees_this_weeks_entries_with_totals(client, plan, users, django_assert_max_num_queries):
    today = timezone.localdate()
    for n in range(3):
        services.activity_save(
            jmu=plan.jmu, actor=users["member"], data={"date": today, "households": 2, "male_0_17": n + 1}
        )
    services.activity_save(jmu=plan.jmu, actor=users["coordinator"], data={"date": today, "male_0_17": 50})
    services.activity_save(
        jmu=plan.jmu,
        actor=users["member"],
        data={"date": today - datetime.timedelta(days=30), "male_0_17": 7},
    )
    log = selectors.field_log(user=users["member"])
    assert (len(log.this_week), log.people, log.households, len(log.earlier)) == (3, 6, 6, 1)
    client.force_login(users["member"])
    with django_assert_max_num_queries(12):
        home = client.get(reverse("home")).content.decode()
    assert home.index('id="log-field-work"') < home.index('id="lsg-cards"')
    assert "3 entries" in home and "<strong>6</strong>" in home
    assert client.get(reverse("reporting:field-log")).context["log"].people == 6


# --- The sync endpoint ---------------------------------------------------------------------------------


def test_the_same_batch_sent_three_times_makes_one_row_each(client, plan, users):
    client.force_login(users["member"])
    batch = [entry(plan), entry(plan, date=f"{YEAR}-03-05")]
    answers = [send(client, *batch) for _ in range(3)]
    assert FieldActivity.objects.count() == 2
    for answer in answers:
        assert [a["status"] for a in answer] == ["sent", "sent"]
    assert {a["pk"] for a in answers[0]} == {a["pk"] for a in answers[2]}
    assert set(FieldActivity.objects.values_list("client_id", flat=True)) == {
        uuid.UUID(e["id"]) for e in batch
    }


@pytest.mark.django_db(transaction=True)
def test_a_batch_sent_twice_at_once_makes_one_row_each(reference_data, plan, users):
    batch = [entry(plan), entry(plan, date=f"{YEAR}-03-05")]
    barrier = threading.Barrier(2)
    answers = []

    def post():
        client = Client()
        client.force_login(users["member"])
        barrier.wait()
        try:
            answers.append(send(client, *batch))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 2 and all(a["status"] == "sent" for answer in answers for a in answer)
    assert FieldActivity.objects.count() == 2


def test_another_lsgs_settlement_and_another_jmu_are_refused(client, plan, users):
    other_plan = PlanFactory(jmu=JMUFactory(lsg=LSGFactory()))
    foreign = SettlementFactory(lsg=other_plan.jmu.lsg)
    client.force_login(users["member"])
    wrong_settlement, wrong_jmu = entry(plan, settlement=foreign.pk), entry(plan, jmu=other_plan.jmu.pk)
    answer = send(client, wrong_settlement, wrong_jmu, entry(plan))
    assert [a["status"] for a in answer] == ["refused", "refused", "sent"]
    assert "settlement" in answer[0]["errors"] and answer[0]["reason"].startswith("Settlement:")
    assert answer[1]["reason"] == "You may not log field work for this JMU."
    assert (
        FieldActivity.objects.count() == 1 and not FieldActivity.objects.filter(jmu=other_plan.jmu).exists()
    )


def test_a_frozen_month_is_refused_then_fixed_and_sent(client, plan, users, monthly, indicators):
    jan = monthly(1)
    for indicator in indicators.values():
        services.indicator_values_save(
            report=jan, actor=users["coordinator"], rows=[services.ValueRow(indicator, {"value": 1})]
        )
    move(jan, "submitted", "accepted", users=users)
    client.force_login(users["member"])
    late = entry(plan, date=f"{YEAR}-01-20")
    [answer] = send(client, late)
    assert answer["status"] == "refused" and "has been accepted" in answer["errors"]["date"][0]
    [answer] = send(client, {**late, "date": f"{YEAR}-02-02"})  # fixed on the phone, same id
    assert answer["status"] == "sent" and FieldActivity.objects.get().client_id == uuid.UUID(late["id"])


def test_counts_that_do_not_add_up_are_refused(client, plan, users):
    client.force_login(users["member"])
    [answer] = send(client, entry(plan, people_total=9))
    assert answer["status"] == "refused" and "add up to 4, not 9" in answer["reason"]
    assert not FieldActivity.objects.exists()


def test_another_users_id_is_not_taken_as_theirs(client, plan, users):
    first = entry(plan)
    client.force_login(users["member"])
    send(client, first)
    client.force_login(users["coordinator"])
    [answer] = send(client, {**first, "households": 99})
    assert answer["status"] == "refused" and FieldActivity.objects.get().households == 2


def test_sync_needs_a_session_and_the_csrf_token(plan, users):
    client = Client(enforce_csrf_checks=True)
    url = reverse(SYNC)
    body = json.dumps({"entries": [entry(plan)]})
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(users["member"])
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    client.get(reverse("reporting:activity-create"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(url, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 200 and FieldActivity.objects.count() == 1


def test_sync_refuses_too_much_at_once_and_too_often(client, plan, users, monkeypatch):
    client.force_login(users["member"])
    url = reverse(SYNC)
    many = {"entries": [entry(plan) for _ in range(26)]}
    assert client.post(url, many, content_type="application/json").status_code == 400
    huge = {"entries": [entry(plan, note="x" * 300_000)]}
    assert client.post(url, huge, content_type="application/json").status_code == 413
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"field_sync": "2/hour"})
    cache.clear()  # the two refusals above counted too
    codes = [
        client.post(url, {"entries": [entry(plan)]}, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    assert FieldActivity.objects.count() == 2


def test_the_field_log_page_reads_the_same_few_queries_for_1_or_30_entries(
    client, plan, users, monthly, django_assert_num_queries
):
    """1 session + 1 user + 1 roles, 1 the user's entries with settlement, JMU and LSG, 1 their months'
    reports, + SAVEPOINT/RELEASE = 7 (the navigation's inbox count loads later, by htmx)."""
    monthly(3)
    client.force_login(users["member"])
    url = reverse("reporting:field-log")

    def add(days):
        for day in days:
            services.activity_save(
                jmu=plan.jmu,
                actor=users["member"],
                data={"date": datetime.date(YEAR, 3, day), "male_0_17": 1},
            )

    add([1])
    with django_assert_num_queries(7):
        client.get(url)
    add(range(2, 31))
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.context["log"].earlier) == 20  # the latest 20 before this week
