"""The one lifecycle mechanism, read through the plan's and the report's tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from jmu_planner import access
from jmu_planner.lifecycle import TransitionRefused
from plans.lifecycle import PLAN_LIFECYCLE
from plans.models import OperationalPlan, PlanTransition
from plans.tests.helpers import adopt, move, through_approval
from reporting.lifecycle import REPORT_LIFECYCLE
from reporting.models import Report

pytestmark = pytest.mark.django_db
Status = OperationalPlan.Status


def test_every_move_is_a_permission_named_after_its_verb():
    names = {PLAN_LIFECYCLE.permission(m) for m in PLAN_LIFECYCLE.moves}
    assert names == {
        "plans.submit_plan",
        "plans.request_changes_plan",
        "plans.approve_plan",
        "plans.adopt_plan",
        "plans.supersede_plan",
    }
    assert {REPORT_LIFECYCLE.permission(m) for m in REPORT_LIFECYCLE.moves} == {
        "reporting.submit_report",
        "reporting.return_report",
        "reporting.accept_report",
    }


def test_editable_and_frozen_come_from_the_status(plan):
    assert PLAN_LIFECYCLE.editable == {Status.DRAFT, Status.CHANGES_REQUESTED}
    assert PLAN_LIFECYCLE.frozen == {Status.APPROVED, Status.ADOPTED, Status.SUPERSEDED}
    assert plan.is_editable and not plan.is_frozen
    plan.status = Status.SUPERSEDED
    assert plan.is_frozen and not plan.is_editable and plan.was_adopted
    assert REPORT_LIFECYCLE.frozen == {Report.Status.ACCEPTED}


def test_allowed_moves_per_role(measure, users):
    plan = measure.plan
    targets = {role: [m.target for m in PLAN_LIFECYCLE.allowed(user, plan)] for role, user in users.items()}
    assert targets["coordinator"] == targets["expert"] == [Status.SUBMITTED]
    assert targets["member"] == targets["officer"] == targets["other_coordinator"] == []
    move(plan, Status.SUBMITTED, users["expert"])
    plan.refresh_from_db()
    assert [m.target for m in PLAN_LIFECYCLE.allowed(users["officer"], plan)] == [
        Status.CHANGES_REQUESTED,
        Status.APPROVED,
    ]
    assert PLAN_LIFECYCLE.allowed(users["coordinator"], plan) == []


def test_an_illegal_or_automatic_move_is_refused_and_records_nothing(measure, users):
    plan = measure.plan
    with pytest.raises(TransitionRefused, match="cannot be moved"):
        move(plan, Status.APPROVED, users["officer"])
    with pytest.raises(TransitionRefused, match="may not"):
        move(plan, Status.SUBMITTED, users["member"])
    with pytest.raises(TransitionRefused, match="cannot be moved"):
        PLAN_LIFECYCLE.transition(plan, to=Status.SUPERSEDED, actor=users["administrator"])
    assert not PlanTransition.objects.filter(plan=plan).exists()
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


def test_adopting_an_amendment_supersedes_the_version_in_force_as_a_recorded_move(measure, users):
    v1 = through_approval(measure.plan, users)
    adopt(v1, users)
    from plans.lifecycle import plan_amend

    v2 = plan_amend(plan=v1, actor=users["coordinator"])
    # The amendment is submitted, approved and adopted like any plan.
    through_approval(v2, users)
    adopt(v2, users)
    v1.refresh_from_db()
    assert v1.status == Status.SUPERSEDED
    last = PlanTransition.objects.filter(plan=v1).last()
    assert (last.from_status, last.to_status, last.actor) == (
        Status.ADOPTED,
        Status.SUPERSEDED,
        users["coordinator"],
    )
    assert "version 2" in last.note


def test_the_page_offers_only_the_moves_the_person_may_make(client, measure, users):
    url = reverse("plans:plan-detail", args=[measure.plan.pk])
    client.force_login(users["member"])
    assert "Submit for review" not in client.get(url).content.decode()
    client.force_login(users["coordinator"])
    assert "Submit for review" in client.get(url).content.decode()


def test_a_forbidden_move_is_a_403_that_says_why(client, measure, users):
    url = reverse("plans:plan-transition", args=[measure.plan.pk, "approved"])
    client.force_login(users["officer"])
    response = client.get(url)  # a draft cannot be approved
    assert response.status_code == 403
    assert "cannot be moved" in response.content.decode()
    client.force_login(users["member"])
    response = client.get(reverse("plans:plan-transition", args=[measure.plan.pk, "submitted"]))
    assert response.status_code == 403


def test_templates_ask_the_object_not_status_literals():
    """`editable`/`frozen` and each state are asked of the object; print layouts included."""
    literal = re.compile(r"\.status\s*(==|!=|in)\s")
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if literal.search(path.read_text())
    ]
    assert offenders == []


def test_report_moves_follow_the_table(users, plan):
    """The same mechanism drives reports: JMU members draft but do not submit."""
    report = Report(status=Report.Status.DRAFT)
    report.jmu = plan.jmu
    assert access.may(users["coordinator"], "reporting.submit_report", report)
    assert not access.may(users["member"], "reporting.submit_report", report)
    assert access.may(users["member"], "reporting.draft_report", report)
    assert not access.may(users["officer"], "reporting.accept_report", report)  # not submitted yet
    report.status = Report.Status.SUBMITTED
    assert access.may(users["officer"], "reporting.accept_report", report)
    assert not access.may(users["member"], "reporting.draft_report", report)  # frozen for authors now


def test_every_status_change_row_is_one_model_with_the_same_columns():
    from jmu_planner.models import StatusChange
    from reporting.models import ReportTransition
    from stakeholders.models import FinalReportTransition, RecommendationTransition, TimeSheetTransition

    rows = [
        PlanTransition,
        ReportTransition,
        RecommendationTransition,
        TimeSheetTransition,
        FinalReportTransition,
    ]
    shared = {"actor", "at", "from_status", "to_status", "note"}

    def columns(model):
        return sorted(
            (f.name, type(f).__name__, f.max_length) for f in model._meta.concrete_fields if f.name in shared
        )

    assert all(issubclass(model, StatusChange) for model in rows)
    assert len({tuple(columns(model)) for model in rows}) == 1
    assert [model._meta.ordering for model in rows] == [["at", "pk"]] * len(rows)


def test_reports_time_sheets_and_final_reports_go_through_one_review_cycle():
    from jmu_planner.models import ReviewStatus
    from stakeholders.lifecycle import FINAL_REPORT_LIFECYCLE, TIMESHEET_LIFECYCLE
    from stakeholders.models import FinalReport, TimeSheet

    assert Report.Status is TimeSheet.Status is FinalReport.Status is ReviewStatus

    def table(lifecycle):
        moves = {
            (m.name, tuple(sorted(m.source)), m.target, str(m.note_required or "")) for m in lifecycle.moves
        }
        return moves, lifecycle.editable, lifecycle.frozen

    assert table(REPORT_LIFECYCLE) == table(TIMESHEET_LIFECYCLE) == table(FINAL_REPORT_LIFECYCLE)


def test_the_audiences_never_hold_the_one_who_made_the_move(plan, users):
    lsg_id = plan.jmu.lsg_id
    coordinator, expert, officer = users["coordinator"], users["expert"], users["officer"]

    def told(name, *, actor, author=None):
        return set(access.audience(name, lsg_id=lsg_id, author=author, actor=actor))

    assert told("lsg_authors", actor=coordinator) == {expert}
    assert told("coordinators", actor=expert) == {coordinator}
    assert told("programme_officers", actor=coordinator) == {officer}
    assert told("programme_officers", actor=officer) == set()
    assert told("author", actor=officer, author=expert) == {expert}
    assert told("author", actor=expert, author=expert) == set()
    expert.is_active = False
    assert told("author", actor=officer, author=expert) == set()


def test_a_move_tells_only_an_audience_the_access_policy_names():
    from jmu_planner.lifecycle import Tell

    with pytest.raises(ValueError, match="audience"):
        Tell("plan.submitted", "everyone")
