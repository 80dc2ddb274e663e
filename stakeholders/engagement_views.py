"""Pages of the experts' work. Objects come through scoped querysets (a row the user may not see
is a 404); a visible row with a forbidden action is a 403 that says why (access.require)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView

from jmu_planner import access
from jmu_planner.views import attach_errors
from stakeholders import engagement_selectors as selectors
from stakeholders import engagement_services as services
from stakeholders.engagement_forms import (
    AttachmentForm,
    EngagementForm,
    FinalReportForm,
    FollowUpForm,
    LAPMeasureForm,
    LinkMeasureForm,
    ParticipantForm,
    PolicyDocumentForm,
    RecommendationForm,
    TimeSheetCreateForm,
    TimeSheetEntryForm,
    TransitionForm,
)
from stakeholders.lifecycle import FINAL_REPORT_LIFECYCLE, RECOMMENDATION_LIFECYCLE, TIMESHEET_LIFECYCLE
from stakeholders.models import (
    LSG,
    Attachment,
    Engagement,
    ExpertContract,
    FinalReport,
    PolicyDocument,
    Recommendation,
    TimeSheet,
    TimeSheetEntry,
)

FORM_TEMPLATE = "stakeholders/engagement_form.html"


def _form_page(request, form, *, heading, cancel_url, back=None, multipart=False, status=200):
    context = {"form": form, "heading": heading, "cancel_url": cancel_url, "back": back,
               "multipart": multipart}  # fmt: skip
    return render(request, FORM_TEMPLATE, context, status=status)


def _data(form) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}


# --- Engagements --------------------------------------------------------------------------------


class EngagementListView(LoginRequiredMixin, ListView):
    template_name = "stakeholders/engagement_list.html"
    context_object_name = "engagements"
    paginate_by = 25

    def get_queryset(self):
        return selectors.engagement_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = access.may(self.request.user, "stakeholders.add_engagement")
        return context


class EngagementFormView(LoginRequiredMixin, View):
    """New engagement (an expert, for their assigned LSGs) or a change to one."""

    def engagement(self) -> Engagement | None:
        pk = self.kwargs.get("pk")
        if pk is None:
            access.require(self.request.user, "stakeholders.add_engagement")
            return None
        engagement = selectors.engagement_get(user=self.request.user, pk=pk)
        access.require(self.request.user, "stakeholders.change_engagement", engagement)
        return engagement

    def form(self, engagement, data=None):
        choices = selectors.engagement_lsg_choices(user=self.request.user)
        return EngagementForm(data, instance=engagement or Engagement(), lsg_choices=choices)

    def page(self, form, engagement):
        heading = _("Change the engagement") if engagement else _("New engagement")
        cancel = (
            reverse("stakeholders:engagement-detail", args=[engagement.pk])
            if engagement
            else reverse("stakeholders:engagement-list")
        )
        return _form_page(self.request, form, heading=heading, cancel_url=cancel)

    def get(self, request, pk=None):
        engagement = self.engagement()
        return self.page(self.form(engagement), engagement)

    def post(self, request, pk=None):
        engagement = self.engagement()
        form = self.form(engagement, request.POST)
        if form.is_valid():
            data = _data(form)
            lsgs = list(data.pop("lsgs"))
            try:
                engagement = services.engagement_save(
                    actor=request.user, data=data, lsgs=lsgs, engagement=engagement
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The engagement is saved."))
                return HttpResponseRedirect(reverse("stakeholders:engagement-detail", args=[engagement.pk]))
        return self.page(form, engagement)


class EngagementDetailView(LoginRequiredMixin, TemplateView):
    template_name = "stakeholders/engagement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = selectors.engagement_page(user=self.request.user, pk=self.kwargs["pk"])
        return context


class EngagementChildView(LoginRequiredMixin, View):
    """Adds a row to an engagement the user may change: a form page, the service, back to the page."""

    heading: Any = ""
    multipart = False
    success_message: Any = ""

    @cached_property
    def engagement(self) -> Engagement:
        engagement = selectors.engagement_get(user=self.request.user, pk=self.kwargs["pk"])
        access.require(self.request.user, "stakeholders.change_engagement", engagement)
        return engagement

    def build_form(self, data=None, files=None):
        raise NotImplementedError

    def perform(self, form) -> Any:
        raise NotImplementedError

    def detail_url(self) -> str:
        return reverse("stakeholders:engagement-detail", args=[self.engagement.pk])

    def page(self, form):
        return _form_page(
            self.request, form, heading=self.heading, cancel_url=self.detail_url(),
            back=self.engagement, multipart=self.multipart,
        )  # fmt: skip

    def get(self, request, pk):
        return self.page(self.build_form())

    def post(self, request, pk):
        form = self.build_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                self.perform(form)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, self.success_message)
                return HttpResponseRedirect(self.detail_url())
        return self.page(form)


class ParticipantCreateView(EngagementChildView):
    heading = _("Add a participant")
    success_message = _("The participant is added.")

    def build_form(self, data=None, files=None):
        return ParticipantForm(data, memberships=selectors.membership_choices(self.engagement))

    def perform(self, form):
        return services.participant_add(engagement=self.engagement, actor=self.request.user, data=_data(form))


class AttachmentCreateView(EngagementChildView):
    heading = _("Attach a file")
    multipart = True
    success_message = _("The file is attached.")

    def build_form(self, data=None, files=None):
        return AttachmentForm(data, files, lsgs=self.engagement.lsgs.all())

    def perform(self, form):
        return services.attachment_add(
            engagement=self.engagement, actor=self.request.user, upload=form.cleaned_data["file"],
            lsg=form.cleaned_data.get("lsg"),
        )  # fmt: skip


class FollowUpCreateView(EngagementChildView):
    heading = _("Add a follow-up")
    success_message = _("The follow-up is added.")

    def build_form(self, data=None, files=None):
        return FollowUpForm(data, lsgs=self.engagement.lsgs.all())

    def perform(self, form):
        return services.follow_up_add(engagement=self.engagement, actor=self.request.user, data=_data(form))


class RecommendationCreateView(EngagementChildView):
    heading = _("Write a recommendation")
    success_message = _("The recommendation is saved.")

    def build_form(self, data=None, files=None):
        lsgs = LSG.objects.filter(pk__in=self.engagement.engagement_lsg_ids).in_reading_order()
        form = RecommendationForm(data, lsgs=lsgs)
        if len(self.engagement.engagement_lsg_ids) == 1:
            form.fields["lsg"].initial = next(iter(self.engagement.engagement_lsg_ids))
        return form

    def perform(self, form):
        return services.recommendation_add(
            engagement=self.engagement, actor=self.request.user, data=_data(form)
        )


class AttachmentDownloadView(LoginRequiredMixin, View):
    """The file, only to those who see its engagement; always a download, never shown inline."""

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.download_name,
            content_type="application/octet-stream",
        )  # fmt: skip


class DocumentsView(LoginRequiredMixin, View):
    """An engagement's or a final report's PDFs (reporting's pipeline) and a button for a new one."""

    template_name = "stakeholders/documents.html"
    kind = ""  # "engagement" or "final_report"

    def subject(self):
        raise NotImplementedError

    def get(self, request, pk):
        from reporting.models import Document

        subject = self.subject()
        context = {
            "subject": subject,
            "kind": self.kind,
            "documents": list(
                Document.objects.visible_to(request.user)
                .filter(**{self.kind: subject})
                .order_by("-created_at", "-pk")
            ),
            "can_export": access.may(request.user, f"stakeholders.request_{self.kind}_document", subject),
        }
        return render(request, self.template_name, context)

    def post(self, request, pk):
        from reporting.documents import document_request

        subject = self.subject()
        access.require(request.user, f"stakeholders.request_{self.kind}_document", subject)
        document_request(actor=request.user, **{self.kind: subject})
        messages.success(request, _("The PDF is being made; reload this page in a moment."))
        return HttpResponseRedirect(request.path)


class EngagementDocumentsView(DocumentsView):
    kind = "engagement"

    def subject(self):
        return selectors.engagement_get(user=self.request.user, pk=self.kwargs["pk"])


# --- Recommendations ----------------------------------------------------------------------------


class RecommendationDetailView(LoginRequiredMixin, View):
    template_name = "stakeholders/recommendation_detail.html"

    def render_page(self, request, pk, link_form=None):
        page = selectors.recommendation_page(user=request.user, pk=pk)
        link_form = link_form or LinkMeasureForm(measures=page.choices)
        return render(request, self.template_name, {"page": page, "link_form": link_form})

    def get(self, request, pk):
        return self.render_page(request, pk)

    def post(self, request, pk):
        """Link a measure of the LSG's current plans (the coordinator)."""
        page = selectors.recommendation_page(user=request.user, pk=pk)
        access.require(request.user, "stakeholders.link_recommendation", page.recommendation)
        form = LinkMeasureForm(
            request.POST, measures=selectors.current_plan_measures(page.recommendation.lsg_id)
        )
        if form.is_valid():
            try:
                services.recommendation_link(
                    recommendation=page.recommendation,
                    measure=form.cleaned_data["measure"],
                    actor=request.user,
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The measure is linked to the recommendation."))
                return HttpResponseRedirect(reverse("stakeholders:recommendation-detail", args=[pk]))
        return self.render_page(request, pk, form)


class TransitionView(LoginRequiredMixin, View):
    """POST a move (with its note); a refused move goes back with the reason as a message."""

    lifecycle: Any = None

    def row(self):
        raise NotImplementedError

    def url(self, row) -> str:
        raise NotImplementedError

    def perform(self, row, to, note):
        raise NotImplementedError

    def post(self, request, pk, to):
        row = self.row()
        self.lifecycle.require_move(request.user, row, to)
        form = TransitionForm(request.POST)
        if not form.is_valid():  # a note over its length: refused, nothing moves
            for message in form.errors.get("note", []):
                messages.error(request, message)
            return HttpResponseRedirect(self.url(row))
        try:
            self.perform(row, to, form.cleaned_data.get("note", ""))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The status is now: %(status)s.") % {"status": self.lifecycle.model.Status(to).label},
            )
        return HttpResponseRedirect(self.url(row))


class RecommendationTransitionView(TransitionView):
    lifecycle = RECOMMENDATION_LIFECYCLE

    def row(self):
        rows = Recommendation.objects.visible_to(self.request.user).select_related("engagement")
        return get_object_or_404(rows, pk=self.kwargs["pk"])

    def url(self, row):
        return reverse("stakeholders:recommendation-detail", args=[row.pk])

    def perform(self, row, to, note):
        services.recommendation_transition(recommendation=row, to=to, actor=self.request.user, note=note)


# --- Policy documents and harmonisation ----------------------------------------------------------


class PolicyListView(LoginRequiredMixin, TemplateView):
    template_name = "stakeholders/policy_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lsg = get_object_or_404(LSG.objects.visible_to(self.request.user), pk=self.kwargs["lsg_pk"])
        context.update(
            lsg=lsg,
            documents=list(PolicyDocument.objects.filter(lsg=lsg)),
            can_change=access.may(self.request.user, "stakeholders.change_policy", lsg),
        )
        return context


class PolicyCreateView(LoginRequiredMixin, View):
    @cached_property
    def lsg(self) -> LSG:
        lsg = get_object_or_404(LSG.objects.visible_to(self.request.user), pk=self.kwargs["lsg_pk"])
        access.require(self.request.user, "stakeholders.change_policy", lsg)
        return lsg

    def page(self, form):
        return _form_page(
            self.request, form, heading=_("New policy document"),
            cancel_url=reverse("stakeholders:policy-list", args=[self.lsg.pk]),
        )  # fmt: skip

    def get(self, request, lsg_pk):
        return self.page(PolicyDocumentForm(instance=PolicyDocument(lsg=self.lsg)))

    def post(self, request, lsg_pk):
        form = PolicyDocumentForm(request.POST, instance=PolicyDocument(lsg=self.lsg))
        if form.is_valid():
            try:
                document = services.policy_document_save(lsg=self.lsg, actor=request.user, data=_data(form))
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The policy document is saved."))
                return HttpResponseRedirect(reverse("stakeholders:policy-detail", args=[document.pk]))
        return self.page(form)


class PolicyDetailView(LoginRequiredMixin, View):
    """The document's measures and the harmonisation with the LSG's plans; add a measure (POST)."""

    template_name = "stakeholders/policy_detail.html"

    def document(self) -> PolicyDocument:
        rows = PolicyDocument.objects.visible_to(self.request.user).select_related("lsg")
        return get_object_or_404(rows, pk=self.kwargs["pk"])

    def page(self, document, form=None):
        can_change = access.may(self.request.user, "stakeholders.change_policy", document)
        context = {
            "document": document,
            "harmonisation": selectors.harmonisation(document),
            "can_change": can_change,
            "form": form or (LAPMeasureForm() if can_change else None),
        }
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        return self.page(self.document())

    def post(self, request, pk):
        document = self.document()
        access.require(request.user, "stakeholders.change_policy", document)
        form = LAPMeasureForm(request.POST)
        if form.is_valid():
            try:
                services.lap_measure_add(document=document, actor=request.user, data=_data(form))
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The measure is added."))
                return HttpResponseRedirect(reverse("stakeholders:policy-detail", args=[document.pk]))
        return self.page(document, form)


# --- Time sheets and final reports ------------------------------------------------------------------


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
        expert = timesheet.contract.expert
        lsgs = LSG.objects.filter(pk__in=access.lsg_ids_with_role(expert, access.EXPERTS)).in_reading_order()
        engagements = Engagement.objects.filter(created_by=expert).order_by("-date")
        return TimeSheetEntryForm(data, lsgs=lsgs, engagements=engagements)

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
                services.timesheet_entry_save(timesheet=timesheet, actor=request.user, data=_data(form))
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The days are entered."))
                return HttpResponseRedirect(reverse("stakeholders:timesheet-detail", args=[timesheet.pk]))
        return self.page(timesheet, form)


class TimeSheetTransitionView(TransitionView):
    lifecycle = TIMESHEET_LIFECYCLE

    def row(self):
        rows = TimeSheet.objects.visible_to(self.request.user).select_related("contract")
        return get_object_or_404(rows, pk=self.kwargs["pk"])

    def url(self, row):
        return reverse("stakeholders:timesheet-detail", args=[row.pk])

    def perform(self, row, to, note):
        services.timesheet_transition(timesheet=row, to=to, actor=self.request.user, note=note)


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
            services.final_report_save(contract=contract, actor=request.user, data=_data(form))
            messages.success(request, _("The final report is saved."))
            return HttpResponseRedirect(reverse("stakeholders:final-report", args=[contract.pk]))
        return self.page(contract, form)


class FinalReportTransitionView(TransitionView):
    lifecycle = FINAL_REPORT_LIFECYCLE

    def row(self):
        rows = FinalReport.objects.visible_to(self.request.user).select_related("contract")
        return get_object_or_404(rows, pk=self.kwargs["pk"])

    def url(self, row):
        return reverse("stakeholders:final-report", args=[row.contract_id])

    def perform(self, row, to, note):
        services.final_report_transition(report=row, to=to, actor=self.request.user, note=note)


class FinalReportDocumentsView(DocumentsView):
    kind = "final_report"

    def subject(self):
        rows = FinalReport.objects.visible_to(self.request.user).select_related("contract__expert")
        return get_object_or_404(rows, pk=self.kwargs["pk"])
