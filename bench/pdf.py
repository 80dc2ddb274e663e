"""Benchmark: the PDF of a 150-measure plan, WeasyPrint in a worker process against Chromium.

Run: `.venv/bin/python bench/pdf.py` (PostgreSQL from DATABASE_URL and Redis from REDIS_URL; a
throw-away database is created and dropped). Prints readable lines, then one line of JSON:
WeasyPrint's render time and the worker's peak memory, Chromium's print-to-PDF time of the same
HTML, their ratio, and how long the request that asks for the PDF takes to return.
"""

from __future__ import annotations

import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _setup import ThrowawayDatabase, configure

# Never Redis database 0 (a developer's or the app's own): BENCH_REDIS_DB, else 15.
os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '15')}")
os.environ.setdefault("PDF_QUEUE", "pdf-bench")  # no worker listens: the request alone is timed
configure()

from django.db import connection
from django.test import Client
from django.urls import reverse
from plan_page import seed_plan

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
RUNS = 3


def main() -> None:
    from jmu_planner.celery import app as celery_app
    from plans.models import OperationalPlan
    from reporting.documents import document_html
    from reporting.models import Document
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
        plan = seed_plan(jmu, 2026, 150)
        OperationalPlan.objects.filter(pk=plan.pk).update(
            status="adopted",
            adopting_body="city_council",
            adoption_number="06-1/2026",
            adoption_date=datetime.date(2026, 1, 20),
        )
        print(f"Seeded: a plan of {plan.measures.count()} measures.")

        # WeasyPrint, each time in a fresh process as a worker renders it.
        db = connection.settings_dict
        env = os.environ | {
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        }
        ids = [str(Document.objects.create(plan=plan, subject_status="adopted").pk) for _ in range(RUNS + 1)]
        out = subprocess.run(
            [sys.executable, str(HERE / "_render_one.py"), *ids],
            env=env,
            cwd=HERE,
            capture_output=True,
            text=True,
            check=True,
        )
        weasy = json.loads(out.stdout.strip().splitlines()[-1])
        cold_ms, render_ms = weasy["times_ms"][0], statistics.median(weasy["times_ms"][1:])
        peak = weasy["peak_rss_mb"]
        print(
            f"WeasyPrint in one worker process: {weasy['pages']} pages; first render {cold_ms} ms (imports, fonts), "
            f"then median {render_ms} ms over {RUNS}; peak RSS {peak} MB ({weasy['rss_before_render_mb']} MB before)"
        )

        # Chromium printing the very same HTML.
        html = document_html(Document(plan=plan))
        from playwright.sync_api import sync_playwright

        chromium = []
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            page = browser.new_page()
            for _ in range(RUNS):
                started = time.perf_counter()
                page.set_content(html)
                pdf = page.pdf(format="A4", landscape=True, print_background=True)
                chromium.append((time.perf_counter() - started) * 1000)
            browser.close()
        chromium_ms = round(statistics.median(chromium), 1)
        print(f"Chromium print-to-PDF of the same HTML: median {chromium_ms} ms ({len(pdf) // 1024} KB)")

        # The request that asks for a PDF: it only records and enqueues.
        client = Client()
        client.force_login(user)
        url = reverse("reporting:documents", args=["plan", plan.pk])
        asks = []
        for _ in range(10):
            started = time.perf_counter()
            response = client.post(url)
            asks.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302
        ask_ms = round(statistics.median(asks), 1)
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_purge(os.environ["PDF_QUEUE"])
        print(
            f"The request that asks for a PDF returns in {ask_ms} ms (median of 10; rendering is left to the worker)"
        )
        figures = {
            "weasyprint_render_ms": render_ms,
            "weasyprint_first_render_ms": cold_ms,
            "worker_peak_rss_mb": peak,
            "chromium_print_ms": chromium_ms,
            "weasyprint_to_chromium_ratio": round(render_ms / chromium_ms, 2),
            "ask_request_ms": ask_ms,
            "pages": weasy["pages"],
            "measures": 150,
            "target_5s_met": render_ms <= 5000,
        }
        print(f"Aim: 150 measures render in at most 5 s: {'met' if figures['target_5s_met'] else 'NOT met'}")
        print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
