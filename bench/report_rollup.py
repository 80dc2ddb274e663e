"""Benchmark: the report pages (monthly, quarterly, annual) of a 150-measure plan, against its plan page.

Run: `.venv/bin/python bench/report_rollup.py` (PostgreSQL from DATABASE_URL; a throw-away
database is created and dropped). Prints readable lines, then one line of JSON: queries per
request (the same at 15 and 150 measures, at 3 and 12 months), median and p95 time of each report
page, of the spending form, and of the plan page of the same 150 measures in the same run; each
report page's p95 as a multiple of the plan page's, and whether it meets the aim (issue 15: at
most 2x the plan page).
"""

from __future__ import annotations

import datetime
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal

from _setup import ThrowawayDatabase, configure, queries, timed

configure()

from django.test import Client
from django.urls import reverse
from plan_page import seed_plan

RUNS = 50


def seed_reports(plan, months: int):
    from plans.models import BudgetLine, Indicator
    from reporting.models import FieldActivity, IndicatorValue, Report, Spending
    from reporting.services import due_date, period_of

    indicators = list(Indicator.objects.filter(measure__plan=plan))
    lines = list(BudgetLine.objects.filter(measure__plan=plan))
    reports = []
    for month in range(1, months + 1):
        start, end = period_of("monthly", datetime.date(plan.period_start.year, month, 1))
        report = Report.objects.create(
            jmu=plan.jmu,
            plan=plan,
            kind="monthly",
            period_start=start,
            period_end=end,
            due_date=due_date("monthly", end),
            status="accepted",
        )
        reports.append(report)
        IndicatorValue.objects.bulk_create(
            IndicatorValue(report=report, indicator=i, value=Decimal(month + k % 5))
            for k, i in enumerate(indicators)
        )
        Spending.objects.bulk_create(
            Spending(report=report, budget_line=b, amount=Decimal("1000.00")) for b in lines
        )
        FieldActivity.objects.bulk_create(
            FieldActivity(jmu=plan.jmu, date=start.replace(day=d), male_0_17=3, female_0_17=4, households=2)
            for d in (3, 9, 15, 21)
        )
    annual = Report.objects.create(
        jmu=plan.jmu,
        plan=plan,
        kind="annual",
        period_start=plan.period_start,
        period_end=plan.period_end,
        due_date=due_date("annual", plan.period_end),
    )
    return reports, annual


def seed_quarter(plan, month: int):
    from reporting.models import Report
    from reporting.services import due_date, period_of

    start, end = period_of("quarterly", datetime.date(plan.period_start.year, month, 1))
    return Report.objects.create(
        jmu=plan.jmu,
        plan=plan,
        kind="quarterly",
        period_start=start,
        period_end=end,
        due_date=due_date("quarterly", end),
    )


def timed_together(pages: dict[str, Callable[[], object]], runs: int) -> dict[str, dict[str, float]]:
    """As _setup.timed, for several pages taking turns: on a shared machine a burst of load then
    falls on every page alike, so the ratios between them hold even when the times do not."""
    for fetch in pages.values():
        fetch()  # warm-up: templates, caches, connections
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(runs):
        for name, fetch in pages.items():
            start = time.perf_counter()
            fetch()
            times[name].append((time.perf_counter() - start) * 1000)
    result = {}
    for name, found in times.items():
        found.sort()
        result[name] = {
            "median_ms": round(statistics.median(found), 2),
            "p95_ms": round(found[max(0, int(len(found) * 0.95) - 1)], 2),
        }
    return result


AIM = 2  # issue 15: a report page within 2x the plan page of the same 150 measures


def main() -> None:
    from plans.models import OperationalPlan
    from stakeholders.models import JMU, LSG, RoleAssignment, User

    with ThrowawayDatabase():
        lsg = LSG.objects.get(code="70645")
        jmu = JMU.objects.create(
            lsg=lsg,
            founding_body="city_council",
            decision_number="1/2019",
            decision_date=datetime.date(2019, 3, 14),
        )
        user = User.objects.create(username="bench")
        RoleAssignment.objects.create(user=user, lsg=lsg, role="coordinator")
        small, large = seed_plan(jmu, 2025, 15), seed_plan(jmu, 2026, 150)
        OperationalPlan.objects.filter(pk__in=[small.pk, large.pk]).update(status="adopted")
        months_small, annual_small = seed_reports(small, 3)
        months_large, annual_large = seed_reports(large, 12)
        quarter_small, quarter_large = seed_quarter(small, 1), seed_quarter(large, 10)
        print(
            f"Seeded: annual report over {len(months_large)} monthly reports of a plan with "
            f"{large.measures.count()} measures; another over {len(months_small)} months of 15 measures."
        )
        client = Client()
        client.force_login(user)
        gc.collect()
        gc.freeze()  # as gunicorn.conf.py does in each worker

        def get(report):
            url = reverse("reporting:report-detail", args=[report.pk])

            def fetch():
                response = client.get(url)
                assert response.status_code == 200, response.status_code
                return response

            return fetch

        plan_url = reverse("plans:plan-detail", args=[large.pk])

        def plan_page():
            response = client.get(plan_url)
            assert response.status_code == 200, response.status_code

        figures = {
            "annual_report": {
                "queries_15_measures_3_months": queries(get(annual_small)),
                "queries_150_measures_12_months": queries(get(annual_large)),
            },
            "quarterly_report": {
                "queries_15_measures": queries(get(quarter_small)),
                "queries_150_measures": queries(get(quarter_large)),
            },
            "monthly_report": {
                "queries_15_measures": queries(get(months_small[0])),
                "queries_150_measures": queries(get(months_large[-1])),
            },
            "plan_page": {"queries_150_measures": queries(plan_page)},
        }
        pages = {
            "annual_report": get(annual_large),
            "quarterly_report": get(quarter_large),
            "monthly_report": get(months_large[-1]),
            "plan_page": plan_page,
        }
        for name, times in timed_together(pages, RUNS).items():
            figures[name] |= times
        pp = figures["plan_page"]
        reports = ("annual_report", "quarterly_report", "monthly_report")
        for name in reports:
            for stat in ("median", "p95"):
                figures[name][f"{stat}_ratio_to_plan_page"] = round(
                    figures[name][f"{stat}_ms"] / pp[f"{stat}_ms"], 2
                )
            figures[name]["meets_aim"] = figures[name]["p95_ratio_to_plan_page"] <= AIM
        figures["annual_report"]["p95_ratio_to_monthly"] = round(
            figures["annual_report"]["p95_ms"] / figures["monthly_report"]["p95_ms"], 2
        )

        # The spending form of a month still being written (the 12th, reopened once measured above).
        from reporting.models import Report

        Report.objects.filter(pk__in=[months_small[-1].pk, months_large[-1].pk]).update(status="draft")

        def spending(report):
            url = reverse("reporting:report-spending", args=[report.pk])

            def fetch():
                response = client.get(url)
                assert response.status_code == 200, response.status_code

            return fetch

        def save_spending(report):
            from plans.models import BudgetLine

            url = reverse("reporting:report-spending", args=[report.pk])
            data = {
                f"line_{pk}": "1.500,00"
                for pk in BudgetLine.objects.filter(measure__plan=report.plan_id).values_list("pk", flat=True)
            }

            def post():
                response = client.post(url, data)
                assert response.status_code == 302, response.status_code

            return post

        figures["spending_form"] = {
            "queries_15_measures": queries(spending(months_small[-1])),
            "queries_150_measures": queries(spending(months_large[-1])),
            **timed(spending(months_large[-1]), RUNS),
            # Saving every line of the month (each amount changed: 1 UPDATE and 1 history INSERT).
            "post_queries_15_measures": queries(save_spending(months_small[-1])),
            "post_queries_150_measures": queries(save_spending(months_large[-1])),
        }

        print(
            f"plan page (150 measures): {pp['queries_150_measures']} queries; "
            f"median {pp['median_ms']} ms, p95 {pp['p95_ms']} ms over {RUNS} requests"
        )
        labels = {
            "annual_report": "annual report (12 months)",
            "quarterly_report": "quarterly report",
            "monthly_report": "monthly report",
        }
        for name in reports:
            f = figures[name]
            small, large = (v for k, v in f.items() if k.startswith("queries_"))
            print(
                f"{labels[name]}: {small} / {large} queries (15 / 150 measures); median {f['median_ms']} ms, "
                f"p95 {f['p95_ms']} ms; x plan page: median {f['median_ratio_to_plan_page']}, "
                f"p95 {f['p95_ratio_to_plan_page']} -> {'meets' if f['meets_aim'] else 'MISSES'} "
                f"the aim (p95 at most {AIM}x)"
            )
        print(f"annual / monthly p95: {figures['annual_report']['p95_ratio_to_monthly']}")
        sf = figures["spending_form"]
        print(
            f"spending form (300 budget lines): {sf['queries_15_measures']} / {sf['queries_150_measures']} "
            f"queries; median {sf['median_ms']} ms, p95 {sf['p95_ms']} ms; saving every line: "
            f"{sf['post_queries_15_measures']} / {sf['post_queries_150_measures']} queries"
        )
        figures["all_meet_aim"] = all(figures[name]["meets_aim"] for name in reports)
        print(
            f"verdict: {'every report page within' if figures['all_meet_aim'] else 'NOT every report page within'} "
            f"{AIM}x the plan page at 150 measures (p95, same run)"
        )
        print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
