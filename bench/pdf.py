"""Benchmark: a plan's PDF at 10, 50, 150 and 500 measures, WeasyPrint in a worker process
against WeasyPrint's own floor (the same text as plain paragraphs, in the same process and run) and,
for reference, Chromium printing the same HTML.

Run: `.venv/bin/python bench/pdf.py [sizes...]` (PostgreSQL from DATABASE_URL; Redis from
REDIS_URL, else database BENCH_REDIS_DB or 15; a throw-away database named after DATABASE_URL's
is created and dropped; BENCH_RUNS warm renders each, 3 by default). Prints readable lines, then
one line of JSON: per size WeasyPrint's render time (first and warm), the floor's and their ratio,
the worker's peak memory, Chromium's warm print time; the request that asks for a PDF; the
machine's load (/proc/loadavg) before and after; the aims (issue 25): 150 measures within 1.3x
the floor, 500 measures within 400 MB peak.
"""

from __future__ import annotations

import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
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
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


SIZES = [10, 50, 150, 500]
AIM_RATIO_AT = 150  # the plan at most 1.3x WeasyPrint's floor (the same text as plain paragraphs), both warm
AIM_RATIO = 1.3
AIM_PEAK_AT = 500  # the worker's peak memory at most 400 MB
AIM_PEAK_MB = 400


def weasyprint_times(plan, db_env: dict) -> dict:
    """RUNS + 1 renders of the plan's PDF in one fresh process, as a worker does (the first cold).
    Also returns, as "html", the very HTML that WeasyPrint rendered last (Chromium prints it)."""
    from reporting.models import Document

    ids = [str(Document.objects.create(plan=plan, subject_status="adopted").pk) for _ in range(RUNS + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        html_path = Path(tmp) / "rendered.html"
        out = subprocess.run(
            [sys.executable, str(HERE / "_render_one.py"), "--floor", "--html-out", str(html_path), *ids],
            env=db_env,
            cwd=HERE,
            capture_output=True,
            text=True,
            check=True,
        )
        html = html_path.read_text(encoding="utf-8")
    weasy = json.loads(out.stdout.strip().splitlines()[-1])
    weasy["html"] = html
    weasy["cold_ms"], weasy["warm_ms"] = weasy["times_ms"][0], statistics.median(weasy["times_ms"][1:])
    weasy["floor_ms"] = statistics.median(weasy["floor_times_ms"][1:])
    return weasy


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def chromium_times(htmls: dict[int, str]) -> dict[int, float]:
    """Chromium printing the very same HTML: one browser, warmed up, median of RUNS per size."""
    from playwright.sync_api import sync_playwright

    medians = {}
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
        for size, html in htmls.items():
            times = []
            for run in range(RUNS + 1):
                started = time.perf_counter()
                page.set_content(html)
                page.pdf(format="A4", landscape=True, print_background=True)
                if run:  # the first is the warm-up
                    times.append((time.perf_counter() - started) * 1000)
            medians[size] = round(statistics.median(times), 1)
        browser.close()
    return medians


def main() -> None:
    from jmu_planner.celery import app as celery_app
    from plans.models import OperationalPlan
    from stakeholders.models import JMU, LSG, RoleAssignment, User

    sizes = [int(a) for a in sys.argv[1:]] or SIZES
    load_before = loadavg()
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
        plans = {}
        for offset, size in enumerate(sizes):
            plan = seed_plan(jmu, 2026 - offset, size)
            OperationalPlan.objects.filter(pk=plan.pk).update(
                status="adopted",
                adopting_body="city_council",
                adoption_number=f"06-{offset + 1}/{2026 - offset}",
                adoption_date=datetime.date(2026 - offset, 1, 20),
            )
            plans[size] = OperationalPlan.objects.get(pk=plan.pk)
        print(f"Seeded: plans of {', '.join(map(str, sizes))} measures.")

        db = connection.settings_dict
        env = os.environ | {
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        }
        per_size, htmls = {}, {}
        for size, plan in plans.items():
            weasy = weasyprint_times(plan, env)
            htmls[size] = weasy["html"]
            per_size[size] = {
                "pages": weasy["pages"],
                "weasyprint_first_render_ms": weasy["cold_ms"],
                "weasyprint_render_ms": weasy["warm_ms"],
                "worker_peak_rss_mb": weasy["peak_rss_mb"],
                "floor_render_ms": weasy["floor_ms"],
                "floor_pages": weasy["floor_pages"],
                "plan_to_floor_ratio": round(weasy["warm_ms"] / weasy["floor_ms"], 2),
            }
            print(
                f"{size} measures, WeasyPrint in one worker process: {weasy['pages']} pages; first render "
                f"{weasy['cold_ms']} ms, then median {weasy['warm_ms']} ms over {RUNS}; peak RSS "
                f"{weasy['peak_rss_mb']} MB ({weasy['rss_before_render_mb']} MB before); the same text as "
                f"plain paragraphs ({weasy['floor_pages']} pages): median {weasy['floor_ms']} ms; ratio "
                f"{per_size[size]['plan_to_floor_ratio']}"
            )
        # Exactly the HTML WeasyPrint was given (its last render of each size), not a re-render.
        chromium = chromium_times(htmls)
        for size, ms in chromium.items():
            per_size[size]["chromium_print_ms"] = ms
            per_size[size]["weasyprint_to_chromium_ratio"] = round(
                per_size[size]["weasyprint_render_ms"] / ms, 2
            )
            print(
                f"{size} measures, Chromium print-to-PDF of the same HTML: median {ms} ms; ratio "
                f"{per_size[size]['weasyprint_to_chromium_ratio']}"
            )

        # The request that asks for a PDF: it only records and enqueues.
        client = Client()
        client.force_login(user)
        url = reverse("reporting:documents", args=["plan", plans[sizes[0]].pk])
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
            "sizes": per_size,
            "ask_request_ms": ask_ms,
            "runs": RUNS,
            "loadavg_before": load_before,
            "loadavg_after": loadavg(),
        }
        if AIM_RATIO_AT in per_size:
            ratio = per_size[AIM_RATIO_AT]["plan_to_floor_ratio"]
            figures["target_floor_1_3x_at_150_met"] = ratio <= AIM_RATIO
            print(
                f"Aim: 150 measures within {AIM_RATIO}x WeasyPrint's floor: {ratio}x, "
                f"{'met' if figures['target_floor_1_3x_at_150_met'] else 'NOT met'}"
            )
        if AIM_PEAK_AT in per_size:
            peak = per_size[AIM_PEAK_AT]["worker_peak_rss_mb"]
            figures["target_peak_400mb_at_500_met"] = peak <= AIM_PEAK_MB
            print(
                f"Aim: 500 measures within {AIM_PEAK_MB} MB peak: {peak} MB, "
                f"{'met' if figures['target_peak_400mb_at_500_met'] else 'NOT met'}"
            )
        print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
