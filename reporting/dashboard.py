"""Reads for the pages where each role starts: home per role, the programme dashboard, the report
review queue and the LSG profile.

Each read runs a fixed number of queries whatever the number of LSGs, plans, years and reports
(pinned in reporting/tests/test_dashboard.py and measured by bench/dashboard.py): rows are fetched
for all the LSGs at once and grouped here. Roll-up, "target met" and plan totals are those of
jmu_planner.figures, over the queries of reporting.selectors and plans.selectors.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jmu_planner import access, cache, figures, fragment_cache
from jmu_planner.access import Role
from jmu_planner.notifications.models import Notification
from plans.models import (
    BudgetLine,
    Indicator,
    OperationalPlan,
    PlanTransition,
    ThematicArea,
)
from plans.selectors import envelope_gaps, review_queue
from reporting.models import Document, IndicatorValue, Report, Spending
from reporting.monitoring import progress_of
from reporting.selectors import (
    REPORTED,
    DueReport,
    FieldLog,
    Overdue,
    expected_reports,
    field_log,
    indicator_aggregates,
    overdue_summary,
)
from stakeholders.models import JMU, LSG, District, JMUMembership, PolicyDocument, ProgrammeCohort, User

PlanStatus = OperationalPlan.Status
ZERO = Decimal("0.00")
# Plan versions still on their way to adoption: what the home page and dashboard call "the draft".
IN_PROGRESS = [PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.CHANGES_REQUESTED, PlanStatus.APPROVED]


def local_today() -> datetime.date:
    """Today where the programme works; one name for the tests to set the day."""
    return timezone.localdate()


_share = figures.share


def _latest(plans: list[OperationalPlan], today: datetime.date) -> OperationalPlan | None:
    """The plan covering `today`, else the one that starts last (then the newest version)."""
    if not plans:
        return None
    covering = [p for p in plans if p.period_start <= today <= p.period_end]
    return max(covering or plans, key=lambda p: (p.period_start, p.version))


def _split_due(expected: list[DueReport], today: datetime.date) -> tuple[list[DueReport], list[DueReport]]:
    """(due, overdue): reports not yet submitted whose period has begun and whose deadline is still
    ahead, and those whose deadline has passed; each list in due order (the nearest deadline first,
    whatever the kind: a monthly report due in three days above the annual one due in January)."""
    due, overdue = [], []
    for item in expected:
        if item.report is not None and item.report.status in REPORTED:
            continue
        if item.due < today:
            overdue.append(item)
        elif item.period_start <= today:
            due.append(item)
    in_due_order = lambda item: (item.due, item.period_end, item.period_start)  # noqa: E731
    return sorted(due, key=in_due_order), sorted(overdue, key=in_due_order)


# --- The programme dashboard ---------------------------------------------------------------------


@dataclass
class Figures:
    """Counts and sums for one LSG, one area or the whole selection."""

    indicators: int = 0
    reached: int = 0
    planned: Decimal = ZERO
    # Of `planned`, what shared envelopes hold that no measure draws on yet (figures.plan_total).
    not_split: Decimal = ZERO
    spent: Decimal = ZERO
    due: int = 0
    overdue: int = 0

    @property
    def reached_share(self) -> Decimal | None:
        """Share of the indicators with a numeric target whose target is met (by its qualifier,
        jmu_planner.figures.target_met), in percent; a target in words counts in neither."""
        return _share(self.reached, self.indicators)

    @property
    def spent_share(self) -> Decimal | None:
        return _share(self.spent, self.planned)

    def add(self, other: Figures) -> None:
        for name in ("indicators", "reached", "planned", "not_split", "spent", "due", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class LSGRow:
    lsg: LSG
    in_force: OperationalPlan | None = None
    draft: OperationalPlan | None = None
    figures: Figures = field(default_factory=Figures)

    @property
    def jmu_status(self) -> str:
        if self.lsg.has_active_jmu:
            return _("Active")
        return _("Inactive") if self.lsg.has_jmu else _("No JMU")


@dataclass
class AreaRow:
    area: ThematicArea
    figures: Figures = field(default_factory=Figures)


@dataclass
class Dashboard:
    year: int
    rows: list[LSGRow]
    areas: list[AreaRow]
    totals: Figures
    months: list[tuple[datetime.date, Decimal]]
    plan_statuses: list[tuple[str, int]]
    with_jmu: int
    in_force: int
    drafts: int

    def chart_data(self) -> dict[str, Any]:
        """What static/js/dashboard.js draws; labels already in the reader's language and script."""
        return {
            "progress": {
                "label": _("Targets reached (%)"),
                "labels": [row.area.name for row in self.areas],
                "values": [float(row.figures.reached_share or 0) for row in self.areas],
            },
            "spending": {
                "label": _("Spent (RSD)"),
                "labels": [formats.date_format(month, "YEAR_MONTH_FORMAT") for month, _a in self.months],
                "values": [float(amount) for _m, amount in self.months],
            },
            "statuses": {
                "label": _("Plans"),
                "labels": [label for label, _c in self.plan_statuses],
                "values": [count for _l, count in self.plan_statuses],
            },
        }


def dashboard_years(*, user: User) -> list[int]:
    """Years that some visible plan touches, and the current one: 1 query."""
    bounds = OperationalPlan.objects.visible_to(user).aggregate(
        first=Min("period_start"), last=Max("period_end")
    )
    this_year = local_today().year
    first = bounds["first"].year if bounds["first"] else this_year
    last = bounds["last"].year if bounds["last"] else this_year
    return list(range(max(last, this_year), min(first, this_year) - 1, -1))


def dashboard_lsgs(
    *,
    user: User,
    district: District | None = None,
    cohort: ProgrammeCohort | None = None,
    lsg: LSG | None = None,
) -> QuerySet[LSG]:
    """The LSGs the dashboard shows: for officers the programme's (with a JMU or in a cohort),
    for everyone else the LSGs they hold a role in; then the filters."""
    jmus = JMU.objects.filter(lsg=OuterRef("pk"))
    lsgs = LSG.objects.visible_to(user).annotate(
        has_jmu=Exists(jmus), has_active_jmu=Exists(jmus.filter(status=JMU.Status.ACTIVE))
    )
    if access.sees_everything(user):
        in_cohort = ProgrammeCohort.lsgs.through.objects.filter(lsg_id=OuterRef("pk"))
        lsgs = lsgs.filter(Q(has_jmu=True) | Exists(in_cohort))
    if district is not None:
        lsgs = lsgs.filter(district=district)
    if cohort is not None:
        lsgs = lsgs.filter(cohorts=cohort)
    if lsg is not None:
        lsgs = lsgs.filter(pk=lsg.pk)
    return lsgs


# A dashboard computed for the same reader's scope, filters, day and language is served from the
# cache until the data it counts changes. What it counts changes only through these: a plan or
# report changing status (each move writes a transition row), a plan made or deleted, and the
# registry's JMUs, LSGs and programme cohorts (their history rows and links). One query reads that
# stamp. The time limit is a backstop for a change made behind the application's back.
DASHBOARD_TTL = 10 * 60
_STAMP_SQL = """
    SELECT (SELECT max(id) FROM plans_plantransition), (SELECT max(id) FROM reporting_reporttransition),
           (SELECT max(id) FROM plans_operationalplan), (SELECT count(*) FROM plans_operationalplan),
           (SELECT max(history_id) FROM stakeholders_historicaljmu),
           (SELECT max(history_id) FROM stakeholders_historicallsg),
           (SELECT count(*) FROM stakeholders_programmecohort_lsgs),
           (SELECT max(id) FROM stakeholders_programmecohort_lsgs)
"""


def dashboard_stamp() -> tuple:
    """What the programme's figures were computed from, in one query (see DASHBOARD_TTL)."""
    with connection.cursor() as cursor:
        cursor.execute(_STAMP_SQL)
        return tuple(cursor.fetchone())


def cached_programme_dashboard(
    *,
    user: User,
    year: int,
    district: District | None = None,
    cohort: ProgrammeCohort | None = None,
    lsg: LSG | None = None,
) -> Dashboard:
    """`programme_dashboard`, served from the cache while its data stamp holds: one query on a hit
    (the officers' dashboard cost ~250 ms at 170 LSGs × 5 years, a quarter of the web workers' CPU
    in bench/load.py). A failing cache only means computing it (jmu_planner.cache)."""
    today = local_today()
    scope = "all" if access.sees_everything(user) else sorted(access.lsg_roles(user))
    filters = [getattr(chosen, "pk", None) for chosen in (district, cohort, lsg)]
    parts = (
        scope,
        year,
        filters,
        today.isoformat(),
        get_language(),
        dashboard_stamp(),
        fragment_cache.code_fingerprint(),
    )
    key = "dashboard:" + hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
    page = cache.read(key)
    if page is None:
        page = programme_dashboard(
            user=user, year=year, district=district, cohort=cohort, lsg=lsg, today=today
        )
        cache.write(key, page, DASHBOARD_TTL)
    return page


def programme_dashboard(
    *,
    user: User,
    year: int,
    district: District | None = None,
    cohort: ProgrammeCohort | None = None,
    lsg: LSG | None = None,
    today: datetime.date | None = None,
) -> Dashboard:
    """Per LSG and per thematic area for one year: 9 queries, whatever the LSGs and years.

    1 LSGs, 1 the year's plans (with what their envelopes hold unsplit: envelope_gaps), 1 reports
    of the adopted ones, 1 indicator roll-up aggregate + 1 latest values (window) + 1 indicators,
    1 budget planned, 1 spending, 1 thematic areas.
    Figures count the adopted plans of the year and their submitted or accepted monthly reports.
    """
    today = today or local_today()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    lsgs = list(
        dashboard_lsgs(user=user, district=district, cohort=cohort, lsg=lsg)
        .select_related("district")
        .in_reading_order()
    )
    rows = {item.pk: LSGRow(lsg=item) for item in lsgs}
    plans = list(
        OperationalPlan.objects.filter(jmu__lsg_id__in=rows, period_start__lte=end, period_end__gte=start)
        .exclude(status=PlanStatus.SUPERSEDED)
        .annotate(lsg_pk=F("jmu__lsg_id"), **envelope_gaps("pk"))
        .only("pk", "title", "status", "version", "period_start", "period_end", "jmu_id")
    )
    by_lsg: dict[int, list[OperationalPlan]] = defaultdict(list)
    for plan in plans:
        by_lsg[plan.lsg_pk].append(plan)
    adopted = [p for p in plans if p.status == PlanStatus.ADOPTED]
    adopted_ids = [p.pk for p in adopted]
    lsg_of_plan = {p.pk: p.lsg_pk for p in plans}
    for pk, own in by_lsg.items():
        rows[pk].in_force = _latest([p for p in own if p.status == PlanStatus.ADOPTED], today)
        rows[pk].draft = _latest([p for p in own if p.status in IN_PROGRESS], today)

    reports = list(
        Report.objects.filter(plan_id__in=adopted_ids).only("pk", "jmu_id", "kind", "period_start", "status")
    )
    expected = [e for e in expected_reports(adopted, reports) if start <= e.period_start <= end]
    due, overdue = _split_due(expected, today)
    for item in due:
        rows[lsg_of_plan[item.plan.pk]].figures.due += 1
    for item in overdue:
        rows[lsg_of_plan[item.plan.pk]].figures.overdue += 1

    areas = {area.pk: AreaRow(area=area) for area in ThematicArea.objects.order_by("number")}
    for indicator, met in _indicator_met(adopted_ids, start, end):
        if indicator.target is None:
            continue  # a target in words (or none): neither met nor missed
        for counted in (rows[indicator.lsg_pk].figures, areas[indicator.area_pk].figures):
            counted.indicators += 1
            counted.reached += int(bool(met))

    planned = (
        BudgetLine.objects.planned()
        .filter(measure__plan_id__in=adopted_ids)
        .values(plan_pk=F("measure__plan_id"), area_pk=F("measure__area_id"))
        .annotate(total=Sum("amount"))
    )
    # An area's planned is what its measures' lines hold; an LSG's is its plans' totals, as each
    # plan's page gives them: shared envelopes counted once, with what is not yet split.
    lines_of_plan: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for found in planned:
        areas[found["area_pk"]].figures.planned += found["total"]
        lines_of_plan[found["plan_pk"]] += found["total"]
    for plan in adopted:
        gaps = [(plan.envelopes_not_split, ZERO), (ZERO, plan.envelopes_overdrawn)]
        total = figures.plan_total(lines_of_plan[plan.pk], gaps)
        lsg_figures = rows[plan.lsg_pk].figures
        lsg_figures.planned += total.overall
        lsg_figures.not_split += total.not_split
    spent = (
        Spending.objects.filter(
            report__plan_id__in=adopted_ids,
            report__kind=Report.Kind.MONTHLY,
            report__status__in=REPORTED,
            report__period_start__range=(start, end),
        )
        .values(
            plan_pk=F("report__plan_id"),
            area_pk=F("budget_line__measure__area_id"),
            month=F("report__period_start"),
        )
        .annotate(total=Sum("amount"))
    )
    by_month: dict[datetime.date, Decimal] = {datetime.date(year, m, 1): ZERO for m in range(1, 13)}
    for found in spent:
        rows[lsg_of_plan[found["plan_pk"]]].figures.spent += found["total"]
        areas[found["area_pk"]].figures.spent += found["total"]
        by_month[found["month"].replace(day=1)] += found["total"]

    totals = Figures()
    for row in rows.values():
        totals.add(row.figures)
    statuses = Counter(p.status for p in plans)
    return Dashboard(
        year=year,
        rows=list(rows.values()),
        areas=list(areas.values()),
        totals=totals,
        months=sorted(by_month.items()),
        plan_statuses=[(label, statuses[value]) for value, label in PlanStatus.choices if value in statuses],
        with_jmu=sum(1 for item in lsgs if item.has_active_jmu),
        in_force=sum(1 for row in rows.values() if row.in_force is not None),
        drafts=sum(1 for row in rows.values() if row.draft is not None),
    )


def _indicator_met(plan_ids: list[int], start: datetime.date, end: datetime.date):
    """Each indicator of the plans with whether its target is met over the year's reported months:
    3 queries (selectors.indicator_aggregates, then the indicators).

    The roll-up of the report page, for many plans at once: values of submitted or accepted
    monthly reports, combined by each indicator's rule, judged by jmu_planner.figures.target_met.
    """
    values = IndicatorValue.objects.filter(
        report__plan_id__in=plan_ids,
        report__kind=Report.Kind.MONTHLY,
        report__status__in=REPORTED,
        report__period_start__range=(start, end),
    )
    found = indicator_aggregates(values)
    # Named tuples, not model instances: the programme's plans hold thousands of indicators.
    indicators = (
        Indicator.objects.filter(measure__plan_id__in=plan_ids)
        .annotate(lsg_pk=F("measure__plan__jmu__lsg_id"), area_pk=F("measure__area_id"))
        .values_list(
            "pk", "target", "baseline", "target_qualifier", "aggregation", "lsg_pk", "area_pk", named=True
        )
    )
    for indicator in indicators:
        value = figures.picked(found.get(indicator.pk, {}), indicator.aggregation)
        yield (
            indicator,
            figures.target_met(
                value,
                target=indicator.target,
                qualifier=indicator.target_qualifier,
                baseline=indicator.baseline,
            ),
        )


# --- Review queue for reports ------------------------------------------------------------------------


def report_review_queue(*, user: User) -> QuerySet[Report]:
    """Reports waiting for an officer, oldest submission first."""
    return (
        Report.objects.visible_to(user)
        .select_related("jmu__lsg__district")
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )


def days_waited(moment: datetime.datetime | None, now: datetime.datetime | None = None) -> int | None:
    return None if moment is None else ((now or timezone.now()) - moment).days


# --- Home, per role ---------------------------------------------------------------------------------


@dataclass
class LSGCard:
    """One of my LSGs on the home page: its plans, reports due and the links to start each."""

    link: access.LSGLink
    in_force: OperationalPlan | None = None
    draft: OperationalPlan | None = None
    reviewer_note: PlanTransition | None = None
    due: list[DueReport] = field(default_factory=list)
    overdue: list[DueReport] = field(default_factory=list)
    current_report: Report | None = None
    jmu_id: int | None = None
    may_write: bool = False
    may_log: bool = False
    has_plan_this_year: bool = False

    @property
    def waiting_on(self) -> list[str]:
        """What the LSG's work waits on, most urgent first (the expert's view)."""
        reasons = []
        if self.draft is not None:
            reasons.append(
                {
                    PlanStatus.DRAFT: _("The draft plan is being written."),
                    PlanStatus.SUBMITTED: _("The plan waits for the programme officer's review."),
                    PlanStatus.CHANGES_REQUESTED: _("The reviewer asked for changes to the plan."),
                    PlanStatus.APPROVED: _("The approved plan waits for adoption by the LSG body."),
                }[self.draft.status]
            )
        elif not self.has_plan_this_year:
            reasons.append(_("There is no plan for this year yet."))
        if self.overdue:
            reasons.append(_("%(count)s reports are overdue.") % {"count": len(self.overdue)})
        return reasons or [_("Nothing: the plan is in force and reports are up to date.")]


@dataclass
class OfficerHome:
    plans_waiting: list[OperationalPlan]  # the first SHOWN
    plans_waiting_count: int
    reports_waiting: list[Report]  # the first SHOWN
    reports_waiting_count: int
    overdue: Overdue
    without_plan: list[LSG]
    year: int


@dataclass
class Home:
    lsg_cards: list[LSGCard]
    expert_cards: list[LSGCard]
    documents: list[Document]
    unread: int
    officer: OfficerHome | None
    today: datetime.date
    field_log: FieldLog | None = None  # JMU members: their own entries of the week first


SHOWN = 10  # rows of each officer list on the home page; the full lists are one click away


def home_page(*, user: User, today: datetime.date | None = None) -> Home:
    """The home page of `user`: a fixed number of queries per role (see the tests).

    LSG people: 1 plans + 1 reviewers' notes + 1 reports + 1 active JMUs; experts add 1 documents;
    officers: 1 plans waiting + 1 reports waiting + 4 overdue + 1 LSGs without a plan; all 1 unread.
    """
    today = today or local_today()
    links = access.lsg_roles(user)
    cards = {pk: LSGCard(link=link) for pk, link in links.items()}
    if cards:
        _fill_cards(user, cards, today)
    ordered = sorted(cards.values(), key=lambda card: card.link.name)
    experts = [c for c in ordered if Role.EXPERT in c.link.roles]
    documents: list[Document] = []
    if experts:
        documents = list(
            Document.objects.visible_to(user)
            .filter(status=Document.Status.DONE)
            .select_related("plan__jmu__lsg", "report__jmu__lsg")
            .order_by("-finished_at", "-pk")[:SHOWN]
        )
    officer = _officer_home(user, today) if access.sees_everything(user) else None
    return Home(
        lsg_cards=[c for c in ordered if c.link.roles & {Role.COORDINATOR, Role.MEMBER}],
        expert_cards=experts,
        documents=documents,
        unread=Notification.objects.for_user(user).unread().count(),
        officer=officer,
        today=today,
        field_log=field_log(user=user, earlier=0) if access.lsg_ids_with_role(user, {Role.MEMBER}) else None,
    )


def _fill_cards(user: User, cards: dict[int, LSGCard], today: datetime.date) -> None:
    plans = list(
        OperationalPlan.objects.filter(jmu__lsg_id__in=cards)
        .exclude(status=PlanStatus.SUPERSEDED)
        .annotate(lsg_pk=F("jmu__lsg_id"))
        .only("pk", "title", "status", "version", "period_start", "period_end", "jmu_id")
    )
    by_lsg: dict[int, list[OperationalPlan]] = defaultdict(list)
    for plan in plans:
        by_lsg[plan.lsg_pk].append(plan)
    for pk, own in by_lsg.items():
        card = cards[pk]
        card.in_force = _latest([p for p in own if p.status == PlanStatus.ADOPTED], today)
        card.draft = _latest([p for p in own if p.status in IN_PROGRESS], today)
        card.has_plan_this_year = any(p.period_start.year <= today.year <= p.period_end.year for p in own)
    asked = {c.draft.pk: c for c in cards.values() if c.draft is not None and c.draft.changes_requested}
    for transition in PlanTransition.objects.filter(
        plan_id__in=asked, to_status=PlanStatus.CHANGES_REQUESTED
    ).order_by("at", "pk"):
        asked[transition.plan_id].reviewer_note = transition  # ascending: the latest request wins
    adopted = [p for p in plans if p.status == PlanStatus.ADOPTED]
    lsg_of_plan = {p.pk: p.lsg_pk for p in plans}
    reports = list(
        Report.objects.filter(plan__in=adopted).only(
            "pk", "jmu_id", "plan_id", "kind", "period_start", "period_end", "status", "due_date"
        )
    )
    due, overdue = _split_due(expected_reports(adopted, reports), today)
    for item in due:
        cards[lsg_of_plan[item.plan.pk]].due.append(item)
    for item in overdue:
        cards[lsg_of_plan[item.plan.pk]].overdue.append(item)
    month = today.replace(day=1)
    for report in reports:
        if report.kind == Report.Kind.MONTHLY and report.period_start == month:
            card = cards[lsg_of_plan[report.plan_id]]
            card.current_report = report
    for jmu in JMU.objects.filter(lsg_id__in=cards, status=JMU.Status.ACTIVE).only("pk", "lsg_id"):
        cards[jmu.lsg_id].jmu_id = jmu.pk
    for pk, card in cards.items():
        card.may_write = access.may(user, "plans.add_plan", pk)
        # Field work is logged on the JMU and the day, whether or not the month's report exists.
        card.may_log = card.jmu_id is not None and bool(card.link.roles & access.FIELD_WORKERS)


def _first_and_count(queryset: QuerySet, shown: int = SHOWN) -> tuple[list, int]:
    """The first `shown` rows and how many there are, in one query: a count over the whole result
    rides on each row (a window), where loading every row to count them cost the officer's home
    page 1,400 model instances (two months of reports waiting from 170 LSGs)."""
    rows = list(queryset.annotate(total_rows=Window(Count("pk")))[:shown])
    return rows, (rows[0].total_rows if rows else 0)


def _officer_home(user: User, today: datetime.date) -> OfficerHome:
    now = timezone.now()
    plans, plans_count = _first_and_count(review_queue(user=user).filter(status=PlanStatus.SUBMITTED))
    for plan in plans:
        plan.days_waiting = days_waited(plan.submitted_at, now)
    reports, reports_count = _first_and_count(
        report_review_queue(user=user).filter(status=Report.Status.SUBMITTED)
    )
    for report in reports:
        report.days_waiting = days_waited(report.submitted_at, now)
    year_plans = OperationalPlan.objects.filter(
        jmu__lsg=OuterRef("pk"), period_start__year__lte=today.year, period_end__year__gte=today.year
    ).exclude(status=PlanStatus.SUPERSEDED)
    active = JMU.objects.filter(lsg=OuterRef("pk"), status=JMU.Status.ACTIVE)
    without_plan = list(
        LSG.objects.visible_to(user)
        .filter(Exists(active))
        .exclude(Exists(year_plans))
        .select_related("district")
        .in_reading_order()
    )
    return OfficerHome(
        plans_waiting=plans,
        plans_waiting_count=plans_count,
        reports_waiting=reports,
        reports_waiting_count=reports_count,
        overdue=overdue_summary(user=user, today=today, shown=SHOWN),
        without_plan=without_plan,
        year=today.year,
    )


# --- The LSG profile ---------------------------------------------------------------------------------


@dataclass
class LSGProfile:
    lsg: LSG
    jmu: JMU | None
    members: list[JMUMembership]
    cohorts: list[ProgrammeCohort]
    plans: list[OperationalPlan]
    reports: list[Report]
    report_counts: dict[str, int]
    documents: list[Document]
    # The plan in force and its indicators to date (selectors.IndicatorRow); `exact` for the
    # LSG's own people, else counts from 1 to 4 read "<5" with no progress beside them.
    in_force: OperationalPlan | None = None
    indicators: list = field(default_factory=list)
    exact: bool = True
    # The LSG's LAP for Roma inclusion in the register of policy documents (the latest adopted).
    lap: PolicyDocument | None = None


def lsg_profile(*, user: User, pk: int) -> LSGProfile:
    """The LSG's profile as the national monitoring database shows it, with its plan and report
    history, its LAP in the register and the indicators of the plan in force to date: 11 queries (8,
    + 1 indicators + 2 their roll-up, monitoring.progress_of, when a plan is in force)."""
    lsg = get_object_or_404(LSG.objects.visible_to(user).select_related("district"), pk=pk)
    jmu = JMU.objects.filter(lsg=lsg, status=JMU.Status.ACTIVE).first()  # at most one (a constraint)
    members = []
    if jmu is not None:
        members = list(
            JMUMembership.objects.filter(jmu=jmu)
            .active_on(timezone.localdate())
            .select_related("role", "institution")
        )
    reports = list(
        Report.objects.filter(jmu__lsg=lsg).only(
            "pk", "kind", "period_start", "period_end", "status", "due_date", "submitted_at", "jmu_id"
        )
    )
    plans = list(
        OperationalPlan.objects.filter(jmu__lsg=lsg)
        .only("pk", "title", "status", "version", "period_start", "period_end", "adoption_date", "jmu_id")
        .order_by("-period_start", "-version")
    )
    in_force = _latest([p for p in plans if p.status == PlanStatus.ADOPTED], local_today())
    indicator_rows = []
    if in_force is not None:
        indicators = list(
            Indicator.objects.filter(measure__plan=in_force)
            .select_related("measure__area")
            .order_by("measure__area__number", "measure__number", "position", "pk")
        )
        found = progress_of(indicators)
        indicator_rows = [found[i.pk] for i in indicators]
    return LSGProfile(
        lsg=lsg,
        jmu=jmu,
        members=members,
        cohorts=list(lsg.cohorts.all()),
        in_force=in_force,
        indicators=indicator_rows,
        exact=lsg.pk in access.lsg_roles(user),
        plans=plans,
        reports=reports,
        report_counts=dict(Counter(r.get_status_display() for r in reports)),
        lap=PolicyDocument.objects.filter(lsg=lsg, kind=PolicyDocument.Kind.LAP_ROMA)
        .order_by(F("adoption_date").desc(nulls_last=True), "-period_start")
        .first(),
        documents=list(
            Document.objects.filter(Q(plan__jmu__lsg=lsg) | Q(report__jmu__lsg=lsg))
            .filter(status=Document.Status.DONE)
            .select_related("plan", "report")
            .order_by("-created_at", "-pk")[:SHOWN]
        ),
    )
