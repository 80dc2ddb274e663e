"""Generic views the apps build on: a form that hands its data to a service, a scoped filtered list,
a lifecycle move with its note."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, View
from django_filters.views import FilterView

from jmu_planner.forms import NoteForm, attach_errors, form_data


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


class TransitionView(LoginRequiredMixin, View):
    """A lifecycle move of a plan, a report or the experts' work, with its note (`NoteForm`).

    With a `template_name`, GET shows a confirmation page and a refused POST comes back to it with
    the reasons next to the fields; without one (buttons on the row's own page), a POST makes the
    move and the refusal comes back as a message. A target no person ever moves to (or one in
    `targets_elsewhere`, which has a page of its own) is a 404; a move this user may not make now is a
    403 that says why (`Lifecycle.require_move`).

    Subclasses set `lifecycle`, `success_message` (with %(status)s) and implement `get_object()`
    (from the user's visible rows), `success_url(obj)` and `perform(obj, to, data)` (the app's
    `<noun>_transition` service); `extra_context(obj, to)` adds what the page shows.
    """

    lifecycle: Any = None
    form_class: type[BaseForm] = NoteForm
    template_name: str | None = None
    success_message: Any = _("The status is now: %(status)s.")
    targets_elsewhere: frozenset[str] = frozenset()

    def get_object(self) -> Any:
        raise NotImplementedError

    def success_url(self, obj: Any) -> str:
        raise NotImplementedError

    def perform(self, obj: Any, to: str, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def extra_context(self, obj: Any, to: str) -> dict[str, Any]:
        return {}

    @cached_property
    def object(self) -> Any:
        return self.get_object()

    def target(self) -> str:
        to = self.kwargs["to"]
        if to in self.targets_elsewhere:
            raise Http404
        self.lifecycle.require_move(self.request.user, self.object, to)
        return to

    def page(self, form: BaseForm, to: str) -> HttpResponse:
        label = self.lifecycle.model.Status(to).label
        context = {"object": self.object, "form": form, "to": to, "to_label": label}
        context.update(self.extra_context(self.object, to))
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.template_name is None:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return self.page(self.form_class(), self.target())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        to = self.target()
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.perform(self.object, to, form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                status = self.lifecycle.model.Status(to).label
                messages.success(request, self.success_message % {"status": status})
                return HttpResponseRedirect(self.success_url(self.object))
        if self.template_name is not None:
            return self.page(form, to)
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return HttpResponseRedirect(self.success_url(self.object))
