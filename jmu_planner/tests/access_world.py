"""The access matrix's table of every URL and the small world it is asked in.

Shared by the access matrix (jmu_planner/tests/test_access_matrix.py) and the tests that render
every page (the Serbian number format): a URL pattern without a row in MATRIX fails
`test_every_url_has_a_row`, so a new page must say who may see it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jmu_planner.access import GlobalRole, Role
from jmu_planner.notifications.models import Notification
from plans.models import CommentThread, OperationalPlan
from plans.tests.factories import IndicatorFactory, MeasureFactory, PlanFactory
from reporting import services
from reporting.models import Document, Publication, Report
from stakeholders.tests.factories import (
    InstitutionFactory,
    JMUFactory,
    LSGFactory,
    MembershipFactory,
    SettlementFactory,
    user_with_role,
)

ROLES = [
    "anonymous",
    "coordinator",
    "other_coordinator",
    "member",
    "expert",
    "unassigned_expert",
    "officer",
    "administrator",
]
L = "login"  # redirected to the login page


def answers(
    anonymous=L,
    coordinator=200,
    other_coordinator=404,
    member=200,
    expert=200,
    unassigned_expert=404,
    officer=200,
    administrator=200,
) -> dict[str, Any]:
    return dict(locals())


EVERYONE = answers(anonymous=200, other_coordinator=200, unassigned_expert=200)
SIGNED_IN = answers(other_coordinator=200, unassigned_expert=200)
READ = answers()
EDIT_REGISTRY = answers(member=403, expert=403, officer=403)
EDIT_PLAN = answers(member=403, officer=403)
ADMIN_ONLY = answers(coordinator=403, member=403, expert=403, officer=403)
OFFICERS = answers(coordinator=403, other_coordinator=403, member=403, expert=403, unassigned_expert=403)
# Pages not tied to one object, for those who write for some LSG: others are refused (403).
AUTHORS_ANYWHERE = answers(member=403, officer=403, other_coordinator=200, unassigned_expert=200)
# The API answers an anonymous client 401 (with WWW-Authenticate: Token), never a log-in page.
API_SIGNED_IN = answers(anonymous=401, other_coordinator=200, unassigned_expert=200)
API_READ = answers(anonymous=401)
# Engagements: read by the LSG's coordinators and experts (and officers), not its JMU members.
ENGAGEMENT_READ = answers(member=404)
ENGAGEMENT_EDIT = answers(coordinator=403, member=404, officer=403)
# An expert's contract, time sheets and final report: the expert's and the officers'.
CONTRACT_READ = answers(coordinator=404, member=404)


@dataclass
class Row:
    expected: dict[str, Any]
    kwargs: Any = None  # a function of the world, giving the URL's kwargs
    method: str = "get"
    data: Any = None  # a function of the world, giving the POST data
    query: str = ""
    json: bool = False  # the POST data sent as JSON
    url: str = ""  # the URL's name, when the key names a second row for one URL (another kind of object)


MATRIX: dict[str, Row] = {
    "home": Row(SIGNED_IN),
    "login": Row(
        answers(
            anonymous=200,
            coordinator=302,
            other_coordinator=302,
            member=302,
            expert=302,
            unassigned_expert=302,
            officer=302,
            administrator=302,
        )
    ),
    "logout": Row(
        answers(
            anonymous=302,
            coordinator=302,
            other_coordinator=302,
            member=302,
            expert=302,
            unassigned_expert=302,
            officer=302,
            administrator=302,
        ),
        method="post",
    ),
    "password_change": Row(SIGNED_IN),
    "password_change_done": Row(SIGNED_IN),
    "set_language": Row(
        answers(
            anonymous=302,
            coordinator=302,
            other_coordinator=302,
            member=302,
            expert=302,
            unassigned_expert=302,
            officer=302,
            administrator=302,
        ),
        method="post",
        data=lambda w: {"language": "en"},
    ),
    "healthz": Row(EVERYONE),
    # Registry
    "stakeholders:lsg-list": Row(SIGNED_IN),
    "stakeholders:lsg-detail": Row(READ, lambda w: {"pk": w.lsg.pk}),
    "stakeholders:lsg-update": Row(ADMIN_ONLY, lambda w: {"pk": w.lsg.pk}),
    "stakeholders:jmu-create": Row(EDIT_REGISTRY, lambda w: {"lsg_pk": w.lsg.pk}),
    "stakeholders:jmu-update": Row(EDIT_REGISTRY, lambda w: {"pk": w.jmu.pk}),
    "stakeholders:membership-create": Row(EDIT_REGISTRY, lambda w: {"jmu_pk": w.jmu.pk}),
    "stakeholders:membership-update": Row(EDIT_REGISTRY, lambda w: {"pk": w.membership.pk}),
    "stakeholders:settlement-create": Row(EDIT_REGISTRY, lambda w: {"lsg_pk": w.lsg.pk}),
    "stakeholders:settlement-update": Row(EDIT_REGISTRY, lambda w: {"pk": w.settlement.pk}),
    "stakeholders:institution-create": Row(EDIT_REGISTRY, lambda w: {"lsg_pk": w.lsg.pk}),
    "stakeholders:institution-update": Row(EDIT_REGISTRY, lambda w: {"pk": w.institution.pk}),
    "stakeholders:lsg-coat-of-arms": Row(EDIT_REGISTRY, lambda w: {"pk": w.lsg.pk}),
    # A national body (no LSG: a ministry, NES, SCTM) is the administrators' to edit.
    "stakeholders:institution-update, a national body": Row(
        answers(coordinator=404, member=404, expert=404, officer=403),
        lambda w: {"pk": w.national_institution.pk},
        url="stakeholders:institution-update",
    ),
    # Plans
    "plans:plan-list": Row(SIGNED_IN),
    "plans:plan-create": Row(AUTHORS_ANYWHERE),  # the JMU choices are scoped (test_views)
    "plans:plan-detail": Row(READ, lambda w: {"pk": w.plan.pk}),
    "plans:plan-update": Row(EDIT_PLAN, lambda w: {"pk": w.plan.pk}),
    "plans:plan-communication": Row(EDIT_PLAN, lambda w: {"pk": w.plan.pk}),
    "plans:plan-copy": Row(EDIT_PLAN, lambda w: {"pk": w.plan.pk}),
    "plans:plan-export": Row(READ, lambda w: {"pk": w.plan.pk}),
    "plans:plan-import": Row(EDIT_PLAN, lambda w: {"pk": w.plan.pk}),
    "plans:measure-create": Row(EDIT_PLAN, lambda w: {"plan_pk": w.plan.pk}),
    "plans:measure-row": Row(
        EDIT_PLAN, lambda w: {"plan_pk": w.plan.pk, "kind": "indicators"}, query="?index=2"
    ),
    "plans:measure-update": Row(EDIT_PLAN, lambda w: {"pk": w.measure.pk}),
    "plans:measure-delete": Row(EDIT_PLAN, lambda w: {"pk": w.measure.pk}),
    "plans:measure-move": Row(
        answers(coordinator=302, expert=302, administrator=302, member=403, officer=403),
        lambda w: {"plan_pk": w.plan.pk},
        "post",
        lambda w: {"down": w.measure.pk},
    ),
    "plans:measure-history": Row(READ, lambda w: {"pk": w.measure.pk}),
    "plans:review-queue": Row(OFFICERS),
    "plans:plan-transition": Row(
        answers(member=403, officer=403), lambda w: {"pk": w.plan.pk, "to": "submitted"}
    ),
    "plans:plan-adopt": Row(answers(expert=403, member=403, officer=403), lambda w: {"pk": w.approved.pk}),
    "plans:plan-decision": Row(READ, lambda w: {"pk": w.adopted.pk}),
    "plans:plan-amend": Row(
        answers(coordinator=302, member=302, expert=302, officer=302, administrator=302),
        lambda w: {"pk": w.plan.pk},
        "post",
    ),
    "plans:plan-compare": Row(READ, lambda w: {"pk": w.plan.pk}, query="?with={approved}"),
    "plans:thread-create": Row(
        answers(coordinator=302, expert=302, officer=302, administrator=302, member=403),
        lambda w: {"pk": w.plan.pk},
        "post",
        lambda w: {"body": "Komentar"},
    ),
    "plans:thread-action": Row(
        answers(coordinator=302, expert=302, officer=302, administrator=302, member=403),
        lambda w: {"pk": w.thread.pk, "action": "reply"},
        "post",
        lambda w: {"body": "Odgovor"},
    ),
    "notifications:inbox": Row(SIGNED_IN),
    "notifications:inbox-count": Row(SIGNED_IN),
    # Reports
    "reporting:report-list": Row(SIGNED_IN),
    "reporting:report-create": Row(AUTHORS_ANYWHERE),  # the JMU choices are scoped (reporting/test_views)
    "reporting:overdue": Row(SIGNED_IN),  # scoped rows (reporting/test_services)
    "reporting:report-detail": Row(READ, lambda w: {"pk": w.report.pk}),
    "reporting:report-export": Row(READ, lambda w: {"pk": w.report.pk}),
    "reporting:report-values": Row(EDIT_PLAN, lambda w: {"pk": w.report.pk}),
    "reporting:report-spending": Row(EDIT_PLAN, lambda w: {"pk": w.report.pk}),
    # JMU members draft report sections: the narrative and the field log.
    "reporting:report-narrative": Row(answers(officer=403), lambda w: {"pk": w.report.pk}),
    "reporting:report-transition": Row(
        answers(member=403, officer=403), lambda w: {"pk": w.report.pk, "to": "submitted"}
    ),
    # The field log belongs to the JMU and the day: its people log work for their own JMUs (the
    # choices are scoped: reporting/tests/test_field_log.py); officers hold no JMU, and the others'
    # LSGs here have no active JMU (refused with that reason).
    "reporting:activity-create": Row(answers(officer=403, other_coordinator=403, unassigned_expert=403)),
    "reporting:field-log": Row(SIGNED_IN),  # the user's own entries
    # Entries sent from a phone: JSON, answered per entry (another JMU's entry is refused in the answer).
    "reporting:field-log-sync": Row(
        answers(anonymous=403, other_coordinator=200, unassigned_expert=200),
        method="post",
        data=lambda w: {
            "entries": [
                {
                    "id": "8f4c1f7e-3b8e-4a43-9a59-0c3f3b2f0d11",
                    "jmu": w.jmu.pk,
                    "date": "2029-03-05",
                    "type": "field_visit",
                }
            ]
        },
        json=True,
    ),
    # The installable web app: public files that name no one's data.
    "pwa-service-worker": Row(EVERYONE),
    "pwa-manifest": Row(EVERYONE),
    "pwa-offline": Row(EVERYONE),
    # The coordinator's entry: JMU members change only their own.
    "reporting:activity-update": Row(answers(member=403, officer=403), lambda w: {"pk": w.activity.pk}),
    "reporting:activity-delete": Row(
        answers(
            coordinator=405,
            other_coordinator=405,
            member=405,
            expert=405,
            unassigned_expert=405,
            officer=405,
            administrator=405,
        ),
        lambda w: {"pk": w.activity.pk},
    ),  # GET never deletes
    # PDF documents
    "reporting:documents": Row(READ, lambda w: {"kind": "plan", "pk": w.plan.pk}),
    "reporting:print-preview": Row(
        answers(member=403), lambda w: {"kind": "plan", "pk": w.plan.pk}, query="?format=html"
    ),
    "reporting:document-download": Row(READ, lambda w: {"pk": w.document.pk}),
    # The Word copy: whoever sees the subject, as its PDFs.
    "reporting:document-word": Row(READ, lambda w: {"kind": "plan", "pk": w.plan.pk}),
    # Only a failed document is retried: this one is done, so those who may see it are refused.
    "reporting:document-retry": Row(
        answers(coordinator=403, member=403, expert=403, officer=403, administrator=403),
        lambda w: {"pk": w.document.pk},
        "post",
    ),
    # Publication: the page of a publishable subject, for whoever sees it (publishing: test_publication).
    "reporting:publication": Row(READ, lambda w: {"kind": "plan", "pk": w.adopted.pk}),
    # The public pages, with no log-in: the published adopted plan and annual report, for everyone.
    "public:index": Row(EVERYONE),
    "public:lsg": Row(EVERYONE, lambda w: {"pk": w.lsg.pk}),
    "public:report": Row(EVERYONE, lambda w: {"pk": w.annual.pk}),
    "public:pdf": Row(EVERYONE, lambda w: {"kind": "plan", "pk": w.adopted.pk}),
    "public:word": Row(EVERYONE, lambda w: {"kind": "report", "pk": w.annual.pk}),
    "public:decision": Row(EVERYONE, lambda w: {"pk": w.adopted.pk}),
    # Dashboard: scoped rows (a coordinator sees their LSGs only: reporting/tests/test_dashboard.py).
    "dashboard:programme": Row(SIGNED_IN),
    "dashboard:report-review-queue": Row(OFFICERS),
    "dashboard:lsg-profile": Row(READ, lambda w: {"pk": w.lsg.pk}),
    # The experts' work (stakeholders/engagements/, stakeholders/experts/): engagements are read by the LSG's
    # coordinators and experts (not its JMU members), written by its assigned experts.
    "stakeholders:engagement-list": Row(SIGNED_IN),  # scoped rows (test_engagements)
    "stakeholders:engagement-create": Row(
        answers(coordinator=403, other_coordinator=403, member=403, unassigned_expert=200, officer=403)
    ),
    "stakeholders:engagement-detail": Row(ENGAGEMENT_READ, lambda w: {"pk": w.eng.engagement.pk}),
    "stakeholders:engagement-update": Row(ENGAGEMENT_EDIT, lambda w: {"pk": w.eng.engagement.pk}),
    "stakeholders:participant-create": Row(ENGAGEMENT_EDIT, lambda w: {"pk": w.eng.engagement.pk}),
    "stakeholders:attachment-create": Row(ENGAGEMENT_EDIT, lambda w: {"pk": w.eng.engagement.pk}),
    "stakeholders:follow-up-create": Row(ENGAGEMENT_EDIT, lambda w: {"pk": w.eng.engagement.pk}),
    "stakeholders:recommendation-create": Row(ENGAGEMENT_EDIT, lambda w: {"pk": w.eng.engagement.pk}),
    "stakeholders:engagement-documents": Row(ENGAGEMENT_READ, lambda w: {"pk": w.eng.engagement.pk}),
    "stakeholders:attachment-download": Row(ENGAGEMENT_READ, lambda w: {"pk": w.eng.attachment.pk}),
    "stakeholders:recommendation-detail": Row(ENGAGEMENT_READ, lambda w: {"pk": w.eng.recommendation.pk}),
    # The coordinator accepts it; after that nobody can accept it again (403 with the reason).
    "stakeholders:recommendation-transition": Row(
        answers(coordinator=302, member=404, expert=403, officer=403, administrator=403),
        lambda w: {"pk": w.eng.recommendation.pk, "to": "accepted"},
        "post",
    ),
    "stakeholders:policy-list": Row(READ, lambda w: {"lsg_pk": w.lsg.pk}),
    "stakeholders:policy-create": Row(EDIT_PLAN, lambda w: {"lsg_pk": w.lsg.pk}),
    "stakeholders:policy-detail": Row(READ, lambda w: {"pk": w.eng.policy.pk}),
    "stakeholders:expert-work": Row(SIGNED_IN),  # the user's own contracts (officers: all)
    # A contract is its expert's (and the officers'): other people do not see it.
    "stakeholders:timesheet-create": Row(
        answers(coordinator=404, member=404, expert=302, officer=403, administrator=302),
        lambda w: {"pk": w.eng.contract.pk},
        "post",
        lambda w: {"month": "2029-05"},
    ),
    "stakeholders:timesheet-detail": Row(CONTRACT_READ, lambda w: {"pk": w.eng.timesheet.pk}),
    # A row of the draft sheet: its expert (and an administrator) corrects or removes it.
    "stakeholders:timesheet-entry-update": Row(
        answers(coordinator=404, member=404, officer=403), lambda w: {"pk": w.eng.timesheet_entry.pk}
    ),
    # POST removes the row (stakeholders/experts/tests: the expert's, refused once submitted).
    "stakeholders:timesheet-entry-delete": Row(
        answers(
            coordinator=405,
            other_coordinator=405,
            member=405,
            expert=405,
            unassigned_expert=405,
            officer=405,
            administrator=405,
        ),
        lambda w: {"pk": w.eng.timesheet_entry.pk},
    ),  # GET never deletes
    # The expert submits; then nobody can submit it again.
    "stakeholders:timesheet-transition": Row(
        answers(coordinator=404, member=404, expert=302, officer=403, administrator=403),
        lambda w: {"pk": w.eng.timesheet.pk, "to": "submitted"},
        "post",
    ),
    "stakeholders:final-report": Row(CONTRACT_READ, lambda w: {"pk": w.eng.contract.pk}),
    "stakeholders:final-report-transition": Row(
        answers(coordinator=404, member=404, expert=302, officer=403, administrator=403),
        lambda w: {"pk": w.eng.final_report.pk, "to": "submitted"},
        "post",
    ),
    "stakeholders:final-report-documents": Row(CONTRACT_READ, lambda w: {"pk": w.eng.final_report.pk}),
    # Settlements map and exports: every signed-in user, the rows scoped (stakeholders/tests/test_map.py,
    # reporting/tests/test_monitoring_exports.py).
    "stakeholders:settlement-map": Row(SIGNED_IN),
    "reporting:exports": Row(SIGNED_IN),
    "reporting:export-download": Row(SIGNED_IN, lambda w: {"dataset": "measures", "fmt": "csv"}),
    # The monitoring API (jmu_planner/tests/test_api.py): no log-in page, a 401 asking for a token.
    "api:api-root": Row(API_SIGNED_IN),
    "api:schema": Row(API_SIGNED_IN),
    "api:lsg-list": Row(API_SIGNED_IN),
    "api:lsg-detail": Row(API_READ, lambda w: {"pk": w.lsg.pk}),
    "api:plan-list": Row(API_SIGNED_IN),
    "api:plan-detail": Row(API_READ, lambda w: {"pk": w.adopted.pk}),
    "api:indicator-list": Row(API_SIGNED_IN),
    "api:indicator-detail": Row(
        API_READ, lambda w: {"pk": IndicatorFactory(measure=MeasureFactory(plan=w.adopted)).pk}
    ),
    "api:figures-list": Row(API_SIGNED_IN),
    "plans:plan-envelopes": Row(EDIT_PLAN, lambda w: {"pk": w.plan.pk}),  # shared budget envelopes
    # A notification is its recipient's alone: the coordinator's, here.
    "notifications:notification-open": Row(
        answers(coordinator=302, member=404, expert=404, officer=404, administrator=404),
        lambda w: {"pk": w.notification.pk},
    ),
}


def project_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


@dataclass
class World:
    lsg: Any
    jmu: Any
    membership: Any
    settlement: Any
    institution: Any
    plan: Any
    measure: Any
    approved: Any
    adopted: Any
    thread: Any
    notification: Any
    report: Any
    activity: Any
    document: Any
    users: dict
    national_institution: Any = None
    eng: Any = None  # the experts' work (engagement_world)
    annual: Any = None  # an accepted annual report, published with the adopted plan


def build_world() -> World:
    """Two LSGs, plans in each status, a report, documents, a notification and users of every role
    (MEDIA_ROOT should point to a temporary folder: the conftest does that)."""
    from django.core.files.base import ContentFile

    lsg, other = LSGFactory(), LSGFactory()
    jmu = JMUFactory(lsg=lsg)
    plan = PlanFactory(jmu=jmu)
    measure = MeasureFactory(plan=plan)
    IndicatorFactory(measure=measure)
    approved = PlanFactory(
        jmu=jmu,
        status=OperationalPlan.Status.APPROVED,
        period_start=datetime.date(2028, 1, 1),
        period_end=datetime.date(2028, 12, 31),
    )
    adopted = PlanFactory(
        jmu=jmu,
        status=OperationalPlan.Status.ADOPTED,
        period_start=datetime.date(2029, 1, 1),
        period_end=datetime.date(2029, 12, 31),
    )
    adopted.adoption_file.save("odluka.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    users = {
        "anonymous": None,
        "coordinator": user_with_role(Role.COORDINATOR, lsg),
        "other_coordinator": user_with_role(Role.COORDINATOR, other),
        "member": user_with_role(Role.MEMBER, lsg),
        "expert": user_with_role(Role.EXPERT, lsg),
        "unassigned_expert": user_with_role(Role.EXPERT, other),
        "officer": user_with_role(GlobalRole.PROGRAMME_OFFICER),
        "administrator": user_with_role(GlobalRole.ADMINISTRATOR),
    }
    thread = CommentThread.objects.create(plan=plan, measure=measure, created_by=users["officer"])
    notification = Notification.objects.create(
        recipient=users["coordinator"], event="legacy", params={"text": "x"}, url="/"
    )
    report = services.report_create(
        jmu=jmu, kind="monthly", day=datetime.date(2029, 3, 1), actor=users["coordinator"]
    )
    activity = services.activity_save(
        jmu=report.jmu, actor=users["coordinator"], data={"date": datetime.date(2029, 3, 2)}
    )
    document = Document.objects.create(plan=plan, status=Document.Status.DONE)
    document.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    # The adopted plan and an accepted annual report are published, with the plan's PDF made.
    annual = services.report_create(
        jmu=jmu, kind="annual", day=datetime.date(2029, 1, 1), actor=users["coordinator"]
    )
    Report.objects.filter(pk=annual.pk).update(status=Report.Status.ACCEPTED)
    Publication.objects.create(plan=adopted, published_by=users["coordinator"])
    Publication.objects.create(report=annual, published_by=users["coordinator"])
    made = Document.objects.create(plan=adopted, status=Document.Status.DONE, subject_status="adopted")
    made.file.save("adopted.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    from stakeholders.engagements.tests.world import engagement_world

    eng = engagement_world(lsg=lsg, plan=plan, measure=measure, users=users)
    return World(
        eng=eng,
        annual=annual,
        report=report,
        activity=activity,
        document=document,
        lsg=lsg,
        jmu=jmu,
        membership=MembershipFactory(jmu=jmu),
        settlement=SettlementFactory(lsg=lsg),
        institution=InstitutionFactory(lsg=lsg),
        national_institution=InstitutionFactory(lsg=None, name="Ministarstvo za ljudska i manjinska prava"),
        plan=plan,
        measure=measure,
        approved=approved,
        adopted=adopted,
        thread=thread,
        notification=notification,
        users=users,
    )


def url_of(name: str, world: World) -> str:
    row = MATRIX[name]
    url = reverse(row.url or name, kwargs=row.kwargs(world) if row.kwargs else None)
    return url + row.query.format(approved=world.approved.pk)
