"""Benchmark: an annual report rolled up from 12 monthly reports of a 150-measure plan.

Run: `.venv/bin/python bench/report_rollup.py` (PostgreSQL from DATABASE_URL; a throw-away
database is created and dropped). Prints readable lines, then one line of JSON: queries per
request (the same at 15 and 150 measures, at 3 and 12 months), median and p95 time, and the ratio
to the monthly report page in the same run.
"""

from __future__ import annotations

import datetime
import gc
import json
import sys
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
            FieldActivity(report=report, date=start.replace(day=d), male_0_17=3, female_0_17=4, households=2)
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

        figures = {
            "annual_report": {
                "queries_15_measures_3_months": queries(get(annual_small)),
                "queries_150_measures_12_months": queries(get(annual_large)),
                **timed(get(annual_large), RUNS),
            },
            "monthly_report": {
                "queries_15_measures": queries(get(months_small[0])),
                "queries_150_measures": queries(get(months_large[-1])),
                **timed(get(months_large[-1]), RUNS),
            },
        }
        plan_url = reverse("plans:plan-detail", args=[large.pk])

        def plan_page():
            response = client.get(plan_url)
            assert response.status_code == 200, response.status_code

        figures["plan_page"] = {"queries_150_measures": queries(plan_page), **timed(plan_page, RUNS)}
        for name in ("annual_report", "monthly_report"):
            # The aim: a report page within 2x the plan page of the same 150 measures.
            figures[name]["p95_ratio_to_plan_page"] = round(
                figures[name]["p95_ms"] / figures["plan_page"]["p95_ms"], 2
            )
        figures["annual_report"]["p95_ratio_to_monthly"] = round(
            figures["annual_report"]["p95_ms"] / figures["monthly_report"]["p95_ms"], 2
        )
        a, m = figures["annual_report"], figures["monthly_report"]
        print(
            f"annual report: {a['queries_15_measures_3_months']} queries (15 measures, 3 months), "
            f"{a['queries_150_measures_12_months']} (150 measures, 12 months); median {a['median_ms']} ms, "
            f"p95 {a['p95_ms']} ms over {RUNS} requests"
        )
        print(
            f"monthly report page: {m['queries_15_measures']} / {m['queries_150_measures']} queries; "
            f"median {m['median_ms']} ms, p95 {m['p95_ms']} ms"
        )
        print(f"annual / monthly p95: {a['p95_ratio_to_monthly']}")
        pp = figures["plan_page"]
        print(
            f"plan page (150 measures): {pp['queries_150_measures']} queries; median {pp['median_ms']} ms, "
            f"p95 {pp['p95_ms']} ms; report / plan page p95: annual {a['p95_ratio_to_plan_page']}, "
            f"monthly {m['p95_ratio_to_plan_page']} (aim: at most 2)"
        )
        print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
