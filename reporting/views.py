"""Report pages. Reports are fetched through scoped querysets: another LSG's report is a 404."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from jmu_planner import access
from jmu_planner.forms import attach_errors
from jmu_planner.generic_views import ScopedFilterView, TransitionView
from plans.models import BudgetLine
from reporting import documents, selectors, services
from reporting.document_kinds import DocumentKind, kind_named
from reporting.filters import ReportFilter
from reporting.forms import ActivityForm, IndicatorValuesForm, NarrativeForm, ReportCreateForm, SpendingForm
from reporting.lifecycle import REPORT_LIFECYCLE, missing_values, report_transition
from reporting.models import AGE_GROUPS, SEXES, Document, FieldActivity, Report
from stakeholders.selectors import jmus_writable_by

Status = Report.Status


def report_url(report: Report, anchor: str = "") -> str:
    return reverse("reporting:report-detail", args=[report.pk]) + (f"#{anchor}" if anchor else "")


class ReportListView(ScopedFilterView):
    filterset_class = ReportFilter
    template_name = "reporting/report_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["overdue"] = selectors.overdue_summary(user=self.request.user, shown=0)
        context["can_create"] = access.may(self.request.user, "reporting.add_report")
        return context


def writable_jmus(user):
    return jmus_writable_by(user, access.AUTHORS)


class ReportCreateView(LoginRequiredMixin, View):
    template_name = "reporting/report_create.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            access.require(request.user, "reporting.add_report")
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        return ReportCreateForm(data, jmus=writable_jmus(self.request.user), initial=self.request.GET.dict())

    def get(self, request):
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_create(
                    jmu=data["jmu"], kind=data["kind"], day=data["month"], actor=request.user
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error("month" if field == "period" else None, errors)
            else:
                messages.success(request, _("%(report)s created.") % {"report": report})
                return HttpResponseRedirect(report_url(report))
        return render(request, self.template_name, {"form": form})


class ReportDetailView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/report_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page"] = page = selectors.report_page(user=self.request.user, pk=self.kwargs["pk"])
        context["reach_rows"] = [
            (label, page.reach.counts[f"male_{age}"], page.reach.counts[f"female_{age}"])
            for age, label in [("0_17", "0-17"), ("18_64", "18-64"), ("65", "65+")]
        ]
        return context


class EditableReportMixin:
    """The report from the URL: a 404 if the user may not see it, a 403 if they may not do
    `action` to it now (values and spending: coordinators and experts; narrative and field log:
    the JMU's members too)."""

    report_kwarg = "pk"
    action = "reporting.change_report"

    @cached_property
    def report(self) -> Report:
        reports = Report.objects.visible_to(self.request.user).select_related("jmu__lsg", "plan")
        report = get_object_or_404(reports, pk=self.kwargs[self.report_kwarg])
        access.require(self.request.user, self.action, report)
        return report


class ActivityFormView(EditableReportMixin, LoginRequiredMixin, View):
    template_name = "reporting/activity_form.html"
    action = "reporting.draft_report"
    heading = gettext_lazy("Field activity")

    def activity(self) -> FieldActivity:
        return FieldActivity(report=self.report)

    def get(self, request, **kwargs):
        form = ActivityForm(instance=self.activity(), initial={"date": self.report.period_start})
        return render(
            request, self.template_name, {"form": form, "report": self.report, "heading": self.heading}
        )

    def post(self, request, **kwargs):
        activity = self.activity()
        form = ActivityForm(request.POST, instance=activity)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.fields if name not in {"members", "areas"}}
            try:
                services.activity_save(
                    report=self.report,
                    actor=request.user,
                    data=data,
                    members=form.cleaned_data["members"],
                    areas=form.cleaned_data["areas"],
                    activity=activity if activity.pk else None,
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Field activity saved."))
                return HttpResponseRedirect(report_url(self.report, "activities"))
        return render(
            request, self.template_name, {"form": form, "report": self.report, "heading": self.heading}
        )


class ActivityCreateView(ActivityFormView):
    report_kwarg = "report_pk"


class ActivityUpdateView(ActivityFormView):
    @cached_property
    def existing(self) -> FieldActivity:
        activities = FieldActivity.objects.visible_to(self.request.user).select_related(
            "report__jmu__lsg", "report__plan"
        )
        return get_object_or_404(activities, pk=self.kwargs["pk"])

    @cached_property
    def report(self) -> Report:
        # JMU members change only the entries they logged; coordinators and experts any.
        access.require(self.request.user, "reporting.change_activity", self.existing)
        return self.existing.report

    def activity(self) -> FieldActivity:
        self.report  # noqa: B018 - checks access before the entry is shown or changed
        return self.existing


class ActivityDeleteView(ActivityUpdateView):
    http_method_names = ["post"]  # a GET never deletes

    def post(self, request, **kwargs):
        services.activity_delete(activity=self.activity(), actor=request.user)
        messages.success(request, _("Field activity deleted."))
        return HttpResponseRedirect(report_url(self.report, "activities"))


class IndicatorValuesView(EditableReportMixin, LoginRequiredMixin, View):
    template_name = "reporting/values_form.html"
    heading = gettext_lazy("Indicator values for the month")

    def form(self, data=None):
        report = self.report
        if report.kind != Report.Kind.MONTHLY:
            raise Http404
        indicators = services.required_indicators(report)
        current = {v.indicator_id: v for v in report.indicator_values.all()}
        return IndicatorValuesForm(data, indicators=indicators, current=current)

    def get(self, request, pk):
        return render(
            request, self.template_name, {"form": self.form(), "report": self.report, "heading": self.heading}
        )

    def post(self, request, pk):
        form = self.form(request.POST)
        if form.is_valid():
            rows = [services.ValueRow(indicator=i, data=d) for i, d in form.values()]
            try:
                services.indicator_values_save(report=self.report, actor=request.user, rows=rows)
            except ValidationError as error:
                form.attach(error)
            else:
                messages.success(request, _("Indicator values saved."))
                return HttpResponseRedirect(report_url(self.report, "indicators"))
        return render(
            request, self.template_name, {"form": form, "report": self.report, "heading": self.heading}
        )


class SpendingView(EditableReportMixin, LoginRequiredMixin, View):
    template_name = "reporting/spending_form.html"
    heading = gettext_lazy("Spending in the month")

    def form(self, data=None):
        if self.report.kind != Report.Kind.MONTHLY:
            raise Http404
        lines = list(
            BudgetLine.objects.filter(measure__plan_id=self.report.plan_id)
            .select_related("measure__area", "source")
            .order_by("measure__area__number", "measure__number", "position", "pk")
        )
        current = {s.budget_line_id: s.amount for s in self.report.spending.all()}
        return SpendingForm(data, lines=lines, current=current)

    def get(self, request, pk):
        return render(
            request, self.template_name, {"form": self.form(), "report": self.report, "heading": self.heading}
        )

    def post(self, request, pk):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                services.spending_save(report=self.report, actor=request.user, amounts=form.amounts())
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Spending saved."))
                return HttpResponseRedirect(report_url(self.report, "budget"))
        return render(
            request, self.template_name, {"form": form, "report": self.report, "heading": self.heading}
        )


class NarrativeView(EditableReportMixin, LoginRequiredMixin, View):
    template_name = "reporting/narrative_form.html"
    action = "reporting.draft_report"  # JMU members draft the narrative too
    heading = gettext_lazy("Narrative")

    def get(self, request, pk):
        return render(
            request,
            self.template_name,
            {"form": NarrativeForm(instance=self.report), "report": self.report, "heading": self.heading},
        )

    def post(self, request, pk):
        form = NarrativeForm(request.POST, instance=self.report)
        if form.is_valid():
            services.narrative_update(report=self.report, actor=request.user, data=form.cleaned_data)
            messages.success(request, _("Narrative saved."))
            return HttpResponseRedirect(report_url(self.report, "narrative"))
        return render(
            request, self.template_name, {"form": form, "report": self.report, "heading": self.heading}
        )


class ReportTransitionView(TransitionView):
    """Submit, return, accept: a confirmation page with a note, then the move."""

    lifecycle = REPORT_LIFECYCLE
    template_name = "reporting/report_transition.html"
    success_message = gettext_lazy("The report is now: %(status)s.")

    def get_object(self) -> Report:
        reports = Report.objects.visible_to(self.request.user).select_related("jmu__lsg")
        return get_object_or_404(reports, pk=self.kwargs["pk"])

    def success_url(self, report: Report) -> str:
        return report_url(report)

    def extra_context(self, report: Report, to: str) -> dict[str, Any]:
        return {"report": report, "missing": missing_values(report) if to == Status.SUBMITTED else []}

    def perform(self, report: Report, to: str, data: dict[str, Any]) -> None:
        report_transition(report=report, to=to, actor=self.request.user, note=data["note"])


class OverdueView(LoginRequiredMixin, TemplateView):
    """Reports past their due date: the user's LSGs, or the whole programme for officers."""

    template_name = "reporting/overdue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = selectors.overdue_page(user=self.request.user, page=self.request.GET.get("page"))
        context.update(overdue=page.object_list, page_obj=page, paginator=page.paginator,
                       is_paginated=page.has_other_pages())  # fmt: skip
        return context


class ReportExportView(LoginRequiredMixin, View):
    """The report's figures as XLSX for use outside the LSG: counts below 5 read "<5"."""

    def get(self, request, pk):
        from decimal import Decimal

        from openpyxl import Workbook

        from jmu_planner.spreadsheets import append_row, style_header, style_title, xlsx_response

        page = selectors.report_page(user=request.user, pk=pk)
        report = page.report
        book = Workbook()
        sheet = book.active
        sheet.title = _("Report")[:31]
        append_row(sheet, [str(report)])
        style_title(sheet["A1"])
        append_row(sheet, [_("People reached"), selectors.suppress(page.reach.people)])
        append_row(sheet, [_("Households visited"), selectors.suppress(page.reach.households)])
        for sex, sex_label in SEXES:
            for age, age_label in AGE_GROUPS:
                count = page.reach.counts[f"{sex}_{age}"]
                append_row(sheet, [f"{sex_label}, {age_label}", selectors.suppress(count)])
        sheet.append([])
        append_row(sheet, [_("Indicator"), _("Value"), _("Target"), _("Progress %")])
        style_header(sheet[sheet.max_row])
        for row in page.indicators:
            append_row(
                sheet,
                [
                    f"{row.indicator.measure.code} {row.indicator.name}",
                    row.display_outside,
                    row.indicator.display_value(row.indicator.target),
                    Decimal(row.progress) if row.progress is not None else None,
                ],
            )
        sheet.append([])
        append_row(sheet, [_("Budget"), _("Planned"), _("Spent in period"), _("Spent to date")])
        style_header(sheet[sheet.max_row])
        for row in page.execution.lines:
            append_row(sheet, [row.label, row.planned, row.in_period, row.to_date], money_columns=[1, 2, 3])
        return xlsx_response(book, filename=f"{report.jmu.lsg.name_lat}-{report.kind}-{report.period_label}")


# --- PDF documents ---------------------------------------------------------------------------------------


def _subject(request, kind: DocumentKind, pk: int):
    """The subject of a documents page, among those the user may see (else 404)."""
    return get_object_or_404(kind.subjects(request.user), pk=pk)


def _tell_if_not_queued(request, document: Document) -> None:
    """Say so when the queue could not be asked. The queue is asked when the request's transaction
    commits (ATOMIC_REQUESTS), before the messages are stored: this runs just after. That the PDF
    is being made is said by the documents list itself, which changes when it is done."""

    def tell() -> None:
        if Document.objects.filter(pk=document.pk, status=Document.Status.FAILED).exists():
            messages.error(request, _(
                "The PDF queue is not reachable right now, so the PDF was not made. "
                "Try again in a few minutes with the Retry button."
            ))  # fmt: skip

    transaction.on_commit(tell)


class DocumentListView(LoginRequiredMixin, View):
    """The PDFs of any printable subject (reporting.document_kinds), with a button to make a new one
    and one to retry a failed one; htmx-refreshed while one is pending. The kind comes from the URL,
    or from a subclass where another app names the page.

    One click: the subject's "PDF" button posts here; a PDF made before of a version that cannot
    change downloads at once, else the page waits for the new one (`?wait=<id>`), polled, and the
    browser downloads it once made (its row marked data-pdf-ready: static/js/documents.js)."""

    template_name = "reporting/documents.html"
    kind = ""

    def get(self, request, pk, kind=""):
        kind = kind_named(kind or self.kind)
        subject = _subject(request, kind, pk)
        rows = list(
            Document.objects.filter(**{kind.name: subject})
            .select_related("created_by")
            .order_by("-created_at", "-pk")
        )
        wait = request.GET.get("wait", "")
        waiting = next((d for d in rows if wait.isdigit() and d.pk == int(wait)), None)
        context = {"subject": subject, "kind": kind.name, "documents": rows, "waiting": waiting,
                   "subject_url": kind.page_url(subject), "subject_label": kind.label(subject),
                   "can_export": access.may(request.user, kind.request_action, subject),
                   "pending": any(d.is_pending for d in rows)}  # fmt: skip
        template = "reporting/partials/documents.html" if request.htmx else self.template_name
        return render(request, template, context)

    def post(self, request, pk, kind=""):
        kind = kind_named(kind or self.kind)
        subject = _subject(request, kind, pk)
        access.require(request.user, kind.request_action, subject)
        document = documents.document_request(actor=request.user, **{kind.name: subject})
        if document.status == Document.Status.DONE:  # an adopted version's PDF, made before
            return HttpResponseRedirect(reverse("reporting:document-download", args=[document.pk]))
        _tell_if_not_queued(request, document)
        return HttpResponseRedirect(f"{request.path}?wait={document.pk}")


class DocumentRetryView(LoginRequiredMixin, View):
    def post(self, request, pk):
        document = get_object_or_404(Document.objects.visible_to(request.user), pk=pk)
        kind, subject = document.kind, document.subject
        access.require(request.user, kind.request_action, subject)
        if not document.can_retry:
            raise PermissionDenied(_("Only a document that failed or stopped can be made again."))
        documents.document_retry(document=document, actor=request.user)
        _tell_if_not_queued(request, document)
        url = reverse("reporting:documents", args=[kind.name, subject.pk])
        return HttpResponseRedirect(f"{url}?wait={document.pk}")


class DocumentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        document = get_object_or_404(
            Document.objects.visible_to(request.user).filter(status=Document.Status.DONE), pk=pk
        )
        # Streamed from storage, typed as a PDF, named after the stored file (chosen by the worker).
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.file.name.rsplit("/", 1)[-1],
            content_type="application/pdf",
        )


@method_decorator(
    # The print layout keeps its CSS inline for WeasyPrint; it holds no user text (test_document_safety).
    csp_update({"style-src": ["'self'", "'unsafe-inline'"]}),
    name="get",
)
class PrintPreviewView(LoginRequiredMixin, View):
    """The print layout as HTML, for staff to check a document before (or without) making a PDF."""

    def get(self, request, kind, pk):
        kind = kind_named(kind)
        subject = _subject(request, kind, pk)
        access.require(request.user, kind.request_action, subject)
        if request.GET.get("format") != "html":
            return HttpResponseRedirect(reverse("reporting:documents", args=[kind.name, pk]))
        preview = Document(**{kind.name: subject}, created_by=request.user)
        return HttpResponse(documents.document_html(preview))
