"""Project-wide views and the view mixins the apps share."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, connection, transaction
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from django.views.i18n import set_language as django_set_language
from django_filters.views import FilterView

from jmu_planner import i18n
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
