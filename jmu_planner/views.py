"""Project-wide views and the view mixins the apps share."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django.views.i18n import set_language as django_set_language

from jmu_planner import i18n
from jmu_planner.celery import app as celery_app


class HomeView(LoginRequiredMixin, TemplateView):
    """Each role's next tasks first (reporting.dashboard.home_page)."""

    template_name = "home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from reporting.dashboard import home_page

        context = super().get_context_data(**kwargs)
        context["home"] = home_page(user=self.request.user)
        return context


# Outside ATOMIC_REQUESTS: the transaction would connect before the view could catch the failure.
@transaction.non_atomic_requests
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


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language menu: Django's set_language (cookie, safe redirect back), and the choice saved
    on the profile when signed in, or kept in the session until the user signs in."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if language in i18n.LANGUAGE_CODES:
        if request.user.is_authenticated:
            from stakeholders.services import user_set_language

            user_set_language(user=request.user, language=language)
        else:
            request.session[i18n.CHOSEN_SESSION_KEY] = language
    return response
