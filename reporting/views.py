"""Report pages. Reports are fetched through scoped querysets: another LSG's report is a 404."""

from __future__ import annotations

import datetime
import uuid
from typing import Any
from urllib.parse import urlencode

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from drf_spectacular.utils import extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from jmu_planner import access, i18n
from jmu_planner.forms import attach_errors
from jmu_planner.generic_views import ScopedFilterView, TransitionView
from jmu_planner.spreadsheets import xlsx_response
from plans.models import BudgetLine
from reporting import documents, exports, publication, selectors, services, word_copies
from reporting.document_kinds import DocumentKind, kind_named
from reporting.filters import ReportFilter
from reporting.forms import (
    ActivityForm,
    IndicatorValuesForm,
    NarrativeForm,
    ReportCreateForm,
    SpendingForm,
    UnpublishForm,
    own_membership,
)
from reporting.lifecycle import REPORT_LIFECYCLE, missing_values, report_transition
from reporting.models import AGE_GROUPS, COUNT_FIELDS, Document, FieldActivity, Report
from stakeholders.models import JMU
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


def field_jmus(user) -> list[JMU]:
    """The JMUs whose field work the user may log (their LSGs' active JMUs)."""
    return list(jmus_writable_by(user, access.FIELD_WORKERS))


def day_from(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def activity_form(
    *, jmu: JMU, data=None, instance: FieldActivity | None = None, initial=None
) -> ActivityForm:
    """The field-log form; its measures are those of the plan in force on the day typed (or
    today's, or the entry's)."""
    day = day_from((data or {}).get("date")) or (instance.date if instance else None)
    day = day or day_from((initial or {}).get("date")) or timezone.localdate()
    plan = services.plan_in_force(jmu, day, day)
    return ActivityForm(data, jmu=jmu, plan=plan, instance=instance, initial=initial)


def people_context(form: ActivityForm) -> dict[str, Any]:
    """The sex × age grid of the form, a row per age group, and the sum typed so far."""
    rows = [(label, (form[f"male_{age}"], form[f"female_{age}"])) for age, label in AGE_GROUPS]
    total = 0
    for name in COUNT_FIELDS:
        value = form[name].value()
        total += int(value) if str(value or "").isdigit() else 0
    return {"people_rows": rows, "people_sum": total}


def activity_data(form: ActivityForm) -> dict[str, Any]:
    return {
        name: form.cleaned_data[name]
        for name in form.fields
        if name not in {"members", "areas", "measures", "people_total"}
    }


def save_activity(form: ActivityForm, *, actor, activity=None, client_id=None) -> FieldActivity:
    """The form's data to the service: an entry sent again with its device id is the same entry."""
    related = {name: form.cleaned_data[name] for name in ("members", "areas", "measures")}
    if activity is not None:
        return services.activity_save(
            jmu=form.jmu, actor=actor, data=activity_data(form), activity=activity, **related
        )
    return services.activity_receive(
        jmu=form.jmu, actor=actor, data=activity_data(form), client_id=client_id or uuid.uuid4(), **related
    )[0]


class ActivityCreateView(LoginRequiredMixin, View):
    """Log a day's field work: dated today, the member ticked, one column on a phone. With the
    page's script the entry is first kept on the device and sent by the sync (it works offline);
    without it, this view saves the same form."""

    template_name = "reporting/activity_form.html"
    heading = gettext_lazy("Log field work")

    @cached_property
    def jmus(self) -> list[JMU]:
        jmus = field_jmus(self.request.user)
        if not jmus:
            access.require(self.request.user, "reporting.log_field_work")
            raise PermissionDenied(_("Field work is logged for an active JMU; your LSG has none."))
        return jmus

    def jmu(self, data) -> JMU:
        chosen = str(data.get("jmu", ""))
        return next((j for j in self.jmus if str(j.pk) == chosen), self.jmus[0])

    def initial(self, jmu: JMU) -> dict[str, Any]:
        own = own_membership(jmu, self.request.user)
        query = self.request.GET
        return {
            "date": day_from(query.get("date")) or timezone.localdate(),
            "members": [own.pk] if own else [],
            "settlement": query.get("settlement") or None,
            "type": query.get("type") or FieldActivity.Type.FIELD_VISIT,
        }

    def render_form(self, form: ActivityForm, **extra):
        context = {
            "form": form,
            "jmu": form.jmu,
            "jmus": self.jmus,
            "heading": self.heading,
            "client_id": uuid.uuid4(),
            "next": safe_next(self.request),
            **people_context(form),
            **extra,
        }
        return render(self.request, self.template_name, context)

    def get(self, request):
        jmu = self.jmu(request.GET)
        return self.render_form(activity_form(jmu=jmu, initial=self.initial(jmu)), is_new=True)

    def post(self, request):
        jmu = self.jmu(request.POST)
        form = activity_form(jmu=jmu, data=request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    activity = save_activity(
                        form, actor=request.user, client_id=parse_uuid(request.POST.get("client_id"))
                    )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request, _("Field work of %(day)s saved.") % {"day": i18n.short_date(activity.date)}
                )
                if "another" in request.POST:
                    query = urlencode({"jmu": jmu.pk, "date": activity.date.isoformat()})
                    return HttpResponseRedirect(f"{reverse('reporting:activity-create')}?{query}")
                return HttpResponseRedirect(safe_next(request) or reverse("reporting:field-log"))
        return self.render_form(form, is_new=True)


class ActivityUpdateView(LoginRequiredMixin, View):
    template_name = "reporting/activity_form.html"
    heading = gettext_lazy("Field activity")

    @cached_property
    def activity(self) -> FieldActivity:
        activities = FieldActivity.objects.visible_to(self.request.user).select_related("jmu__lsg")
        activity = get_object_or_404(activities, pk=self.kwargs["pk"])
        # JMU members change only the entries they logged, coordinators and experts any, while
        # the month's report is not submitted.
        access.require(self.request.user, "reporting.change_activity", activity)
        return activity

    def render_form(self, form):
        context = {
            "form": form,
            "jmu": self.activity.jmu,
            "activity": self.activity,
            "heading": self.heading,
            "next": safe_next(self.request),
            **people_context(form),
        }
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        return self.render_form(activity_form(jmu=self.activity.jmu, instance=self.activity))

    def post(self, request, pk):
        form = activity_form(jmu=self.activity.jmu, data=request.POST, instance=self.activity)
        if form.is_valid():
            try:
                with transaction.atomic():
                    save_activity(form, actor=request.user, activity=self.activity)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Field activity saved."))
                return HttpResponseRedirect(safe_next(request) or reverse("reporting:field-log"))
        return self.render_form(form)


class ActivityDeleteView(ActivityUpdateView):
    http_method_names = ["post"]  # a GET never deletes

    def post(self, request, pk):
        services.activity_delete(activity=self.activity, actor=request.user)
        messages.success(request, _("Field activity deleted."))
        return HttpResponseRedirect(safe_next(request) or reverse("reporting:field-log"))


class FieldLogView(LoginRequiredMixin, TemplateView):
    """The member's own entries (this week's with totals, then earlier ones) and, drawn by the
    page's script, those still on the device: waiting, sent or refused."""

    template_name = "reporting/field_log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["log"] = selectors.field_log(user=self.request.user)
        context["may_log"] = access.may(self.request.user, "reporting.log_field_work")
        return context


def safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


def parse_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


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
            BudgetLine.objects.planned()
            .filter(measure__plan_id=self.report.plan_id)
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
        context.update(
            overdue=page.object_list,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
        )
        return context


class ReportExportView(LoginRequiredMixin, View):
    """The report's figures as XLSX for use outside the LSG: counts below 5 read "<5"."""

    def get(self, request, pk):
        page = selectors.report_page(user=request.user, pk=pk)
        report = page.report
        return xlsx_response(
            exports.report_workbook(page),
            filename=f"{report.jmu.lsg.name_lat}-{report.kind}-{report.period_label}",
        )


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
            messages.error(
                request,
                _(
                    "The PDF queue is not reachable right now, so the PDF was not made. "
                    "Try again in a few minutes with the Retry button."
                ),
            )

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
        context = {
            "subject": subject,
            "kind": kind.name,
            "documents": rows,
            "waiting": waiting,
            "subject_url": kind.page_url(subject),
            "subject_label": kind.label(subject),
            "can_export": access.may(request.user, kind.request_action, subject),
            "has_word": kind.word is not None,
            "pending": any(d.is_pending for d in rows),
        }
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


class DocumentWordView(LoginRequiredMixin, View):
    """The Word copy of a plan or report, made on request (a 150-measure plan in well under a
    second: reporting/tests/test_word_copies.py), for whoever may see the subject, as its PDFs."""

    def get(self, request, kind, pk):
        kind = kind_named(kind)
        subject = _subject(request, kind, pk)
        return word_response(kind, subject)


def word_response(kind: DocumentKind, subject, *, keep_seconds: int = 0) -> HttpResponse:
    """The subject's Word copy as a download named like its PDF; a kind without one is a 404.
    `keep_seconds`: the copy is kept that long in the cache (per subject and language) and served
    from there (the public pages, where anyone may ask for it)."""
    if kind.word is None:
        raise Http404
    key = f"word-copy:{kind.name}:{subject.pk}:{i18n.current_language()}"
    content = cache.get(key) if keep_seconds else None
    if content is None:
        content = kind.word(kind.context(subject))
        if keep_seconds:
            cache.set(key, content, keep_seconds)
    name = slugify(kind.file_stem(subject))[:80] or "document"
    response = HttpResponse(content, content_type=word_copies.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


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


@extend_schema(exclude=True)  # the phones' own endpoint, not the monitoring API
class FieldLogSyncView(APIView):
    """Entries logged on a device, sent when the connection returns: each answered "sent" (with
    its id on the server, also when it was sent before) or "refused" with the reasons, per field.

    Scoped like the pages (only JMUs whose field work the user may log), CSRF-checked (the session
    authentication of the API), throttled per user and limited in size.
    """

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "field_sync"
    MAX_BYTES = 256 * 1024
    MAX_ENTRIES = 25

    def post(self, request):
        if int(request.META.get("CONTENT_LENGTH") or 0) > self.MAX_BYTES:
            return Response({"detail": _("Too much at once: send fewer entries.")}, status=413)
        entries = request.data.get("entries") if isinstance(request.data, dict) else None
        if not isinstance(entries, list) or not 0 < len(entries) <= self.MAX_ENTRIES:
            return Response(
                {"detail": _("Send 1 to %(max)s entries at once.") % {"max": self.MAX_ENTRIES}}, status=400
            )
        jmus = {str(jmu.pk): jmu for jmu in field_jmus(request.user)}
        return Response({"results": [self.receive(entry, jmus) for entry in entries]})

    def receive(self, entry, jmus: dict[str, JMU]) -> dict[str, Any]:
        client_id = parse_uuid(entry.get("id")) if isinstance(entry, dict) else None
        if client_id is None:
            return {"id": None, "status": "refused", "reason": _("The entry has no valid id."), "errors": {}}
        answer = {"id": str(client_id)}
        try:
            with transaction.atomic():
                known = services.activity_known(client_id=client_id, actor=self.request.user)
                if known is not None:
                    return {**answer, "status": "sent", "pk": known.pk}
                jmu = jmus.get(str(entry.get("jmu")))
                if jmu is None:
                    raise ValidationError(_("You may not log field work for this JMU."))
                form = activity_form(jmu=jmu, data=form_data(entry))
                if not form.is_valid():
                    return {**answer, **refused(form.errors.get_json_data(), form)}
                activity = save_activity(form, actor=self.request.user, client_id=client_id)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            return {**answer, **refused({k: [{"message": m} for m in v] for k, v in errors.items()}, None)}
        return {**answer, "status": "sent", "pk": activity.pk}


def form_data(entry: dict) -> dict[str, Any]:
    """The device's JSON as the form's data: numbers and ids as text, lists as lists."""
    data: dict[str, Any] = {}
    for name, value in entry.items():
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif value is not None and not isinstance(value, dict):
            data[name] = str(value)
    return data


def refused(errors: dict[str, list[dict]], form: ActivityForm | None) -> dict[str, Any]:
    """The refusal as the member reads it: the field's label and its message, and per field for
    the form that lets them fix it."""
    by_field = {name: [e["message"] for e in items] for name, items in errors.items()}
    parts = []
    for name, messages_ in by_field.items():
        field = form.fields.get(name) if form is not None else None
        if field is None and name in {f.name for f in FieldActivity._meta.fields}:
            field = FieldActivity._meta.get_field(name)
        label = str(getattr(field, "label", None) or getattr(field, "verbose_name", "") or "")
        text = " ".join(messages_)
        parts.append(f"{label.capitalize()}: {text}" if label and name != "__all__" else text)
    return {"status": "refused", "reason": " ".join(parts), "errors": by_field}


class PublicationView(LoginRequiredMixin, View):
    """Whether an adopted plan or an accepted annual report is on its LSG's public page, every
    publishing and taking down with who, when and why, and the buttons for both."""

    template_name = "reporting/publication.html"

    def get(self, request, kind, pk, form=None):
        kind = kind_named(kind)
        if kind.name not in ("plan", "report"):
            raise Http404
        subject = _subject(request, kind, pk)
        history = publication.publication_history(subject)
        current = next((p for p in history if p.is_current), None)
        context = {
            "subject": subject,
            "kind": kind.name,
            "history": history,
            "current": current,
            "subject_url": kind.page_url(subject),
            "subject_label": kind.label(subject),
            "may_publish": current is None and access.may(request.user, "reporting.publish", subject),
            "may_unpublish": current is not None and access.may(request.user, "reporting.unpublish", subject),
            "refusal": access.refusal(request.user, "reporting.publish", subject),
            "form": form or UnpublishForm(),
        }
        return render(request, self.template_name, context, status=400 if form is not None else 200)

    def post(self, request, kind, pk):
        kind_ = kind_named(kind)
        if kind_.name not in ("plan", "report"):
            raise Http404
        subject = _subject(request, kind_, pk)
        if request.POST.get("action") == "unpublish":
            access.require(request.user, "reporting.unpublish", subject)
            form = UnpublishForm(request.POST)
            if not form.is_valid():
                return self.get(request, kind, pk, form=form)
            try:
                publication.publication_unpublish(
                    subject=subject, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                attach_errors(form, error)
                return self.get(request, kind, pk, form=form)
            messages.success(request, _("It is no longer on the public page."))
        else:
            access.require(request.user, "reporting.publish", subject)
            try:
                publication.publication_publish(subject=subject, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("It is now on the LSG's public page."))
        return HttpResponseRedirect(request.path)
