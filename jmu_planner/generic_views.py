"""Generic views the apps build on: a form that hands its data to a service, a scoped filtered list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.views.generic import FormView
from django_filters.views import FilterView

from jmu_planner.forms import attach_errors, form_data


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
        try:
            self.object = self.perform(form_data(form))
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
