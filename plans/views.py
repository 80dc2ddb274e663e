"""Plan pages. Plans are fetched through scoped querysets: another LSG's plan is a 404."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from jmu_planner import access
from jmu_planner.dates import same_day_next_year
from jmu_planner.forms import attach_errors
from jmu_planner.generic_views import ScopedFilterView, ServiceFormView
from jmu_planner.numbers import parse_id
from jmu_planner.spreadsheets import xlsx_response
from plans import selectors, services
from plans.filters import PlanFilter
from plans.forms import (
    BudgetLineFormSet,
    CommunicationFormSet,
    EnvelopeFormSet,
    ImportForm,
    IndicatorFormSet,
    MeasureForm,
    PlanCopyForm,
    PlanCreateForm,
    PlanForm,
    envelope_form_kwargs,
)
from plans.models import Measure, OperationalPlan
from plans.services import MEASURE_LINKS, ChildRow, MeasureInput
from plans.spreadsheets import parse_plan_xlsx, plan_to_xlsx
from stakeholders.models import JMU
from stakeholders.selectors import jmus_writable_by

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def writable_jmus(user) -> QuerySet[JMU]:
    return jmus_writable_by(user, access.AUTHORS)


def visible_plan(user, pk) -> OperationalPlan:
    return get_object_or_404(OperationalPlan.objects.visible_to(user).select_related("jmu__lsg"), pk=pk)


def editable_measure(user, pk, *related: str) -> Measure:
    """A measure the user may see (else 404) of a plan they may change now (else 403)."""
    measure = get_object_or_404(
        Measure.objects.visible_to(user).select_related("plan__jmu__lsg", *related), pk=pk
    )
    access.require(user, "plans.change_plan", measure.plan)
    return measure


class EditablePlanMixin:
    """The plan from the URL: a 404 if the user may not see it, a 403 if they may not change it."""

    plan_kwarg = "pk"

    @cached_property
    def plan(self) -> OperationalPlan:
        plan = visible_plan(self.request.user, self.kwargs[self.plan_kwarg])
        access.require(self.request.user, "plans.change_plan", plan)
        return plan


class PlanListView(ScopedFilterView):
    filterset_class = PlanFilter
    template_name = "plans/plan_list.html"
    paginate_by = 25

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_create"] = access.may(self.request.user, "plans.add_plan")
        return context


class PlanDetailView(LoginRequiredMixin, TemplateView):
    template_name = "plans/plan_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page"] = selectors.plan_page(user=self.request.user, pk=self.kwargs["pk"])
        return context


class PlanFormView(ServiceFormView):
    template_name = "plans/plan_form.html"
    heading = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(heading=self.heading, **kwargs)

    def get_success_url(self) -> str:
        return reverse("plans:plan-detail", args=[self.object.pk])


class PlanCreateView(PlanFormView):
    form_class = PlanCreateForm
    heading = gettext_lazy("New operational plan")
    success_message = gettext_lazy("Plan “%(object)s” created as a draft.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            access.require(request.user, "plans.add_plan")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["jmus"] = writable_jmus(self.request.user)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        # Plans are written for the next year, or the first later one the user's JMU has no plan
        # for (with several JMUs to write for, the JMU is not chosen yet: next year). The year is
        # Belgrade's (TIME_ZONE), not the server clock's: at New Year they differ for an hour.
        year = timezone.localdate().year + 1
        jmus = list(writable_jmus(self.request.user)[:2])
        if len(jmus) == 1:
            year = selectors.first_free_year(jmus, from_year=year)
        return {
            "period_start": datetime.date(year, 1, 1),
            "period_end": datetime.date(year, 12, 31),
            "title": _("Operational plan of the JMU for %(year)s") % {"year": year},
        }

    def build_instance(self) -> OperationalPlan:
        return OperationalPlan()

    def perform(self, data):
        jmu = data.pop("jmu")
        return services.plan_create(jmu=jmu, actor=self.request.user, data=data)


class PlanUpdateView(EditablePlanMixin, PlanFormView):
    form_class = PlanForm
    heading = gettext_lazy("Edit the plan")
    success_message = gettext_lazy("Plan “%(object)s” saved.")

    def build_instance(self) -> OperationalPlan:
        return self.plan

    def perform(self, data):
        return services.plan_update(plan=self.plan, actor=self.request.user, data=data)


class PlanCopyView(LoginRequiredMixin, View):
    """Copy a plan the user may read into a new draft of a JMU they write for."""

    template_name = "plans/plan_copy.html"

    @cached_property
    def source(self) -> OperationalPlan:
        plan = visible_plan(self.request.user, self.kwargs["pk"])
        access.require(self.request.user, "plans.copy_plan", plan)
        return plan

    def get(self, request, pk):
        plan = self.source
        # 29 February 2028 → 28 February 2029 (a plain `.replace(year=...)` raised ValueError).
        start, end = same_day_next_year(plan.period_start), same_day_next_year(plan.period_end)
        title = plan.title.replace(str(plan.period_start.year), str(start.year))
        form = PlanCopyForm(initial={"period_start": start, "period_end": end, "title": title})
        return render(request, self.template_name, {"form": form, "plan": plan})

    def post(self, request, pk):
        plan = self.source
        form = PlanCopyForm(request.POST)
        if form.is_valid():
            try:
                copy = services.plan_copy(plan=plan, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Copied into the new draft “%(title)s”.") % {"title": copy.title})
                return HttpResponseRedirect(reverse("plans:plan-detail", args=[copy.pk]))
        return render(request, self.template_name, {"form": form, "plan": plan})


class PlanCommunicationView(EditablePlanMixin, LoginRequiredMixin, View):
    template_name = "plans/communication_form.html"

    def get(self, request, pk):
        formset = CommunicationFormSet(instance=self.plan, prefix="communication")
        return render(request, self.template_name, {"formset": formset, "plan": self.plan})

    def post(self, request, pk):
        formset = CommunicationFormSet(request.POST, instance=self.plan, prefix="communication")
        if formset.is_valid():
            rows = [
                ChildRow(
                    instance=f.instance if f.instance.pk else None,
                    data=_data(f, "plan"),
                    delete=formset.can_delete and f.cleaned_data.get("DELETE", False),
                )
                for f in formset.forms
                if f.has_changed() or f.instance.pk
            ]
            try:
                services.communication_save(plan=self.plan, actor=request.user, rows=rows)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                messages.success(request, _("Communication plan saved."))
                return HttpResponseRedirect(
                    reverse("plans:plan-detail", args=[self.plan.pk]) + "#communication"
                )
        return render(request, self.template_name, {"formset": formset, "plan": self.plan})


class PlanEnvelopesView(EditablePlanMixin, LoginRequiredMixin, View):
    """The plan's shared envelopes: yearly allocations that several measures' budget lines draw on."""

    template_name = "plans/envelopes_form.html"

    def get(self, request, pk):
        formset = EnvelopeFormSet(
            instance=self.plan, prefix="envelopes", form_kwargs=envelope_form_kwargs(self.plan)
        )
        return render(request, self.template_name, {"formset": formset, "plan": self.plan})

    def post(self, request, pk):
        formset = EnvelopeFormSet(
            request.POST, instance=self.plan, prefix="envelopes", form_kwargs=envelope_form_kwargs(self.plan)
        )
        if formset.is_valid():
            rows = [
                ChildRow(
                    instance=f.instance if f.instance.pk else None,
                    data=_data(f, "plan"),
                    delete=f.cleaned_data.get("DELETE", False),
                )
                for f in formset.forms
                if f.has_changed() or f.instance.pk
            ]
            try:
                services.envelopes_save(plan=self.plan, actor=request.user, rows=rows)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                messages.success(request, _("Shared envelopes saved."))
                return HttpResponseRedirect(reverse("plans:plan-detail", args=[self.plan.pk]) + "#envelopes")
        return render(request, self.template_name, {"formset": formset, "plan": self.plan})


def _data(form, parent: str = "") -> dict[str, Any]:
    """The form's model fields; in an inline formset, without the parent link it adds."""
    return {name: form.cleaned_data.get(name) for name in form._meta.fields if name != parent}


class MeasureFormView(LoginRequiredMixin, View):
    """A measure with its indicators and budget lines, saved together or not at all.

    Subclasses give `get_measure()` (new or loaded) and `save(form, values)` (the service call).
    """

    template_name = "plans/measure_form.html"

    def render_forms(self, form, indicators, lines, status=200) -> HttpResponse:
        measure = form.instance
        context = {
            "form": form,
            "indicators": indicators,
            "budget_lines": lines,
            "plan": measure.plan,
            "measure": measure,
        }
        return render(self.request, self.template_name, context, status=status)

    def forms(self, data=None):
        measure = self.get_measure()
        return (
            MeasureForm(data, instance=measure),
            IndicatorFormSet(data, instance=measure, prefix="indicators"),
            BudgetLineFormSet(data, instance=measure, prefix="budget"),
        )

    def get(self, request, *args, **kwargs):
        return self.render_forms(*self.forms())

    def post(self, request, *args, **kwargs):
        form, indicators, lines = self.forms(request.POST)
        if form.is_valid() and indicators.is_valid() and lines.is_valid():
            # Links the user left as they were are not set again (a query each).
            data = {k: v for k, v in _data(form).items() if k not in MEASURE_LINKS or k in form.changed_data}
            values = MeasureInput(
                data=data,
                indicators=_rows(indicators),
                budget_lines=_rows(lines),
            )
            try:
                measure = self.save(form, values)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Measure %(code)s saved.") % {"code": measure.code})
                url = reverse("plans:plan-detail", args=[measure.plan_id])
                return HttpResponseRedirect(f"{url}#measure-{measure.pk}")
        return self.render_forms(form, indicators, lines)


def _rows(formset) -> list[ChildRow]:
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        rows.append(
            ChildRow(
                instance=form.instance if form.instance.pk else None,
                data=_data(form, formset.fk.name),
                delete=form.cleaned_data.get("DELETE", False),
                changed=form.has_changed(),
            )
        )
    return rows


class MeasureCreateView(EditablePlanMixin, MeasureFormView):
    plan_kwarg = "plan_pk"

    def get_measure(self) -> Measure:
        area = self.request.GET.get("area")
        return Measure(plan=self.plan, area_id=parse_id(area))

    def save(self, form, values):
        return services.measure_create(plan=self.plan, actor=self.request.user, values=values)


class MeasureUpdateView(MeasureFormView):
    @cached_property
    def measure(self) -> Measure:
        return editable_measure(self.request.user, self.kwargs["pk"], "area")

    def get_measure(self) -> Measure:
        return self.measure

    def save(self, form, values):
        return services.measure_update(
            measure=self.measure,
            actor=self.request.user,
            values=values,
            lock_version=form.cleaned_data.get("lock_version") or 0,
        )


class MeasureRowView(EditablePlanMixin, LoginRequiredMixin, View):
    """htmx: one empty indicator or budget-line row for the measure form."""

    plan_kwarg = "plan_pk"

    def get(self, request, plan_pk, kind):
        formsets = {"indicators": IndicatorFormSet, "budget": BudgetLineFormSet}
        if kind not in formsets:
            raise Http404
        index = parse_id(request.GET.get("index", "0"))
        if index is None:
            raise Http404
        formset = formsets[kind](instance=Measure(plan=self.plan), prefix=kind)
        form = formset._construct_form(index, empty_permitted=True, use_required_attribute=False)
        template = (
            "plans/partials/indicator_row.html" if kind == "indicators" else "plans/partials/budget_row.html"
        )
        return render(request, template, {"form": form})


class MeasureDeleteView(LoginRequiredMixin, View):
    @cached_property
    def measure(self) -> Measure:
        return editable_measure(self.request.user, self.kwargs["pk"], "area")

    def get(self, request, pk):
        return render(
            request,
            "plans/measure_delete.html",
            {"measure": self.measure, "plan": self.measure.plan},
        )

    def post(self, request, pk):
        measure = self.measure
        code, plan_id = measure.code, measure.plan_id
        services.measure_delete(measure=measure, actor=request.user)
        messages.success(request, _("Measure %(code)s deleted; the others were renumbered.") % {"code": code})
        return HttpResponseRedirect(reverse("plans:plan-detail", args=[plan_id]))


class MeasureMoveView(LoginRequiredMixin, View):
    """One form for the whole plan page: the pressed button names the measure and direction."""

    def post(self, request, plan_pk):
        direction = "up" if "up" in request.POST else "down"
        pk = request.POST.get(direction, "")
        plan = visible_plan(request.user, plan_pk)
        access.require(request.user, "plans.change_plan", plan)
        measure = get_object_or_404(Measure.objects.filter(plan=plan), pk=parse_id(pk) or 0)
        offset = -1 if direction == "up" else 1
        measure = services.measure_move(measure=measure, actor=request.user, offset=offset)
        url = reverse("plans:plan-detail", args=[measure.plan_id])
        return HttpResponseRedirect(f"{url}#measure-{measure.pk}")


class PlanExportView(LoginRequiredMixin, View):
    def get(self, request, pk):
        plan = visible_plan(request.user, pk)
        content = plan_to_xlsx(plan, selectors.measures_with_details(plan), selectors.plan_envelopes(plan))
        name = slugify(f"{plan.jmu.lsg.name_lat}-{plan.title}")[:80] or "plan"
        return xlsx_response(content, filename=f"{name}-v{plan.version}")


class PlanImportView(EditablePlanMixin, LoginRequiredMixin, View):
    """Upload → preview with an error per bad row → confirm. Nothing is saved while a row is bad."""

    template_name = "plans/plan_import.html"

    def session_key(self) -> str:
        return f"plan-import-{self.plan.pk}"

    def get(self, request, pk):
        return render(request, self.template_name, {"form": ImportForm(), "plan": self.plan})

    def post(self, request, pk):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        context = {"form": form, "plan": self.plan}
        if form.is_valid():
            upload = form.cleaned_data["file"]
            preview = parse_plan_xlsx(upload, self.plan)
            context["preview"] = preview
            if preview.file_error:
                form.add_error("file", preview.file_error)
            elif preview.ok:
                upload.seek(0)
                name = default_storage.save(f"imports/{self.plan.pk}/{uuid.uuid4().hex}.xlsx", upload)
                request.session[self.session_key()] = name
        return render(request, self.template_name, context)

    def confirm(self, request):
        name = request.session.pop(self.session_key(), None)
        if not name or not default_storage.exists(name):
            messages.error(request, _("Upload the file again: the preview has expired."))
            return HttpResponseRedirect(reverse("plans:plan-import", args=[self.plan.pk]))
        with default_storage.open(name) as handle:
            handle.name = name
            handle.size = default_storage.size(name)
            preview = parse_plan_xlsx(handle, self.plan)
        default_storage.delete(name)
        if not preview.ok:
            return render(
                request,
                self.template_name,
                {"form": ImportForm(), "plan": self.plan, "preview": preview},
            )
        result = services.plan_import_apply(
            plan=self.plan,
            actor=request.user,
            envelopes=[e.data for e in preview.envelopes if e.status != "unchanged"],
            new=[m.values for m in preview.measures if m.status == "new"],
            changed=[(m.existing, m.values) for m in preview.measures if m.status == "changed"],
            remove=preview.missing if request.POST.get("remove_missing") else [],
        )
        messages.success(
            request,
            _("Import: %(new)s new measures, %(changed)s changed, %(removed)s removed.")
            % {"new": len(result.created), "changed": len(result.updated), "removed": result.removed},
        )
        return HttpResponseRedirect(reverse("plans:plan-detail", args=[self.plan.pk]))
