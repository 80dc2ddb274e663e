"""Project-wide views and the view mixins the apps share."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from jmu_planner.celery import app as celery_app


def attach_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (others at the top)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else None
        form.add_error(None if field == NON_FIELD_ERRORS else target, errors)


class ServiceFormView(LoginRequiredMixin, FormView):
    """A form whose valid data goes to a service; the service's errors go back onto the form.

    Subclasses set `form_class`, `template_name`, `success_message` and implement
    `build_instance()` (the unsaved or loaded model row) and `perform(data)` (the service call).
    """

    success_message = ""
    object: Any = None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.build_instance()
        return kwargs

    def form_valid(self, form) -> HttpResponse:
        data = {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
        try:
            self.object = self.perform(data)
        except ValidationError as error:
            attach_errors(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message % {"object": self.object})
        return HttpResponseRedirect(self.get_success_url())


class ScopedFilterView(LoginRequiredMixin, FilterView):
    """A filtered list whose FilterSet takes the user, to scope its dropdown choices."""

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "home.html"


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the database answers and, when configured, the Celery broker too."""
    checks: dict[str, str] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
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
