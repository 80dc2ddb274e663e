import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jmu_planner.notifications.models import Notification
from plans import comments, lifecycle
from plans.models import OperationalPlan, PlanTransition
from plans.tests.factories import MeasureFactory
from plans.tests.helpers import PDF, adopt, through_approval

pytestmark = pytest.mark.django_db
Status = OperationalPlan.Status

# Who signs the decision (the adoption form asks for it).
SIGNATORY = {"signatory_name": "Marija Petrović", "signatory_function": "Predsednica Gradskog veća"}


def test_submit_request_changes_and_approve_through_the_pages(client, users, measure):
    plan = measure.plan
    client.force_login(users["coordinator"])
    response = client.post(reverse("plans:plan-transition", args=[plan.pk, "submitted"]), {"note": ""})
    assert response.status_code == 302

    client.force_login(users["officer"])
    url = reverse("plans:plan-transition", args=[plan.pk, "changes_requested"])
    response = client.post(url, {"note": ""})
    assert response.status_code == 200 and "note is required" in str(response.context["form"].errors["note"])
    client.post(url, {"note": "Precizirajte ciljnu grupu."})
    plan.refresh_from_db()
    assert plan.status == Status.CHANGES_REQUESTED

    client.force_login(users["coordinator"])
    page = client.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    assert "Precizirajte ciljnu grupu." in page  # the officer's note is shown to the authors
    client.post(reverse("plans:plan-transition", args=[plan.pk, "submitted"]), {"note": "Dopunjeno"})

    comments.thread_start(plan=plan, actor=users["officer"], body="Otvoreno pitanje")
    client.force_login(users["officer"])
    url = reverse("plans:plan-transition", args=[plan.pk, "approved"])
    response = client.post(url, {"note": ""})
    assert "Tick the box" in str(response.context["form"].errors["confirm_open_threads"])
    assert client.post(url, {"note": "", "confirm_open_threads": "on"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED
    assert PlanTransition.objects.filter(plan=plan).count() == 4


def test_the_submit_page_lists_what_is_missing(client, users, plan):
    MeasureFactory(plan=plan, responsible=None)
    client.force_login(users["coordinator"])
    response = client.get(reverse("plans:plan-transition", args=[plan.pk, "submitted"]))
    assert "Measure 1.1: no indicator, no responsible institution." in response.content.decode()


def test_adoption_through_the_page_and_the_decision_download(client, users, measure, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    plan = through_approval(measure.plan, users)
    client.force_login(users["coordinator"])
    url = reverse("plans:plan-adopt", args=[plan.pk])
    data = {"adopting_body": "city_council", "adoption_number": "06-1/2026", "adoption_date": "2026-10-01"}
    # The signature block of the adopted plan names who signed the decision: the form asks for it.
    response = client.post(url, data | {"adoption_file": SimpleUploadedFile("o.pdf", PDF)})
    assert {"signatory_name", "signatory_function"} <= set(response.context["form"].errors)
    data |= {"signatory_name": "Ana Ilić", "signatory_function": "Predsednica Gradskog veća"}
    response = client.post(url, data | {"adoption_file": SimpleUploadedFile("o.pdf", b"not a pdf")})
    assert "not a PDF" in str(response.context["form"].errors["adoption_file"])
    response = client.post(url, data | {"adoption_file": SimpleUploadedFile("o.pdf", PDF)})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.ADOPTED
    assert (plan.signatory_name, plan.signatory_function) == ("Ana Ilić", "Predsednica Gradskog veća")
    client.force_login(users["member"])
    download = client.get(reverse("plans:plan-decision", args=[plan.pk]))
    assert download["Content-Type"] == "application/pdf" and b"".join(download.streaming_content) == PDF
    client.force_login(users["other_coordinator"])
    assert client.get(reverse("plans:plan-decision", args=[plan.pk])).status_code == 404


@pytest.mark.parametrize("name", ["plan-update", "plan-communication", "plan-import", "measure-create"])
def test_frozen_versions_have_no_edit_pages_for_anyone(client, users, measure, name, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    plan = through_approval(measure.plan, users)
    for role in ["coordinator", "expert", "administrator"]:
        client.force_login(users[role])
        # Seen, but refused with the reason: the version is frozen.
        assert client.get(reverse(f"plans:{name}", args=[plan.pk])).status_code == 403
        assert client.get(reverse("plans:measure-update", args=[measure.pk])).status_code == 403
        assert client.post(reverse("plans:measure-delete", args=[measure.pk])).status_code == 403
    adopt(plan, users)
    client.force_login(users["administrator"])
    response = client.get(reverse(f"plans:{name}", args=[plan.pk]))
    assert response.status_code == 403 and "can no longer be changed" in response.content.decode()


def test_amendment_compare_and_history_pages(client, users, measure, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    plan = through_approval(measure.plan, users)
    adopt(plan, users)
    client.force_login(users["coordinator"])
    response = client.post(reverse("plans:plan-amend", args=[plan.pk]))
    v2 = OperationalPlan.objects.get(amends=plan)
    assert response.url == reverse("plans:plan-detail", args=[v2.pk])
    page = client.get(response.url).content.decode()
    assert "v1" in page and "compare with this version" in page
    compare = client.get(reverse("plans:plan-compare", args=[v2.pk]))
    assert compare.status_code == 200 and compare.context["comparison"].old == plan
    history_page = client.get(reverse("plans:measure-history", args=[measure.pk]))
    assert history_page.status_code == 200 and history_page.context["entries"]


def test_review_queue_shows_days_waited_and_filters(client, users, measure):
    plan = measure.plan
    lifecycle.plan_transition(plan=plan, to=Status.SUBMITTED, actor=users["coordinator"])
    PlanTransition.objects.filter(plan=plan).update(at=timezone.now() - datetime.timedelta(days=9))
    client.force_login(users["officer"])
    response = client.get(reverse("plans:review-queue"))
    rows = list(response.context["object_list"])
    assert rows == [plan] and rows[0].days_waiting == 9
    response = client.get(
        reverse("plans:review-queue"), {"status": "submitted", "district": plan.jmu.lsg.district_id}
    )
    assert list(response.context["object_list"]) == [plan]
    response = client.get(reverse("plans:review-queue"), {"status": "approved"})
    assert list(response.context["object_list"]) == []


def test_inbox_badge_and_reading(client, users, measure):
    lifecycle.plan_transition(plan=measure.plan, to=Status.SUBMITTED, actor=users["coordinator"])
    client.force_login(users["officer"])
    assert ">1<" in client.get(reverse("notifications:inbox-count")).content.decode()
    notification = Notification.objects.get(recipient=users["officer"])
    response = client.get(reverse("notifications:notification-open", args=[notification.pk]))
    assert response.url == reverse("plans:plan-detail", args=[measure.plan.pk])
    assert client.get(reverse("notifications:inbox-count")).content == b""


def test_a_refused_adoption_keeps_the_chosen_decision_for_the_next_try(
    client, users, measure, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    plan = through_approval(measure.plan, users)
    client.force_login(users["coordinator"])
    url = reverse("plans:plan-adopt", args=[plan.pk])
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    data = {
        "adopting_body": "city_council",
        "adoption_number": "06-1/2026",
        "adoption_date": future,
    } | SIGNATORY
    response = client.post(url, data | {"adoption_file": SimpleUploadedFile("odluka <b>.pdf", PDF)})
    form = response.context["form"]
    assert "future" in str(form.errors["adoption_date"]) and "adoption_file" not in form.errors
    token = form["held_file"].value()
    page = response.content.decode()
    assert token and "Kept: odluka &lt;b&gt;.pdf" in page, page[page.find("adoption_file") :][:1400]
    # Another session cannot use the token: the file is this session's.
    other = client_class_login(users["coordinator"])
    refused = other.post(url, data | {"adoption_date": "2026-10-01", "held_file": token})
    assert "adoption_file" in refused.context["form"].errors
    # The next try sends no file: the kept one is recorded, and its held copy is removed.
    response = client.post(url, data | {"adoption_date": "2026-10-01", "held_file": token})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.ADOPTED and stored(plan) == PDF
    assert not list((tmp_path / "held-uploads").iterdir())


def test_a_kept_file_goes_through_the_same_content_checks(client, users, measure, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    plan = through_approval(measure.plan, users)
    client.force_login(users["coordinator"])
    url = reverse("plans:plan-adopt", args=[plan.pk])
    data = {
        "adopting_body": "city_council",
        "adoption_number": "06-1/2026",
        "adoption_date": "bad",
    } | SIGNATORY
    # Refused for the date before the file was checked: kept, but checked on the next try.
    response = client.post(url, data | {"adoption_file": SimpleUploadedFile("o.pdf", b"not a pdf")})
    token = response.context["form"]["held_file"].value()
    assert token
    response = client.post(url, data | {"adoption_date": "2026-10-01", "held_file": token})
    assert "not a PDF" in str(response.context["form"].errors["adoption_file"])
    assert not response.context["form"]["held_file"].value()  # a refused file is not kept
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED


def client_class_login(user):
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other


def stored(plan):
    with plan.adoption_file.open("rb") as file:
        return file.read()


def test_kept_files_nobody_came_back_for_are_swept(client, users, measure, tmp_path, settings):
    import os
    import time

    settings.MEDIA_ROOT = tmp_path
    held = tmp_path / "held-uploads"
    held.mkdir()
    (held / "old").write_bytes(PDF)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(held / "old", (two_days_ago, two_days_ago))
    (held / "recent").write_bytes(PDF)
    plan = through_approval(measure.plan, users)
    client.force_login(users["coordinator"])
    data = {"adopting_body": "city_council", "adoption_number": "1", "adoption_date": "bad"} | SIGNATORY
    client.post(
        reverse("plans:plan-adopt", args=[plan.pk]),
        data | {"adoption_file": SimpleUploadedFile("o.pdf", PDF)},
    )
    names = sorted(path.name for path in held.iterdir())
    assert "old" not in names and "recent" in names and len(names) == 2  # the new one kept
