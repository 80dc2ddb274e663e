"""Shared set-up for the benchmarks: production-like settings on a throw-away PostgreSQL database."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jmu_planner.settings")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jmu_planner")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
    os.environ.setdefault("STATICFILES_MANIFEST", "false")
    os.environ.setdefault("WHITENOISE_USE_FINDERS", "true")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


class ThrowawayDatabase:
    """Creates `<DATABASE_URL's database>_bench_<script>` like the test runner does, and drops it
    afterwards: two benches (or two checkouts) running at once never drop each other's database."""

    def __init__(self, name: str | None = None):
        self.suffix = name or Path(sys.argv[0]).stem or "bench"

    def __enter__(self):
        from django.db import connection

        # No setup_test_environment(): its template instrumentation would be measured too.
        self.connection = connection
        self.old_name = connection.settings_dict["NAME"]
        # Its own name, so it never touches the test suite's (kept) test database nor another bench's.
        self.name = f"{self.old_name}_bench_{self.suffix}"
        connection.settings_dict.setdefault("TEST", {})["NAME"] = self.name
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        from django.core.management import call_command

        call_command("load_reference_data", verbosity=0)
        return self

    def __exit__(self, *exc):
        self.connection.creation.destroy_test_db(self.old_name, verbosity=0)


def timed(fn: Callable[[], object], runs: int) -> dict[str, float]:
    fn()  # warm-up: templates, caches, connections
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
    }


def queries(fn: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)
