"""Pages of the experts' work: contracts, time sheets and the final report. Objects come through
scoped querysets (a row the user may not see is a 404); a visible row with a forbidden action is a
403 that says why (access.require)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from jmu_planner import access
from jmu_planner.forms import attach_errors, form_data
from jmu_planner.generic_views import TransitionView
from reporting.views import DocumentListView
from stakeholders import lifecycle
from stakeholders.experts import selectors, services
from stakeholders.experts.forms import (
    FinalReportForm,
    TimeSheetCreateForm,
    TimeSheetEntryForm,
)
from stakeholders.lifecycle import FINAL_REPORT_LIFECYCLE, TIMESHEET_LIFECYCLE
from stakeholders.models import (
    LSG,
    Engagement,
    ExpertContract,
    FinalReport,
    TimeSheet,
    TimeSheetEntry,
)


class ExpertWorkView(LoginRequiredMixin, TemplateView):
    """The expert's contracts, time sheets and final reports (officers: everyone's)."""

    template_name = "stakeholders/expert_work.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        summaries = selectors.contract_summaries(user=user)
        context.update(
            summaries=summaries,
            timesheets=list(
                TimeSheet.objects.visible_to(user).select_related("contract__expert").order_by("-month", "pk")
            ),
            reports={r.contract_id: r for r in FinalReport.objects.visible_to(user)},
            month_form=TimeSheetCreateForm(),
        )
        return context


class TimeSheetCreateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        contract = get_object_or_404(ExpertContract.objects.visible_to(request.user), pk=pk)
        access.require(request.user, "stakeholders.add_timesheet", contract)
        form = TimeSheetCreateForm(request.POST)
        if form.is_valid():
            try:
                timesheet = services.timesheet_create(
                    contract=contract, month=form.cleaned_data["month"], actor=request.user
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                return HttpResponseRedirect(reverse("stakeholders:timesheet-detail", args=[timesheet.pk]))
        else:
            messages.error(request, _("Choose the month of the time sheet."))
        return HttpResponseRedirect(reverse("stakeholders:expert-work"))


class TimeSheetDetailView(LoginRequiredMixin, View):
    """The month's entries and totals; the expert adds entries (POST) while it is editable."""

    template_name = "stakeholders/timesheet_detail.html"

    def timesheet(self) -> TimeSheet:
        rows = TimeSheet.objects.visible_to(self.request.user).select_related("contract__expert")
        return get_object_or_404(rows, pk=self.kwargs["pk"])

    def build_form(self, timesheet, data=None):
        return entry_form(timesheet, data)

    def page(self, timesheet, form=None):
        user = self.request.user
        can_change = access.may(user, "stakeholders.change_timesheet", timesheet)
        entries = TimeSheetEntry.objects.filter(timesheet=timesheet)
        summary = selectors.contract_summaries(user=user)
        context = {
            "timesheet": timesheet,
            "entries": list(entries.select_related("lsg", "engagement")),
            "totals": selectors.timesheet_totals(entries),
            "contract": next((s for s in summary if s.contract.pk == timesheet.contract_id), None),
            "can_change": can_change,
            "form": form or (self.build_form(timesheet) if can_change else None),
            "moves": TIMESHEET_LIFECYCLE.allowed(user, timesheet),
            "transitions": list(timesheet.transitions.select_related("actor")),
        }
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        return self.page(self.timesheet())

    def post(self, request, pk):
        timesheet = self.timesheet()
        access.require(request.user, "stakeholders.change_timesheet", timesheet)
        form = self.build_form(timesheet, request.POST)
        if form.is_valid():
            try:
                services.timesheet_entry_save(timesheet=timesheet, actor=request.user, data=form_data(form))
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The days are entered."))
                return HttpResponseRedirect(reverse("stakeholders:timesheet-detail", args=[timesheet.pk]))
        return self.page(timesheet, form)


def entry_form(timesheet: TimeSheet, data=None, instance: TimeSheetEntry | None = None) -> TimeSheetEntryForm:
    """A row of the time sheet: the LSGs the expert is assigned to, the engagements they wrote."""
    expert = timesheet.contract.expert
    lsgs = LSG.objects.filter(pk__in=access.lsg_ids_with_role(expert, access.EXPERTS)).in_reading_order()
    engagements = Engagement.objects.filter(created_by=expert).order_by("-date")
    return TimeSheetEntryForm(data, instance=instance, lsgs=lsgs, engagements=engagements)


class TimeSheetEntryUpdateView(LoginRequiredMixin, View):
    """One row of a time sheet, corrected while the sheet is a draft (or returned)."""

    template_name = "stakeholders/timesheet_entry_form.html"

    def entry(self) -> TimeSheetEntry:
        sheets = TimeSheet.objects.visible_to(self.request.user)
        rows = TimeSheetEntry.objects.filter(timesheet__in=sheets).select_related(
            "timesheet__contract__expert"
        )
        entry = get_object_or_404(rows, pk=self.kwargs["pk"])
        access.require(self.request.user, "stakeholders.change_timesheet", entry.timesheet)
        return entry

    def get(self, request, pk):
        entry = self.entry()
        form = entry_form(entry.timesheet, instance=entry)
        return render(
            request, self.template_name, {"entry": entry, "timesheet": entry.timesheet, "form": form}
        )

    def post(self, request, pk):
        entry = self.entry()
        form = entry_form(entry.timesheet, request.POST, instance=entry)
        if form.is_valid():
            try:
                services.timesheet_entry_save(
                    timesheet=entry.timesheet, actor=request.user, data=form_data(form), entry=entry
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The row is saved."))
                return HttpResponseRedirect(
                    reverse("stakeholders:timesheet-detail", args=[entry.timesheet_id])
                )
        return render(
            request, self.template_name, {"entry": entry, "timesheet": entry.timesheet, "form": form}
        )


class TimeSheetEntryDeleteView(TimeSheetEntryUpdateView):
    """Removes one row of a time sheet being written (POST only)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        entry = self.entry()
        services.timesheet_entry_delete(entry=entry, actor=request.user)
        messages.success(request, _("The row is removed."))
        return HttpResponseRedirect(reverse("stakeholders:timesheet-detail", args=[entry.timesheet_id]))


class TimeSheetTransitionView(TransitionView):
    lifecycle = TIMESHEET_LIFECYCLE

    def get_object(self) -> TimeSheet:
        rows = TimeSheet.objects.visible_to(self.request.user).select_related("contract")
        return get_object_or_404(rows, pk=self.kwargs["pk"])

    def success_url(self, timesheet: TimeSheet) -> str:
        return reverse("stakeholders:timesheet-detail", args=[timesheet.pk])

    def perform(self, timesheet: TimeSheet, to: str, data: dict[str, Any]) -> None:
        lifecycle.timesheet_transition(timesheet=timesheet, to=to, actor=self.request.user, note=data["note"])


class FinalReportView(LoginRequiredMixin, View):
    """The contract's final report: written by the expert, read by officers."""

    template_name = "stakeholders/final_report.html"

    def contract(self) -> ExpertContract:
        rows = ExpertContract.objects.visible_to(self.request.user).select_related("expert")
        return get_object_or_404(rows, pk=self.kwargs["pk"])

    def page(self, contract, form=None):
        user = self.request.user
        report = FinalReport.objects.filter(contract=contract).first() or FinalReport(contract=contract)
        can_change = access.may(user, "stakeholders.change_final_report", report)
        context = {
            "contract": contract,
            "report": report,
            "form": form or (FinalReportForm(instance=report) if can_change else None),
            "moves": FINAL_REPORT_LIFECYCLE.allowed(user, report) if report.pk else [],
            "transitions": list(report.transitions.select_related("actor")) if report.pk else [],
        }
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        return self.page(self.contract())

    def post(self, request, pk):
        contract = self.contract()
        report = FinalReport.objects.filter(contract=contract).first() or FinalReport(contract=contract)
        access.require(request.user, "stakeholders.change_final_report", report)
        form = FinalReportForm(request.POST, instance=report)
        if form.is_valid():
            services.final_report_save(contract=contract, actor=request.user, data=form_data(form))
            messages.success(request, _("The final report is saved."))
            return HttpResponseRedirect(reverse("stakeholders:final-report", args=[contract.pk]))
        return self.page(contract, form)


class FinalReportTransitionView(TransitionView):
    lifecycle = FINAL_REPORT_LIFECYCLE

    def get_object(self) -> FinalReport:
        rows = FinalReport.objects.visible_to(self.request.user).select_related("contract")
        return get_object_or_404(rows, pk=self.kwargs["pk"])

    def success_url(self, report: FinalReport) -> str:
        return reverse("stakeholders:final-report", args=[report.contract_id])

    def perform(self, report: FinalReport, to: str, data: dict[str, Any]) -> None:
        lifecycle.final_report_transition(report=report, to=to, actor=self.request.user, note=data["note"])


class FinalReportDocumentsView(DocumentListView):
    """The final report's PDFs: reporting's one documents page (reporting.document_kinds)."""

    kind = "final_report"
