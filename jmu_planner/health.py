"""The health check for load balancers: answered by the middleware ahead of sessions and users
(jmu_planner.middleware.HealthCheckMiddleware), so a browser's cookie never turns it into a 500."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse

from jmu_planner.celery import app as celery_app


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the database answers and, when configured, the Celery broker too.

    Either one down is a 503 with the same JSON shape, never an HTML error page.
    """
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        checks["database"] = f"unreachable: {exc.__class__.__name__}"
        return JsonResponse(checks, status=503)
    checks["database"] = "ok"
    if celery_app.conf.task_always_eager:
        checks["broker"] = "in-process"
    else:
        try:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001 - any broker failure is reported, not raised
            checks["broker"] = f"unreachable: {exc.__class__.__name__}"
            return JsonResponse(checks, status=503)
    return JsonResponse(checks)
