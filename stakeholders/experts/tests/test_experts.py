"""The experts' work: time sheets, the final report, their pages, PDFs and notifications."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from plans.tests.factories import MeasureFactory, PlanFactory
from reporting.documents import document_request
from reporting.models import Document
from stakeholders import lifecycle
from stakeholders.engagements.tests.world import as_user, engagement_world, inbox, pdf_text
from stakeholders.experts import selectors, services
from stakeholders.models import (
    Engagement,
    TimeSheet,
    TimeSheetEntry,
)
from stakeholders.tests.factories import LSGFactory


def test_days_over_the_contract_are_refused_and_half_days_allowed(client, work, lsg, users):
    url = reverse("stakeholders:timesheet-detail", args=[work.timesheet.pk])
    client = as_user(client, users["expert"])
    assert client.post(url, {"lsg": lsg.pk, "activity": "Izrada plana", "days": "18,5"}).status_code == 302
    response = client.post(url, {"lsg": lsg.pk, "activity": "Još", "days": "0,5"})
    assert response.status_code == 200
    assert "the contract has 20" in response.content.decode()
    response = client.post(url, {"lsg": lsg.pk, "activity": "Četvrtina", "days": "0,25"})
    assert response.status_code == 200
    assert TimeSheetEntry.objects.filter(timesheet=work.timesheet).count() == 2
    totals = selectors.timesheet_totals(TimeSheetEntry.objects.filter(timesheet__contract=work.contract))
    assert totals.total == Decimal("20.0")
    assert totals.by_lsg == [(lsg, Decimal("20.0"))]
    assert totals.by_month == [(datetime.date(2029, 3, 1), Decimal("20.0"))]
    (summary,) = selectors.contract_summaries(user=users["expert"])
    assert (summary.used, summary.accepted, summary.left) == (Decimal("20.0"), Decimal("0"), Decimal("0.0"))


def test_time_sheet_lifecycle_and_who_sees_it(client, work, users, lsg):
    assert selectors.contract_summaries(user=users["unassigned_expert"]) == []
    assert not TimeSheet.objects.visible_to(users["coordinator"]).exists()
    with pytest.raises(ValidationError):
        lifecycle.timesheet_transition(timesheet=work.timesheet, to="accepted", actor=users["officer"])
    lifecycle.timesheet_transition(timesheet=work.timesheet, to="submitted", actor=users["expert"])
    with pytest.raises(ValidationError):
        lifecycle.timesheet_transition(timesheet=work.timesheet, to="accepted", actor=users["expert"])
    lifecycle.timesheet_transition(timesheet=work.timesheet, to="accepted", actor=users["officer"])
    url = reverse("stakeholders:timesheet-detail", args=[work.timesheet.pk])
    response = as_user(client, users["expert"]).post(url, {"lsg": lsg.pk, "activity": "Kasno", "days": "1"})
    assert response.status_code == 403  # accepted: frozen
    (summary,) = selectors.contract_summaries(user=users["officer"])
    assert summary.accepted == Decimal("1.5")


def test_a_month_outside_the_contract_is_refused(work, users):
    with pytest.raises(ValidationError):
        services.timesheet_create(
            contract=work.contract, month=datetime.date(2030, 1, 1), actor=users["expert"]
        )


@pytest.mark.django_db(transaction=True)
def test_final_report_pdf_lists_activities_recommendations_and_days(reference_data, eager):
    from stakeholders.tests.factories import JMUFactory, user_with_role

    lsg = LSGFactory(name_lat="Čačak PDF", name_cyr="Чачак PDF")
    from jmu_planner.access import Role

    users = {"expert": user_with_role(Role.EXPERT, lsg)}
    plan = PlanFactory(jmu=JMUFactory(lsg=lsg))
    work = engagement_world(lsg=lsg, plan=plan, measure=MeasureFactory(plan=plan), users=users)
    Engagement.objects.filter(pk=work.engagement.pk).update(date=datetime.date(2029, 3, 10))
    document = document_request(actor=users["expert"], final_report=work.final_report)
    document.refresh_from_db()
    assert document.status == Document.Status.DONE, document.error
    text = pdf_text(document)
    for expected in [
        "Expert's final report",
        "Radionica o merama",
        "Uvesti redovne obilaske naselja.",
        "Nacrt plana.",
        "Čačak PDF",
        "1.5 / 20.0",
    ]:
        assert expected in text, expected


def test_time_sheet_and_final_report_through_the_pages(client, work, lsg, users):
    expert = as_user(client, users["expert"])
    page = expert.get(reverse("stakeholders:expert-work")).content.decode()
    assert "Ekspert za operativne planove" in page
    create = reverse("stakeholders:timesheet-create", args=[work.contract.pk])
    response = expert.post(create, {"month": "2029-04"})
    april = TimeSheet.objects.get(contract=work.contract, month=datetime.date(2029, 4, 1))
    assert response.url == reverse("stakeholders:timesheet-detail", args=[april.pk])
    assert expert.post(create, {"month": "2030-04"}, follow=True).status_code == 200  # outside: a message
    assert expert.post(create, {"month": "abc"}).status_code == 302
    assert TimeSheet.objects.filter(contract=work.contract).count() == 2
    submit = reverse("stakeholders:timesheet-transition", args=[april.pk, "submitted"])
    response = expert.post(submit, follow=True)
    assert "Enter at least one day" in response.content.decode()  # an empty month is not submitted
    officer = as_user(client, users["officer"])
    assert officer.post(create, {"month": "2029-05"}).status_code == 403

    expert = as_user(client, users["expert"])
    report_url = reverse("stakeholders:final-report", args=[work.contract.pk])
    assert (
        expert.post(report_url, {"outputs": "Tri radionice.", "conclusions": "Plan usvojen."}).status_code
        == 302
    )
    work.final_report.refresh_from_db()
    assert work.final_report.outputs == "Tri radionice."
    expert.post(reverse("stakeholders:final-report-transition", args=[work.final_report.pk, "submitted"]))
    officer = as_user(client, users["officer"])
    assert "Tri radionice." in officer.get(report_url).content.decode()
    officer.post(
        reverse("stakeholders:final-report-transition", args=[work.final_report.pk, "returned"]),
        {"note": "Dodati spisak radionica."},
    )
    work.final_report.refresh_from_db()
    assert work.final_report.status == "returned"
    assert "Dodati spisak radionica." in as_user(client, users["expert"]).get(report_url).content.decode()


def test_the_officers_hear_of_a_submission_and_the_expert_of_the_answer(work, users):
    expert, officer = users["expert"], users["officer"]
    lifecycle.timesheet_transition(timesheet=work.timesheet, to="submitted", actor=expert)
    lifecycle.final_report_transition(report=work.final_report, to="submitted", actor=expert)
    assert inbox(officer) == [
        f"{expert} submitted the time sheet for 03/2029 (Ekspert za operativne planove).",
        f"{expert} submitted the final report of “Ekspert za operativne planove”.",
    ]
    assert inbox(expert) == []  # nobody is told of their own move
    lifecycle.timesheet_transition(
        timesheet=work.timesheet, to="returned", actor=officer, note="Fali 12. mart."
    )
    lifecycle.final_report_transition(report=work.final_report, to="accepted", actor=officer)
    assert inbox(expert) == [
        f"{officer} returned your time sheet for 03/2029: Fali 12. mart.",
        f"{officer} accepted your final report of “Ekspert za operativne planove”.",
    ]
    from jmu_planner.notifications.models import Notification

    urls = set(Notification.objects.filter(recipient=expert).values_list("url", flat=True))
    assert urls == {
        reverse("stakeholders:timesheet-detail", args=[work.timesheet.pk]),
        reverse("stakeholders:final-report", args=[work.contract.pk]),
    }


def test_a_draft_sheets_rows_are_corrected_and_removed_and_the_limit_still_holds(client, work, lsg, users):
    entry = work.timesheet_entry
    detail = reverse("stakeholders:timesheet-detail", args=[work.timesheet.pk])
    edit = reverse("stakeholders:timesheet-entry-update", args=[entry.pk])
    client = as_user(client, users["expert"])
    page = client.get(detail).content.decode()
    assert edit in page and reverse("stakeholders:timesheet-entry-delete", args=[entry.pk]) in page
    assert 'value="Radionica"' in client.get(edit).content.decode()

    # Over the contract: refused beside the days, nothing changed; the row's own days do not count twice.
    response = client.post(edit, {"lsg": lsg.pk, "activity": "Radionica", "days": "20,5"})
    assert "the contract has 20" in str(response.context["form"].errors["days"])
    entry.refresh_from_db()
    assert entry.days == Decimal("1.5")
    assert (
        client.post(edit, {"lsg": lsg.pk, "activity": "Radionica u školi", "days": "20"}).status_code == 302
    )
    entry.refresh_from_db()
    assert (entry.activity, entry.days) == ("Radionica u školi", Decimal("20.0"))

    delete = reverse("stakeholders:timesheet-entry-delete", args=[entry.pk])
    assert as_user(client, users["officer"]).post(delete).status_code == 403  # reads, does not write
    client = as_user(client, users["expert"])
    assert client.post(delete).status_code == 302
    assert not TimeSheetEntry.objects.filter(timesheet=work.timesheet).exists()


def test_a_submitted_sheets_rows_stay_as_they_are(client, work, lsg, users):
    entry = work.timesheet_entry
    lifecycle.timesheet_transition(timesheet=work.timesheet, to="submitted", actor=users["expert"])
    client = as_user(client, users["expert"])
    assert (
        reverse("stakeholders:timesheet-entry-update", args=[entry.pk])
        not in client.get(reverse("stakeholders:timesheet-detail", args=[work.timesheet.pk])).content.decode()
    )
    edit = reverse("stakeholders:timesheet-entry-update", args=[entry.pk])
    assert client.post(edit, {"lsg": lsg.pk, "activity": "Kasno", "days": "1"}).status_code == 403
    assert client.post(reverse("stakeholders:timesheet-entry-delete", args=[entry.pk])).status_code == 403
    # Another expert does not see the row at all.
    other = as_user(client, users["unassigned_expert"])
    assert other.get(edit).status_code == 404
    entry.refresh_from_db()
    assert entry.activity == "Radionica"
