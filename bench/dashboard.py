"""Benchmark: the programme dashboard and each role's home page at 170 LSGs and five years.

Run: `.venv/bin/python bench/dashboard.py` (PostgreSQL from DATABASE_URL; a throw-away database
named after DATABASE_URL's database + "_bench_dashboard" is created and dropped). Seeds 10 LSGs
with one year first and counts each page's queries; then 170 LSGs with five years of adopted plans
and their monthly reports, counts again (the same: constant in LSGs and years) and times each
page, with the ratio of its p95 to the plan page's in the same run. Prints readable lines, then
one line of JSON.
"""

from __future__ import annotations

import datetime
import gc
import json
import sys
import time
from decimal import Decimal

from _setup import configure, queries, timed

configure()

from django.test import Client
from django.urls import reverse

RUNS = 30
YEARS = [2022, 2023, 2024, 2025, 2026]
LSG_COUNT = 170
MEASURES = 6  # per plan; 2 indicators and 2 budget lines each
TODAY = datetime.date(2026, 11, 20)


class BenchDatabase:
    """A test database of its own name (DATABASE_URL's + "_bench_dashboard"), dropped afterwards."""

    def __enter__(self):
        from django.core.management import call_command
        from django.db import connection

        self.connection = connection
        self.old_name = connection.settings_dict["NAME"]
        self.name = f"{self.old_name}_bench_dashboard"
        connection.settings_dict.setdefault("TEST", {})["NAME"] = self.name
        # serialize=False: no test case will roll back to it, and dumping it is slow.
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
        call_command("load_reference_data", verbosity=0)
        return self

    def __exit__(self, *exc):
        self.connection.creation.destroy_test_db(self.old_name, verbosity=0)


def seed(lsgs, years: list[int], *, first_measure_pk: int = 0) -> dict[str, int]:
    """Adopted plans for `years` for each LSG (creating its JMU), with monthly reports up to
    TODAY's month: accepted, the last two submitted. All with bulk_create."""
    from plans.models import BudgetLine, FundingSource, Indicator, Measure, OperationalPlan, ThematicArea
    from reporting.models import IndicatorValue, Report, Spending
    from reporting.services import due_date, period_of
    from stakeholders.models import JMU

    areas = list(ThematicArea.objects.order_by("number"))
    sources = list(FundingSource.objects.order_by("position"))
    existing = {j.lsg_id: j for j in JMU.objects.filter(lsg__in=lsgs)}
    new_jmus = [
        JMU(
            lsg=lsg,
            founding_body="municipal_council",
            decision_number=f"{lsg.code}/2021",
            decision_date=datetime.date(2021, 3, 1),
        )
        for lsg in lsgs
        if lsg.pk not in existing
    ]
    JMU.objects.bulk_create(new_jmus)
    jmus = list(existing.values()) + new_jmus
    plans = OperationalPlan.objects.bulk_create(
        OperationalPlan(
            jmu=jmu,
            title=f"Operativni plan {jmu.lsg.name_lat} {year}",
            status="adopted",
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
        )
        for jmu in jmus
        for year in years
    )
    measures = Measure.objects.bulk_create(
        Measure(plan=plan, area=areas[i % len(areas)], number=1 + i // len(areas), title=f"Mera {i}")
        for plan in plans
        for i in range(MEASURES)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            measure=m,
            name=f"Indikator {k}",
            unit="osoba",
            baseline=Decimal(0),
            target=Decimal(40 + 20 * k),
            aggregation=("sum", "latest")[k],
            position=k,
        )
        for m in measures
        for k in range(2)
    )
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(measure=m, source=sources[k], amount=Decimal("60000.00"), position=k)
        for m in measures
        for k in range(2)
    )
    by_plan: dict[int, tuple[list, list]] = {plan.pk: ([], []) for plan in plans}
    plan_of_measure = {m.pk: m.plan_id for m in measures}
    for indicator in indicators:
        by_plan[plan_of_measure[indicator.measure_id]][0].append(indicator)
    for line in lines:
        by_plan[plan_of_measure[line.measure_id]][1].append(line)
    reports = []
    for plan in plans:
        last = 12 if plan.period_start.year < TODAY.year else TODAY.month - 1
        for month in range(1, last + 1):
            start, end = period_of("monthly", datetime.date(plan.period_start.year, month, 1))
            reports.append(
                Report(
                    jmu_id=plan.jmu_id,
                    plan=plan,
                    kind="monthly",
                    period_start=start,
                    period_end=end,
                    due_date=due_date("monthly", end),
                    status="submitted" if last - month < 2 and last < 12 else "accepted",
                    submitted_at=datetime.datetime(end.year, end.month, end.day, 12, tzinfo=datetime.UTC),
                )
            )
    Report.objects.bulk_create(reports, batch_size=2000)
    values, spending = [], []
    for report in reports:
        own_indicators, own_lines = by_plan[report.plan_id]
        month = report.period_start.month
        values += [
            IndicatorValue(report=report, indicator=i, value=Decimal(month + k % 3))
            for k, i in enumerate(own_indicators)
        ]
        spending += [Spending(report=report, budget_line=b, amount=Decimal("4500.00")) for b in own_lines]
    IndicatorValue.objects.bulk_create(values, batch_size=5000)
    Spending.objects.bulk_create(spending, batch_size=5000)
    return {"plans": len(plans), "reports": len(reports), "values": len(values), "spending": len(spending)}


def main() -> None:
    from jmu_planner.access import GlobalRole, Role
    from plans.models import OperationalPlan, PlanTransition
    from reporting import dashboard
    from reporting.models import Document, Report
    from stakeholders.models import LSG, District, RoleAssignment, User

    with BenchDatabase() as database:
        dashboard.local_today = lambda: TODAY  # the seeded months are up to date on this day
        all_lsgs = list(LSG.objects.order_by("code")[:LSG_COUNT])
        for n in range(LSG_COUNT - len(all_lsgs)):  # the registry has 169; one more for 170
            all_lsgs.append(
                LSG.objects.create(
                    code=f"{99990 + n}",
                    name_lat=f"Bench {n}",
                    name_cyr=f"Бенч {n}",
                    type="municipality",
                    district=District.objects.first(),
                )
            )
        home_lsg, expert_lsgs = all_lsgs[0], all_lsgs[:3]
        users = {
            "officer": User.objects.create(username="officer", global_role=GlobalRole.PROGRAMME_OFFICER),
            "coordinator": User.objects.create(username="coordinator"),
            "member": User.objects.create(username="member"),
            "expert": User.objects.create(username="expert"),
        }
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(user=users["coordinator"], lsg=home_lsg, role=Role.COORDINATOR),
                RoleAssignment(user=users["member"], lsg=home_lsg, role=Role.MEMBER),
            ]
            + [RoleAssignment(user=users["expert"], lsg=lsg, role=Role.EXPERT) for lsg in expert_lsgs]
        )

        def extras() -> None:
            """A draft sent back and one waiting for review; PDFs for the expert's LSGs."""
            from stakeholders.models import JMU

            for lsg, status in ((home_lsg, "changes_requested"), (expert_lsgs[1], "submitted")):
                jmu = JMU.objects.get(lsg=lsg)
                draft, _ = OperationalPlan.objects.get_or_create(
                    jmu=jmu,
                    period_start=datetime.date(2027, 1, 1),
                    defaults={
                        "period_end": datetime.date(2027, 12, 31),
                        "title": "Nacrt 2027",
                        "status": status,
                    },
                )
                PlanTransition.objects.create(
                    plan=draft,
                    from_status="submitted",
                    to_status=status,
                    note="Dopunite indikatore za obrazovanje.",
                )
            Document.objects.bulk_create(
                Document(plan=plan, status="done", finished_at=datetime.datetime.now(datetime.UTC))
                for plan in OperationalPlan.objects.filter(jmu__lsg__in=expert_lsgs)[:12]
            )

        clients = {}
        for role, user in users.items():
            clients[role] = Client()
            clients[role].force_login(user)

        def get(role: str, url: str):
            def fetch():
                response = clients[role].get(url)
                assert response.status_code == 200, (role, url, response.status_code)
                return response

            return fetch

        def plan_url() -> str:
            plan = OperationalPlan.objects.filter(jmu__lsg=home_lsg, period_start__year=2026).get()
            return reverse("plans:plan-detail", args=[plan.pk])

        dashboard_url = reverse("dashboard:programme") + "?year=2026"
        pages = {
            "dashboard_officer": ("officer", dashboard_url),
            "dashboard_coordinator": ("coordinator", dashboard_url),
            "home_coordinator": ("coordinator", reverse("home")),
            "home_member": ("member", reverse("home")),
            "home_expert": ("expert", reverse("home")),
            "home_officer": ("officer", reverse("home")),
            "report_review_queue": ("officer", reverse("dashboard:report-review-queue")),
        }

        started = time.perf_counter()
        small = seed(all_lsgs[:10], [2026])
        extras()
        small_queries = {name: queries(get(role, url)) for name, (role, url) in pages.items()}
        small_queries["plan_page"] = queries(get("coordinator", plan_url()))
        # The rest: the other LSGs' five years, and the first ten's four earlier years.
        large = seed(all_lsgs[10:], YEARS)
        more = seed(all_lsgs[:10], YEARS[:-1])
        seeded_s = round(time.perf_counter() - started, 1)
        from django.db import connection

        with connection.cursor() as cursor:
            # Planner statistics, as autovacuum keeps them in production: without them PostgreSQL
            # guesses at the freshly bulk-loaded tables and the spending aggregate takes 10x longer.
            cursor.execute("ANALYZE")
        totals = {key: large[key] + small[key] + more[key] for key in small}
        print(
            f"Database {database.name}: {LSG_COUNT} LSGs, {totals['plans']} adopted plans over "
            f"{len(YEARS)} years, {totals['reports']} monthly reports, {totals['values']} indicator "
            f"values, {totals['spending']} spending rows; seeded in {seeded_s} s."
        )
        assert Report.objects.count() >= totals["reports"]

        gc.collect()
        gc.freeze()  # as gunicorn.conf.py does in each worker
        figures: dict[str, object] = {
            "lsgs": LSG_COUNT,
            "years": len(YEARS),
            "seed_seconds": seeded_s,
            **totals,
        }
        plan_times = timed(get("coordinator", plan_url()), RUNS)
        plan_queries = queries(get("coordinator", plan_url()))
        figures["plan_page"] = {
            "queries_small": small_queries["plan_page"],
            "queries": plan_queries,
            **plan_times,
        }
        print(
            f"plan page: {plan_queries} queries; median {plan_times['median_ms']} ms, p95 {plan_times['p95_ms']} ms"
        )
        from django.core.cache import cache

        def computed(role: str, url: str):
            """The page with its dashboard computed (reporting.dashboard caches it until the data
            it counts changes: the figures below are the miss; the hit is measured apart)."""
            fetch = get(role, url)
            return lambda: (cache.clear(), fetch())

        for name, (role, url) in pages.items():
            count = queries(computed(role, url))
            times = timed(computed(role, url), RUNS)
            ratio = round(times["p95_ms"] / plan_times["p95_ms"], 2)
            figures[name] = {
                "queries_10_lsgs_1_year": small_queries[name],
                "queries": count,
                **times,
                "p95_ratio_to_plan_page": ratio,
            }
            constant = "constant" if count == small_queries[name] else "NOT constant"
            print(
                f"{name}: {small_queries[name]} queries at 10 LSGs and 1 year, {count} at {LSG_COUNT} LSGs "
                f"and {len(YEARS)} years ({constant}); median {times['median_ms']} ms, p95 {times['p95_ms']} ms "
                f"({ratio}x the plan page's p95)"
            )
        for name in [name for name in pages if name.startswith("dashboard")]:
            role, url = pages[name]
            get(role, url)()  # computed and cached
            count, times = queries(get(role, url)), timed(get(role, url), RUNS)
            figures[f"{name}_cached"] = {"queries": count, **times}
            print(
                f"{name}, served from the cache: {count} queries; median {times['median_ms']} ms, "
                f"p95 {times['p95_ms']} ms"
            )
        figures["queries_constant"] = all(
            figures[name]["queries"] == figures[name]["queries_10_lsgs_1_year"] for name in pages
        )
        print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
