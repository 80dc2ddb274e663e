import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jmu_planner.celery import app as celery_app
from jmu_planner.lifecycle import TransitionRefused
from jmu_planner.notifications.models import Notification
from plans import comments, history, lifecycle, services
from plans.lifecycle import PLAN_LIFECYCLE
from plans.models import OperationalPlan, PlanTransition
from plans.services import MeasureInput, PlanNotEditable
from plans.tests.factories import BudgetLineFactory, IndicatorFactory, MeasureFactory, area, source
from plans.tests.helpers import PDF, adopt, decision, move, through_approval

pytestmark = pytest.mark.django_db
Status = OperationalPlan.Status


@pytest.fixture
def eager_celery():
    """Run tasks in-process for these tests (the suite otherwise talks to the real Redis)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


# --- Transitions -------------------------------------------------------------------------------------


def test_the_whole_path_with_a_round_of_changes(measure, users):
    plan = measure.plan
    move(plan, Status.SUBMITTED, users["expert"])
    move(plan, Status.CHANGES_REQUESTED, users["officer"], note="Dodajte pokazatelj za 1.1")
    move(plan, Status.SUBMITTED, users["coordinator"])
    move(plan, Status.APPROVED, users["officer"])
    plan.refresh_from_db()
    adopt(plan, users)
    plan.refresh_from_db()
    assert plan.status == Status.ADOPTED and plan.adoption_number == "06-12/2026"
    steps = list(plan.transitions.values_list("from_status", "to_status", "actor__username", "note"))
    assert [(a, b) for a, b, _u, _n in steps] == [
        ("draft", "submitted"),
        ("submitted", "changes_requested"),
        ("changes_requested", "submitted"),
        ("submitted", "approved"),
        ("approved", "adopted"),
    ]
    assert steps[1][3] == "Dodajte pokazatelj za 1.1"
    assert steps[1][2] == users["officer"].username


@pytest.mark.parametrize(
    ("status", "to", "who"),
    [
        ("draft", "approved", "officer"),  # skipping review
        ("draft", "changes_requested", "officer"),  # nothing submitted
        ("submitted", "submitted", "coordinator"),
        ("approved", "submitted", "coordinator"),
        ("adopted", "draft", "administrator"),
        ("submitted", "approved", "coordinator"),  # authors do not approve their own plan
        ("submitted", "changes_requested", "expert"),
        ("draft", "submitted", "officer"),  # officers do not submit
        ("draft", "submitted", "member"),
        ("draft", "submitted", "other_coordinator"),
    ],
)
def test_illegal_moves_are_refused_and_nothing_changes(measure, users, status, to, who):
    OperationalPlan.objects.filter(pk=measure.plan_id).update(status=status)
    plan = OperationalPlan.objects.get(pk=measure.plan_id)
    with pytest.raises(TransitionRefused):
        move(plan, to, users[who], note="x")
    plan.refresh_from_db()
    assert plan.status == status and not PlanTransition.objects.exists()


def test_requesting_changes_needs_a_note(measure, users):
    move(measure.plan, Status.SUBMITTED, users["coordinator"])
    with pytest.raises(TransitionRefused) as excinfo:
        move(measure.plan, Status.CHANGES_REQUESTED, users["officer"], note="   ")
    assert "note is required" in excinfo.value.message_dict["note"][0]


def test_an_incomplete_plan_is_refused_with_what_is_missing(plan, users):
    with pytest.raises(TransitionRefused) as excinfo:
        move(plan, Status.SUBMITTED, users["coordinator"])
    assert "no measures" in " ".join(excinfo.value.messages)
    complete = MeasureFactory(plan=plan)
    IndicatorFactory(measure=complete)
    MeasureFactory(plan=plan, responsible=None, start_month=None)
    with pytest.raises(TransitionRefused) as excinfo:
        move(plan, Status.SUBMITTED, users["coordinator"])
    text = " ".join(excinfo.value.messages)
    assert "Measure 1.2: no indicator, no responsible institution, no start and end month." in text
    assert "1.1" not in text
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


def test_approving_with_open_threads_needs_confirmation(measure, users):
    plan = measure.plan
    comments.thread_start(plan=plan, actor=users["officer"], body="Pitanje", measure=measure)
    move(plan, Status.SUBMITTED, users["coordinator"])
    with pytest.raises(TransitionRefused) as excinfo:
        move(plan, Status.APPROVED, users["officer"])
    assert "1 comment thread is still open" in excinfo.value.message_dict["confirm_open_threads"][0]
    move(plan, Status.APPROVED, users["officer"], confirm_open_threads=True)
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED


# --- Frozen versions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["submitted", "approved", "adopted", "superseded"])
def test_frozen_plans_refuse_every_write(measure, users, status):
    OperationalPlan.objects.filter(pk=measure.plan_id).update(status=status)
    plan = OperationalPlan.objects.get(pk=measure.plan_id)
    measure.refresh_from_db()
    writes = [
        lambda: services.plan_update(plan=plan, actor=users["coordinator"], data={"title": "X"}),
        lambda: services.measure_create(
            plan=plan,
            actor=users["coordinator"],
            values=MeasureInput(data={"area": area(1), "title": "Nova"}),
        ),
        lambda: services.measure_update(
            measure=measure,
            actor=users["coordinator"],
            values=MeasureInput(data={"title": "X"}),
            lock_version=measure.lock_version,
        ),
        lambda: services.measure_delete(measure=measure, actor=users["coordinator"]),
        lambda: services.measure_move(measure=measure, actor=users["coordinator"], offset=1),
        lambda: services.communication_save(plan=plan, actor=users["coordinator"], rows=[]),
        lambda: services.plan_import_measures(plan=plan, actor=users["coordinator"], measures=[]),
    ]
    for write in writes:
        with pytest.raises(PlanNotEditable):
            write()
    measure.refresh_from_db()
    assert measure.title != "X" and plan.measures.count() == 1


# --- Adoption ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "field", "message"),
    [
        (None, "adoption_file", "Attach"),
        (SimpleUploadedFile("odluka.pdf", b"PK\x03\x04 zip"), "adoption_file", "not a PDF"),
        (
            SimpleUploadedFile("odluka.pdf", PDF + b"0" * (10 * 1024 * 1024)),
            "adoption_file",
            "10 MB",
        ),
    ],
)
def test_adoption_needs_a_real_pdf_of_at_most_10_mb(measure, users, file, field, message):
    plan = through_approval(measure.plan, users)
    with pytest.raises(ValidationError) as excinfo:
        lifecycle.plan_adopt(
            plan=plan,
            actor=users["coordinator"],
            body="assembly",
            number="1",
            date=datetime.date(2026, 10, 1),
            file=file,
        )
    assert message in excinfo.value.message_dict[field][0]
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED and not plan.adoption_file


def test_adoption_date_cannot_be_in_the_future_and_experts_do_not_adopt(measure, users):
    plan = through_approval(measure.plan, users)
    with pytest.raises(ValidationError) as excinfo:
        adopt(plan, users, date=datetime.date(2099, 1, 1))
    assert "future" in excinfo.value.message_dict["adoption_date"][0]
    with pytest.raises(TransitionRefused):
        lifecycle.plan_adopt(
            plan=plan,
            actor=users["expert"],
            body="assembly",
            number="1",
            date=datetime.date(2026, 10, 1),
            file=decision(),
        )


# --- Amendments and comparison ---------------------------------------------------------------------------


def test_amendment_is_a_full_copy_and_supersedes_the_adopted_version_when_adopted(measure, users):
    BudgetLineFactory(measure=measure, source=source("sctm"), amount=Decimal("50000"))
    plan = through_approval(measure.plan, users)
    adopt(plan, users)
    plan.refresh_from_db()

    v2 = lifecycle.plan_amend(plan=plan, actor=users["coordinator"])
    assert (v2.version, v2.status, v2.amends, v2.lineage) == (2, Status.DRAFT, plan, plan.lineage)
    assert v2.period_start == plan.period_start  # same period: not an overlapping plan
    clone = v2.measures.get()
    assert clone.origin == measure and clone.indicators.count() == measure.indicators.count()
    with pytest.raises(TransitionRefused):
        lifecycle.plan_amend(plan=plan, actor=users["coordinator"])  # one open version at a time

    # Version 1 stays in force while version 2 goes through the same path.
    plan.refresh_from_db()
    assert plan.status == Status.ADOPTED
    through_approval(v2, users)
    adopt(v2, users)
    plan.refresh_from_db()
    v2.refresh_from_db()
    assert (plan.status, v2.status) == (Status.SUPERSEDED, Status.ADOPTED)
    assert plan.transitions.last().note == "Superseded by version 2."


def test_compare_versions_shows_added_removed_and_changed(measure, users):
    kept_line = BudgetLineFactory(measure=measure, source=source("sctm"), amount=Decimal("50000"))
    doomed = MeasureFactory(plan=measure.plan, title="Mera koja odlazi")
    IndicatorFactory(measure=doomed)
    plan = through_approval(measure.plan, users)
    adopt(plan, users)
    v2 = lifecycle.plan_amend(plan=plan, actor=users["coordinator"])

    changed = v2.measures.get(origin=measure)
    services.measure_update(
        measure=changed,
        actor=users["coordinator"],
        lock_version=changed.lock_version,
        values=MeasureInput(data={"title": "Nov naziv mere"}),
    )
    indicator = changed.indicators.first()
    indicator.target = Decimal("99")
    indicator.save()
    changed.budget_lines.filter(source=kept_line.source).update(amount=Decimal("70000"))
    services.measure_delete(measure=v2.measures.get(origin=doomed), actor=users["coordinator"])
    IndicatorFactory(measure=MeasureFactory(plan=v2, area=area(5), title="Sasvim nova mera"))

    comparison = history.compare_plans(plan, v2)
    states = {d.code + " " + (d.new or d.old).title: d.state for d in comparison.measures}
    assert states == {
        "1.1 Nov naziv mere": "changed",
        "1.2 Mera koja odlazi": "removed",
        "5.1 Sasvim nova mera": "added",
    }
    diff = next(d for d in comparison.measures if d.state == "changed")
    assert [(c.label, c.old, c.new) for c in diff.changes] == [("measure", measure.title, "Nov naziv mere")]
    assert [(i.state, [(c.old, c.new) for c in i.changes]) for i in diff.indicators if i.state != "same"] == [
        ("changed", [("20", "99")])
    ]
    assert [(b.source, b.old, b.new) for b in diff.budget if b.state != "same"] == [
        ("SCTM co-financing", Decimal("50000"), Decimal("70000"))
    ]
    # 100,000 (the fixture's line) + 50,000 → 70,000 SCTM; the removed measure had no budget.
    assert (comparison.old_total, comparison.new_total) == (Decimal("150000"), Decimal("170000"))


def test_measure_history_records_who_changed_what(measure, users):
    services.measure_update(
        measure=measure,
        actor=users["expert"],
        lock_version=measure.lock_version,
        values=MeasureInput(data={"title": "Promenjen naslov"}),
    )
    entries = history.measure_history(measure)
    change = next(e for e in entries if e.kind == "changed")
    assert change.who == users["expert"]
    assert [(c.label, c.new) for c in change.changes] == [("measure", "Promenjen naslov")]
    assert {e.what for e in entries} >= {"Measure"}


# --- Comments and notifications -----------------------------------------------------------------------


def test_threads_are_resolved_and_reopened(measure, users):
    thread = comments.thread_start(
        plan=measure.plan, actor=users["officer"], body="Zašto 30?", indicator=measure.indicators.first()
    )
    assert thread.measure == measure and thread.is_open
    comments.thread_reply(thread=thread, actor=users["coordinator"], body="Prema popisu.")
    comments.thread_resolve(thread=thread, actor=users["officer"])
    assert not thread.is_open
    comments.thread_reopen(thread=thread, actor=users["coordinator"])
    assert thread.is_open and thread.comments.count() == 2
    with pytest.raises(TransitionRefused):
        comments.thread_reply(thread=thread, actor=users["member"], body="Ja bih...")


def test_notifications_go_out_once_and_only_after_commit(
    measure, users, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        move(measure.plan, Status.SUBMITTED, users["coordinator"])
    # Inbox rows exist inside the transaction; no e-mail before it commits.
    assert Notification.objects.filter(recipient=users["officer"]).count() == 1
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [[users["officer"].email]]
    assert "submitted" in mail.outbox[0].subject
    callbacks[0]()  # a retried task does not send twice
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        move(measure.plan, Status.CHANGES_REQUESTED, users["officer"], note="Dopunite 1.1")
    recipients = sorted(m.to[0] for m in mail.outbox[1:])
    assert recipients == sorted([users["coordinator"].email, users["expert"].email])
    assert "Dopunite 1.1" in mail.outbox[1].body

    with django_capture_on_commit_callbacks(execute=True):
        comments.thread_start(plan=measure.plan, actor=users["coordinator"], body="Dopunjeno")
    # The author of a comment is not told of their own comment.
    assert [m.to for m in mail.outbox[3:]] == [[users["expert"].email]]


def test_a_broker_outage_does_not_break_the_transition(
    measure, users, monkeypatch, django_capture_on_commit_callbacks
):
    from jmu_planner.notifications import tasks

    def down(*args, **kwargs):
        raise OSError("Redis is down")

    monkeypatch.setattr(tasks.send_notification_emails, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        move(measure.plan, Status.SUBMITTED, users["coordinator"])
    measure.plan.refresh_from_db()
    assert measure.plan.status == Status.SUBMITTED
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1


def test_the_querysets_editable_statuses_are_the_lifecycles():
    """`editable_by` reads the editable statuses off the lifecycle table of the row that has the
    status (the plan's for a measure, the report's for a value)."""
    from jmu_planner.lifecycle import editable_statuses
    from plans.models import Measure
    from reporting.lifecycle import REPORT_LIFECYCLE
    from reporting.models import IndicatorValue, Report

    assert (
        editable_statuses(OperationalPlan)
        == PLAN_LIFECYCLE.editable
        == {Status.DRAFT, Status.CHANGES_REQUESTED}
    )
    assert editable_statuses(Measure, "plan__status") == PLAN_LIFECYCLE.editable
    assert (
        editable_statuses(Report)
        == REPORT_LIFECYCLE.editable
        == {Report.Status.DRAFT, Report.Status.RETURNED}
    )
    assert editable_statuses(IndicatorValue, "report__status") == REPORT_LIFECYCLE.editable


@pytest.fixture
def unwritable_media_root(settings, tmp_path):
    """MEDIA_ROOT a folder nobody may write in: read-only and, for root (whom modes do not stop),
    immutable (chattr +i)."""
    import os
    import subprocess

    folder = tmp_path / "media"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = os.geteuid() == 0
    if immutable and subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("running as root on a file system without chattr +i")
    settings.MEDIA_ROOT = folder
    yield folder
    if immutable:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    folder.chmod(0o755)


def test_adoption_when_the_decision_cannot_be_stored_keeps_the_form_and_records_nothing(
    client, measure, users, unwritable_media_root
):
    from django.urls import reverse

    plan = through_approval(measure.plan, users)
    client.force_login(users["coordinator"])
    response = client.post(
        reverse("plans:plan-adopt", args=[plan.pk]),
        {
            "adopting_body": "city_council",
            "adoption_number": "06-12/2026",
            "adoption_date": "2026-11-01",
            "signatory_name": "Marija Petrović",
            "signatory_function": "Predsednica Gradskog veća",
            "adoption_file": decision(),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be stored" in str(response.context["form"].errors["adoption_file"])
    assert 'value="06-12/2026"' in page and 'value="2026-11-01"' in page
    plan.refresh_from_db()
    assert (plan.status, plan.adoption_number, bool(plan.adoption_file)) == (Status.APPROVED, "", False)
    assert not plan.transitions.filter(to_status=Status.ADOPTED).exists()
    assert list(unwritable_media_root.iterdir()) == []
