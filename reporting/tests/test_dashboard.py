"""The programme dashboard, the home page per role, the review queue for reports, the LSG profile.

A small dashboard_world, figures computed by hand: LSG A (the `plan` fixture: an adopted 2026 plan, one
measure in area 1, four indicators with target 100, one per roll-up rule, budget 1,000 + 500 RSD)
and LSG B (an adopted 2026 plan in area 2, one indicator, budget 2,000 RSD). Today is 20 May 2026.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from jmu_planner.access import Role
from jmu_planner.i18n import money
from jmu_planner.notifications.models import Notification
from jmu_planner.text import to_cyrillic
from plans.models import OperationalPlan, PlanTransition, ThematicArea
from plans.tests.factories import (
    BudgetLineFactory,
    IndicatorFactory,
    MeasureFactory,
    PlanFactory,
    area,
)
from reporting import dashboard, lifecycle
from reporting.models import Document, IndicatorValue, Report
from reporting.tests.worlds import DASHBOARD_TODAY, YEAR, month_report
from stakeholders.models import ProgrammeCohort
from stakeholders.tests.factories import JMUFactory, LSGFactory

TODAY = DASHBOARD_TODAY
Status = Report.Status
pytestmark = pytest.mark.usefixtures("dashboard_today")


def test_dashboard_figures_equal_hand_computed_ones(dashboard_world, users):
    page = dashboard.programme_dashboard(user=users["officer"], year=YEAR, today=TODAY)
    rows = {row.lsg.pk: row for row in page.rows}
    a, b = rows[dashboard_world["a"].jmu.lsg_id], rows[dashboard_world["b"].jmu.lsg_id]

    assert (a.figures.indicators, a.figures.reached, a.figures.reached_share) == (4, 2, Decimal("50.0"))
    assert a.figures.planned == Decimal("1500.00") and a.figures.spent == Decimal("350.00")
    # Overdue on 20 May: April's monthly (due 10 May, a draft), Q1 (due 15 April, none).
    # Due: May's monthly (due 10 June), Q2 (due 15 July), the annual report (due 31 January).
    assert (a.figures.overdue, a.figures.due) == (2, 3)
    assert a.in_force == dashboard_world["a"] and a.draft is None and a.jmu_status == "Active"

    assert (b.figures.indicators, b.figures.reached) == (1, 1)
    assert (b.figures.planned, b.figures.spent) == (Decimal("2000.00"), Decimal("0.00"))
    # B: February, March and April monthly, Q1 overdue; May, Q2 and the year due.
    assert (b.figures.overdue, b.figures.due) == (4, 3)

    totals = page.totals
    assert (totals.indicators, totals.reached, totals.planned, totals.spent) == (
        5,
        3,
        Decimal("3500.00"),
        Decimal("350.00"),
    )
    assert (totals.overdue, totals.due) == (6, 6)
    by_area = {row.area.number: row.figures for row in page.areas}
    assert (by_area[1].indicators, by_area[1].reached, by_area[1].spent) == (4, 2, Decimal("350.00"))
    assert (by_area[2].indicators, by_area[2].reached, by_area[2].planned) == (1, 1, Decimal("2000.00"))
    months = dict(page.months)
    assert months[datetime.date(YEAR, 1, 1)] == Decimal("100.00")
    assert months[datetime.date(YEAR, 2, 1)] == Decimal("200.00")
    assert months[datetime.date(YEAR, 4, 1)] == Decimal("0.00")  # the draft's 999 is not counted
    assert page.plan_statuses == [("Adopted", 2)]


def test_dashboard_filters_by_district_cohort_and_lsg(dashboard_world, users):
    officer = users["officer"]
    a_lsg = dashboard_world["a"].jmu.lsg
    cohort = ProgrammeCohort.objects.create(code="T", name="Test programme (EU)", period="2026")
    cohort.lsgs.add(a_lsg)
    by_cohort = dashboard.programme_dashboard(user=officer, year=YEAR, cohort=cohort, today=TODAY)
    assert [row.lsg for row in by_cohort.rows] == [a_lsg]
    assert by_cohort.totals.planned == Decimal("1500.00")
    by_lsg = dashboard.programme_dashboard(
        user=officer, year=YEAR, lsg=dashboard_world["b"].jmu.lsg, today=TODAY
    )
    assert by_lsg.totals.planned == Decimal("2000.00")
    elsewhere = LSGFactory(district__code="ELS", district__name_lat="Drugi okrug")
    by_district = dashboard.programme_dashboard(user=officer, year=YEAR, district=elsewhere.district)
    assert by_district.rows == []
    # Another year: no plans, no figures.
    assert dashboard.programme_dashboard(user=officer, year=YEAR - 1, today=TODAY).totals.planned == 0


def test_the_real_cohorts_are_loaded_as_reference_data(db):
    cohorts = {c.code: c for c in ProgrammeCohort.objects.prefetch_related("lsgs")}
    assert set(cohorts) == {"A", "B", "C", "D", "E"}
    assert "Bela Palanka" in {lsg.name_lat for lsg in cohorts["A"].lsgs.all()}
    # The City of Niš has no code in the source: the city, or else its city municipalities, take part.
    names = {lsg.name_lat for lsg in cohorts["B"].lsgs.all()}
    assert "Niš" in names or {"Pantelej", "Niška Banja"} <= names


def test_dashboard_page_is_scoped_per_role(client, dashboard_world, users):
    url = reverse("dashboard:programme")
    a_name, b_name = dashboard_world["a"].jmu.lsg.name_lat, dashboard_world["b"].jmu.lsg.name_lat
    client.force_login(users["officer"])
    html = client.get(url).content.decode()
    assert a_name in html and b_name in html and money(Decimal("3500")) in html

    client.force_login(users["coordinator"])
    html = client.get(url).content.decode()
    assert a_name in html and b_name not in html
    # B's budget, and the programme's total.
    assert money(Decimal("2000")) not in html and money(Decimal("3500")) not in html
    # Asking for another LSG by its id is refused by the form; nothing of it shows.
    html = client.get(url, {"lsg": dashboard_world["b"].jmu.lsg_id}).content.decode()
    assert b_name not in html and money(Decimal("2000")) not in html

    client.force_login(users["other_coordinator"])
    html = client.get(url).content.decode()
    assert b_name in html and a_name not in html


def test_dashboard_charts_carry_their_data_and_a_table(client, dashboard_world, users):
    client.force_login(users["officer"])
    response = client.get(reverse("dashboard:programme"), {"year": YEAR})
    html = response.content.decode()
    data = json.loads(html.split('id="dashboard-data" type="application/json">')[1].split("</script>")[0])
    assert data["statuses"] == {"label": "Plans", "labels": ["Adopted"], "values": [2]}
    assert data["spending"]["values"][:4] == [100.0, 200.0, 50.0, 0.0]
    assert len(data["progress"]["labels"]) == len(data["progress"]["values"]) == ThematicArea.objects.count()
    assert data["progress"]["values"][:2] == [50.0, 100.0]
    for table in ("table-progress", "table-spending", "table-statuses"):
        assert f'id="{table}"' in html
    assert "js/dashboard.js" in html and "<script>" not in html  # CSP: no inline script


@pytest.mark.serbian
def test_dashboard_chart_labels_follow_the_readers_script(client, dashboard_world, users):
    client.force_login(users["officer"])
    client.post(reverse("set_language"), {"language": "sr"})
    html = client.get(reverse("dashboard:programme")).content.decode()
    data = json.loads(html.split('id="dashboard-data" type="application/json">')[1].split("</script>")[0])
    assert data["progress"]["labels"][0] == to_cyrillic(area(1).name_sr)
    assert all(not any("a" <= ch <= "z" for ch in label) for label in data["progress"]["labels"])


def test_dashboard_queries_are_constant_in_lsgs_and_years(
    client, dashboard_world, users, django_assert_num_queries
):
    """1 session + 1 user, 1 years (min/max), the dashboard's 9 (LSGs, plans, reports, roll-up
    aggregate, latest values, indicators, budget, spending, areas), 1 roles (navbar), the filters'
    choices 1 LSGs + 1 districts + 1 cohorts = 16, + 1 the data stamp (a cache miss) + SAVEPOINT/
    RELEASE = 19; the same with three more LSGs with plans and reports, in this year and the next."""
    client.force_login(users["officer"])
    url = reverse("dashboard:programme")
    with django_assert_num_queries(19):
        client.get(url)
    for n in range(3):
        jmu = JMUFactory(lsg=LSGFactory())
        for year in (YEAR + 1, YEAR):
            plan = PlanFactory(
                jmu=jmu,
                status=OperationalPlan.Status.ADOPTED,
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
            )
            measure = MeasureFactory(plan=plan, start_month=None, end_month=None)
            BudgetLineFactory(measure=measure)
            indicator = IndicatorFactory(measure=measure)
        report = month_report(plan, 1 + n, Status.ACCEPTED, users["officer"])  # the YEAR plan's
        IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(7))
    with django_assert_num_queries(19):
        client.get(url)
    with django_assert_num_queries(19):
        client.get(url, {"year": YEAR + 1})


def test_the_dashboard_is_served_from_the_cache_until_what_it_counts_changes(
    client, dashboard_world, users, django_assert_num_queries
):
    """A second look costs the page without the dashboard's 9 queries: 19 - 9 = 10. A report
    submitted (a status change) makes the figures anew: April's 999 RSD now count."""
    client.force_login(users["officer"])
    url = reverse("dashboard:programme")
    assert client.get(url).context["page"].totals.spent == Decimal("350.00")
    with django_assert_num_queries(10):
        assert client.get(url).context["page"].totals.spent == Decimal("350.00")
    april = Report.objects.get(
        jmu=dashboard_world["a"].jmu, kind="monthly", period_start=datetime.date(YEAR, 4, 1)
    )
    lifecycle.report_transition(report=april, to=Status.SUBMITTED, actor=users["coordinator"])
    with django_assert_num_queries(19):
        assert client.get(url).context["page"].totals.spent == Decimal("1349.00")
    # Another language, another filter: entries of their own.
    assert client.get(url, {"year": YEAR + 1}).status_code == 200
    with django_assert_num_queries(10):
        assert client.get(url).context["page"].totals.spent == Decimal("1349.00")


def test_officer_home_counts_every_report_waiting_and_shows_the_first(client, dashboard_world, users):
    for plan, months in ((dashboard_world["a"], range(5, 13)), (dashboard_world["b"], range(2, 5))):
        for month in months:
            month_report(plan, month, Status.SUBMITTED, users["coordinator"])
    waiting = Report.objects.filter(status=Status.SUBMITTED).count()
    assert waiting > 10
    client.force_login(users["officer"])
    officer = client.get(reverse("home")).context["home"].officer
    assert officer.reports_waiting_count == waiting and len(officer.reports_waiting) == 10
    assert officer.plans_waiting_count == len(officer.plans_waiting)


# --- Home, per role ----------------------------------------------------------------------------------


@pytest.fixture
def draft_with_request(plan, users):
    draft = PlanFactory(
        jmu=plan.jmu,
        status=OperationalPlan.Status.CHANGES_REQUESTED,
        title="Nacrt 2027",
        period_start=datetime.date(YEAR + 1, 1, 1),
        period_end=datetime.date(YEAR + 1, 12, 31),
    )
    for note in ["Prvo: dodajte indikatore.", "Dopunite budžet za stanovanje."]:
        PlanTransition.objects.create(
            plan=draft,
            actor=users["officer"],
            from_status="submitted",
            to_status="changes_requested",
            note=note,
        )
    return draft


def test_coordinator_home_shows_plans_reviewer_note_reports_due_and_links(
    client, dashboard_world, users, draft_with_request
):
    coordinator = users["coordinator"]
    Notification.objects.create(recipient=coordinator, event="legacy", params={"text": "x"}, url="/")
    current = month_report(dashboard_world["a"], 5, Status.DRAFT, coordinator)
    client.force_login(coordinator)
    html = client.get(reverse("home")).content.decode()
    assert dashboard_world["a"].title in html and "Nacrt 2027" in html and "Changes requested" in html
    assert "Dopunite budžet za stanovanje." in html and "Prvo: dodajte" not in html  # the latest request
    assert "04/2026" in html and "Q1/2026" in html  # overdue, with their dates
    assert "10.05.2026" in html or "05/10/2026" in html or "2026-05-10" in html
    assert "1 unread notification" in html
    assert f"{reverse('reporting:activity-create')}?jmu={current.jmu_id}" in html  # log field work
    assert (
        f"{reverse('reporting:report-create')}?jmu={dashboard_world['a'].jmu_id}&amp;kind=quarterly&amp;month=2026-01"
        in html
    )
    assert dashboard_world["b"].title not in html and "officer-home" not in html


def test_member_home_offers_field_log_but_not_report_creation(client, dashboard_world, users):
    current = month_report(dashboard_world["a"], 5, Status.DRAFT, users["coordinator"])
    client.force_login(users["member"])
    html = client.get(reverse("home")).content.decode()
    assert f"{reverse('reporting:activity-create')}?jmu={current.jmu_id}" in html
    assert reverse("reporting:report-create") not in html and "Start a new plan" not in html


def test_expert_home_shows_what_each_lsg_waits_on_and_recent_documents(
    client, dashboard_world, users, draft_with_request
):
    Document.objects.create(
        plan=dashboard_world["a"], status=Document.Status.DONE, finished_at=timezone.now()
    )
    Document.objects.create(
        plan=dashboard_world["b"], status=Document.Status.DONE, finished_at=timezone.now()
    )
    client.force_login(users["expert"])
    html = client.get(reverse("home")).content.decode()
    assert 'id="expert-lsgs"' in html and "The reviewer asked for changes to the plan." in html
    assert "2 reports are overdue." in html
    assert 'id="recent-documents"' in html and dashboard_world["a"].title in html
    assert "Plan Bezistan" not in html  # the other LSG's document


def test_officer_home_shows_queues_overdue_and_lsgs_without_a_plan(client, dashboard_world, users):
    Report.objects.filter(jmu=dashboard_world["a"].jmu, period_start=datetime.date(YEAR, 2, 1)).update(
        submitted_at=timezone.now() - datetime.timedelta(days=9)
    )
    PlanFactory(
        jmu=dashboard_world["a"].jmu,
        status=OperationalPlan.Status.SUBMITTED,
        title="Čeka pregled",
        period_start=datetime.date(YEAR + 1, 1, 1),
        period_end=datetime.date(YEAR + 1, 12, 31),
    )
    idle = JMUFactory(lsg=LSGFactory(name_lat="Bez plana"))
    client.force_login(users["officer"])
    html = client.get(reverse("home")).content.decode()
    assert "Čeka pregled" in html and 'id="reports-waiting"' in html and "9 days" in html
    overdue = html.split('id="programme-overdue"')[1].split("</ul>")[0]
    assert (
        dashboard_world["a"].jmu.lsg.name_lat in overdue and dashboard_world["b"].jmu.lsg.name_lat in overdue
    )
    without = html.split('id="without-plan"')[1].split("</ul>")[0]
    assert idle.lsg.name_lat in without and dashboard_world["a"].jmu.lsg.name_lat not in without


@pytest.mark.parametrize("role, expected", [("coordinator", 10), ("expert", 11), ("officer", 13)])
def test_home_queries_are_constant(
    client, dashboard_world, users, draft_with_request, role, expected, django_assert_num_queries
):
    """1 session + 1 user + 1 roles + 1 unread, + SAVEPOINT/RELEASE = 6; LSG people + 1 plans +
    1 reviewers' notes + 1 reports + 1 JMUs = 10; experts + 1 documents = 11; officers + 1 plans
    waiting + 1 reports waiting + 1 LSGs without a plan + 4 overdue (plans and submitted reports'
    keys, the plans and unsubmitted reports shown) = 13.
    The same with three more LSGs, plans and reports."""
    user = users[role]
    client.force_login(user)
    with django_assert_num_queries(expected):
        client.get(reverse("home"))
    for _n in range(3):
        lsg = LSGFactory()
        plan = PlanFactory(
            jmu=JMUFactory(lsg=lsg),
            status=OperationalPlan.Status.ADOPTED,
            period_start=datetime.date(YEAR, 1, 1),
            period_end=datetime.date(YEAR, 12, 31),
        )
        month_report(plan, 2, Status.SUBMITTED, users["officer"])
        if role != "officer":
            user.lsg_roles.create(lsg=lsg, role=Role.EXPERT if role == "expert" else Role.COORDINATOR)
    with django_assert_num_queries(expected):
        client.get(reverse("home"))


# --- The review queue for reports, the LSG profile and links -------------------------------------------


def test_report_review_queue_lists_submitted_reports_with_days_waited(client, dashboard_world, users):
    Report.objects.filter(jmu=dashboard_world["a"].jmu, period_start=datetime.date(YEAR, 3, 1)).update(
        submitted_at=timezone.now() - datetime.timedelta(days=21)
    )
    client.force_login(users["officer"])
    url = reverse("dashboard:report-review-queue")
    html = client.get(url).content.decode()
    queue = html.split('id="report-queue"')[1]
    assert "02/2026" in queue and "03/2026" in queue and "01/2026" not in queue  # accepted ones wait no more
    assert "21</span>" in queue
    only_b = client.get(url, {"lsg": dashboard_world["b"].jmu.lsg_id, "status": "accepted"}).content.decode()
    assert dashboard_world["b"].jmu.lsg.name_lat in only_b.split('id="report-queue"')[1]
    assert dashboard_world["a"].jmu.lsg.name_lat not in only_b.split('id="report-queue"')[1]
    client.force_login(users["coordinator"])
    response = client.get(url)
    assert response.status_code == 403 and "for programme officers" in response.content.decode()


def test_report_review_queue_queries_are_constant(client, dashboard_world, users, django_assert_num_queries):
    """1 session + 1 user + 1 roles, 1 count + 1 page of reports with LSG and district, filter choices
    1 LSGs + 1 districts = 7, + SAVEPOINT/RELEASE = 9; the same with more reports."""
    client.force_login(users["officer"])
    url = reverse("dashboard:report-review-queue")
    with django_assert_num_queries(9):
        client.get(url)
    for month in (5, 6, 7):
        month_report(dashboard_world["a"], month, Status.SUBMITTED, users["coordinator"])
    with django_assert_num_queries(9):
        client.get(url)


def test_lsg_profile_shows_census_commitments_jmu_and_history(client, dashboard_world, users):
    lsg = dashboard_world["a"].jmu.lsg
    lsg.__class__.objects.filter(pk=lsg.pk).update(
        population_male=87334,
        population_female=92083,
        roma_male=751,
        roma_female=731,
        coordinator_engagement="contract",
        coordinator_post="Koordinator za romska pitanja",
        coordinator_post_systematised=False,
        lap_adopted=True,
        lap_valid_from=datetime.date(2019, 1, 1),
        lap_valid_until=datetime.date(2021, 12, 31),
        dedicated_budget_year=YEAR,
        dedicated_budget=Decimal("1000900.00"),
    )
    client.force_login(users["member"])
    html = client.get(reverse("dashboard:lsg-profile", args=[lsg.pk])).content.decode()
    population = html.split('id="profile-population"')[1].split("</table>")[0]
    assert "87,334" in population and "751" in population and "1,482" in population
    commitments = html.split('id="profile-commitments"')[1].split("</dl>")[0]
    assert "Service contract" in commitments and "not in the job systematisation" in commitments
    assert "1,000,900.00" in commitments and str(YEAR) in commitments
    assert dashboard_world["a"].title in html.split('id="plan-history"')[1]
    assert "Accepted: 1" in html and "Submitted: 2" in html and "Draft: 1" in html
    client.force_login(users["other_coordinator"])
    assert client.get(reverse("dashboard:lsg-profile", args=[lsg.pk])).status_code == 404


def test_lsg_page_links_to_plans_reports_documents_dashboard_and_profile(client, plan, users):
    lsg = plan.jmu.lsg
    client.force_login(users["coordinator"])
    html = client.get(reverse("stakeholders:lsg-detail", args=[lsg.pk])).content.decode()
    for url in (
        f"{reverse('plans:plan-list')}?lsg={lsg.pk}",
        f"{reverse('reporting:report-list')}?lsg={lsg.pk}",
        f"{reverse('dashboard:programme')}?lsg={lsg.pk}",
        reverse("dashboard:lsg-profile", args=[lsg.pk]),
        f"{reverse('dashboard:lsg-profile', args=[lsg.pk])}#documents",
    ):
        assert f'href="{url}"' in html


def test_navbar_links_the_report_queue_for_officers_only(client, users):
    queue = reverse("dashboard:report-review-queue")
    client.force_login(users["officer"])
    assert queue in client.get(reverse("home")).content.decode()
    client.force_login(users["coordinator"])
    assert queue not in client.get(reverse("home")).content.decode()


def test_lsg_profile_queries_are_constant(client, dashboard_world, users, django_assert_num_queries):
    """1 session + 1 user + 1 roles, 1 LSG with district, 1 active JMU, 1 members, 1 reports,
    1 cohorts, 1 plans, 1 documents, 1 LAP in the register = 11, + 1 the plan in force's indicators
    + 1 their roll-up aggregate + 1 latest values = 14, + SAVEPOINT/RELEASE = 16; the same with more
    reports, plans and documents."""
    client.force_login(users["coordinator"])
    url = reverse("dashboard:lsg-profile", args=[dashboard_world["a"].jmu.lsg_id])
    with django_assert_num_queries(16):
        client.get(url)
    for month in (5, 6, 7):
        month_report(dashboard_world["a"], month, Status.SUBMITTED, users["coordinator"])
        Document.objects.create(plan=dashboard_world["a"], status=Document.Status.DONE)
    PlanFactory(
        jmu=dashboard_world["a"].jmu,
        period_start=datetime.date(YEAR + 1, 1, 1),
        period_end=datetime.date(YEAR + 1, 12, 31),
    )
    with django_assert_num_queries(16):
        client.get(url)


def test_profile_fields_are_checked_when_saved(plan, users):
    from django.core.exceptions import ValidationError

    from stakeholders.services import lsg_update

    lsg, admin = plan.jmu.lsg, users["administrator"]
    with pytest.raises(ValidationError) as refused:
        lsg_update(
            lsg=lsg,
            actor=admin,
            data={
                "lap_valid_from": datetime.date(2022, 1, 1),
                "lap_valid_until": datetime.date(2021, 12, 31),
            },
        )
    assert "lap_valid_until" in refused.value.message_dict
    lsg.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        lsg_update(lsg=lsg, actor=admin, data={"dedicated_budget": Decimal("5000")})  # which year?
    assert "dedicated_budget" in refused.value.message_dict
    lsg.refresh_from_db()
    saved = lsg_update(lsg=lsg, actor=admin, data={"coordinator_engagement": "none", "lap_adopted": False})
    assert saved.coordinator_engaged is False and saved.lap_adopted is False


def test_coordinator_home_lists_reports_due_in_due_order_and_starts_only_ended_periods(
    client, dashboard_world, users
):
    coordinator = users["coordinator"]
    card = dashboard.home_page(user=coordinator, today=DASHBOARD_TODAY).lsg_cards[0]
    kinds = [item.kind for item in card.due]
    assert {"monthly", "annual"} <= set(kinds)
    assert [item.due for item in card.due] == sorted(item.due for item in card.due)
    assert kinds.index("monthly") < kinds.index("annual")  # due in weeks, above the one due next year
    assert [item.due for item in card.overdue] == sorted(item.due for item in card.overdue)

    client.force_login(coordinator)
    html = client.get(reverse("home")).content.decode()
    due_list = html[html.index('class="list-unstyled small due-list"') :]
    due_list = due_list[: due_list.index("</ul>")]
    # May is running on 20 May: no "Start" for it, nor for the year; the rule is written beside.
    assert f"kind=monthly&amp;month={YEAR}-05" not in due_list and "kind=annual" not in due_list
    may_end = date_format(datetime.date(YEAR, 5, 31), "SHORT_DATE_FORMAT")
    assert f"can be started after {may_end}" in due_list
    assert "A report is started once its period has ended" in html
