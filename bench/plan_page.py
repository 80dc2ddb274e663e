"""Benchmark: the plan page, the measure form and the XLSX export at 15 and 150 measures; the
page of an adopted 150-measure plan with its tables from the cache (jmu_planner/fragment_cache.py) and
without (every request a miss).

Run: `.venv/bin/python bench/plan_page.py` (PostgreSQL from DATABASE_URL; a throw-away test
database is created and dropped; the cache in Redis from CACHE_URL, else database BENCH_REDIS_DB
or 15, under a key prefix of its own). Prints readable lines, then one line of JSON.
"""

from __future__ import annotations

import datetime
import gc
import json
import os
import sys
import zlib
from decimal import Decimal

from _setup import ThrowawayDatabase, configure, queries, timed

# The cache as deployed (Redis), never Redis database 0 (a developer's or the app's own).
os.environ.setdefault("CACHE_URL", f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '15')}")
os.environ.setdefault("CACHE_KEY_PREFIX", "bench-plan-page")
configure()

from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import include, path, reverse

RUNS = 50


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial/", trivial), path("", include("jmu_planner.urls"))]


def seed_plan(jmu, year: int, measures: int):
    from plans.models import (
        BudgetLine,
        FundingSource,
        Indicator,
        Measure,
        OperationalPlan,
        ThematicArea,
    )
    from stakeholders.models import Institution, InstitutionType

    plan = OperationalPlan.objects.create(
        jmu=jmu,
        title=f"Bench plan {measures}",
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        context="Bench context " * 50,
    )
    areas = list(ThematicArea.objects.order_by("number"))
    sources = list(FundingSource.objects.order_by("position"))
    institution, _ = Institution.objects.get_or_create(
        lsg=jmu.lsg, name="Centar za socijalni rad", type=InstitutionType.objects.get(code="csw")
    )
    per_area: dict[int, int] = {}
    rows = []
    for i in range(measures):
        area = areas[i % len(areas)]
        per_area[area.pk] = per_area.get(area.pk, 0) + 1
        rows.append(
            Measure(
                plan=plan,
                area=area,
                number=per_area[area.pk],
                title=f"Mera {i}: upis i podrška deci",
                objective="Povećati obuhvat romske dece predškolskim obrazovanjem",
                activities="Obilasci naselja, razgovori s roditeljima, pomoć pri upisu. " * 3,
                responsible=institution,
                partners="Škole, NVO",
                target_group="Deca 5-7 godina",
                start_month=datetime.date(year, 1 + i % 6, 1),
                end_month=datetime.date(year, 7 + i % 6, 1),
            )
        )
    Measure.objects.bulk_create(rows)
    Indicator.objects.bulk_create(
        Indicator(
            measure=m,
            name=f"Indikator {k} mere {m.number}",
            unit="osoba",
            baseline=Decimal(k * 3),
            target=Decimal(k * 7 + 5),
            position=k,
        )
        for m in rows
        for k in range(3)
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(measure=m, source=sources[k], amount=Decimal("125000.50") + k, position=k)
        for m in rows
        for k in range(2)
    )
    return plan


def alternate(forget, fetch, runs: int) -> tuple[dict[str, float], dict[str, float]]:
    """(miss, hit) timings of `fetch`, taken in turn: forget, a miss, a hit."""
    import statistics
    import time

    def summary(times: list[float]) -> dict[str, float]:
        times.sort()
        return {
            "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
        }

    forget(), fetch(), fetch()  # warm-up: templates, connections
    misses, hits = [], []
    for _ in range(runs):
        forget()
        for times in (misses, hits):
            start = time.perf_counter()
            fetch()
            times.append((time.perf_counter() - start) * 1000)
    return summary(misses), summary(hits)


def adopt(plan):
    """Adopted as the lifecycle leaves it: frozen, its reference values kept (plans.snapshot)."""
    from plans import snapshot
    from plans.models import OperationalPlan

    plan.status = OperationalPlan.Status.ADOPTED
    plan.save(update_fields=["status", "updated_at"])
    snapshot.freeze(plan)
    return plan


def main() -> None:
    from jmu_planner.access import Role
    from stakeholders.models import JMU, LSG, RoleAssignment, User

    with ThrowawayDatabase(), override_settings(ROOT_URLCONF=__name__):
        lsg = LSG.objects.get(code="70645")
        jmu = JMU.objects.create(
            lsg=lsg,
            founding_body="city_council",
            decision_number="1/2019",
            decision_date=datetime.date(2019, 3, 14),
        )
        user = User.objects.create(username="bench")
        RoleAssignment.objects.create(user=user, lsg=lsg, role=Role.COORDINATOR)
        small, large = seed_plan(jmu, 2026, 15), seed_plan(jmu, 2027, 150)
        adopted = adopt(seed_plan(jmu, 2028, 150))
        print(
            f"Seeded: plan of {large.measures.count()} measures, "
            f"{sum(m.indicators.count() for m in large.measures.all())} indicators, "
            f"{sum(m.budget_lines.count() for m in large.measures.all())} budget lines; "
            f"and one of {small.measures.count()} measures."
        )
        client = Client()
        client.force_login(user)
        if "--no-gc-freeze" not in sys.argv:
            # As gunicorn.conf.py does in each worker: start-up objects leave the GC's scans.
            gc.collect()
            gc.freeze()

        def get(url):
            def fetch():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            return fetch

        figures: dict[str, object] = {}
        pages = {
            "plan_page": lambda p: reverse("plans:plan-detail", args=[p.pk]),
            "measure_form": lambda p: reverse(
                "plans:measure-update", args=[p.measures.order_by("pk").last().pk]
            ),
            "xlsx_export": lambda p: reverse("plans:plan-export", args=[p.pk]),
        }
        trivial_times = timed(get("/bench/trivial/"), RUNS)
        figures["trivial_view"] = trivial_times
        print(f"trivial view: median {trivial_times['median_ms']} ms, p95 {trivial_times['p95_ms']} ms")
        for name, url_of in pages.items():
            q_small, q_large = queries(get(url_of(small))), queries(get(url_of(large)))
            times = timed(get(url_of(large)), RUNS)
            ratio = round(times["p95_ms"] / trivial_times["p95_ms"], 1)
            figures[name] = {
                "queries_15": q_small,
                "queries_150": q_large,
                **times,
                "p95_ratio_to_trivial": ratio,
            }
            print(
                f"{name}: {q_small} queries at 15 measures, {q_large} at 150; "
                f"150 measures over {RUNS} requests: median {times['median_ms']} ms, "
                f"p95 {times['p95_ms']} ms ({ratio}x the trivial view's p95)"
            )
        # The adopted plan, a miss and a hit in turn (so a busy machine's drift hits both alike):
        # its entries deleted (~0.3 ms, outside the timing), a request that renders and stores
        # the tables, a request that reads them.
        from django.conf import settings
        from django.core.cache import cache
        from django.utils import translation

        from jmu_planner import fragment_cache

        def keys_of_all_languages() -> list[str]:
            keys = []
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    keys.append(fragment_cache.cache_key(adopted, "plan-body", False))
            return keys

        def forget():
            cache.delete_many(keys_of_all_languages())

        fetch = get(reverse("plans:plan-detail", args=[adopted.pk]))
        forget()
        q_cold = queries(fetch)
        q_warm = queries(fetch)
        entries = list(cache.get_many(keys_of_all_languages()).values())
        html_kb = [round(len(zlib.decompress(e)) / 1024) for e in entries]
        entry_kb = [round(len(e) / 1024) for e in entries]
        cold_times, warm_times = alternate(forget, fetch, RUNS)
        forget()
        figures["plan_page_adopted"] = {
            "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
            "entry_kb": entry_kb,
            "html_kb": html_kb,
            "miss": {"queries": q_cold, **cold_times},
            "hit": {"queries": q_warm, **warm_times},
        }
        print(
            f"plan_page of the adopted 150-measure plan, {settings.CACHES['default']['BACKEND']}: "
            f"cache miss {q_cold} queries, median {cold_times['median_ms']} ms, p95 {cold_times['p95_ms']} ms; "
            f"cache hit {q_warm} queries, median {warm_times['median_ms']} ms, p95 {warm_times['p95_ms']} ms; "
            f"entry {entry_kb} KB ({html_kb} KB of HTML deflated)"
        )
        target = figures["plan_page"]["p95_ms"] <= 150
        print(f"Aim: plan page p95 <= 150 ms: {'met' if target else 'NOT met'}")
        figures["plan_page_p95_target_met"] = target
        print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
