"""Pages of engagements, recommendations and policy documents. Objects come through scoped
querysets (a row the user may not see is a 404); a visible row with a forbidden action is a 403
that says why (access.require)."""

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
from jmu_planner.forms import attach_errors, form_data
from jmu_planner.generic_views import TransitionView
from reporting.views import DocumentListView
from stakeholders import lifecycle
from stakeholders.engagements import selectors, services
from stakeholders.engagements.forms import (
    AttachmentForm,
    EngagementForm,
    FollowUpForm,
    LAPMeasureForm,
    LinkMeasureForm,
    ParticipantForm,
    PolicyDocumentForm,
    RecommendationForm,
)
from stakeholders.lifecycle import RECOMMENDATION_LIFECYCLE
from stakeholders.models import (
    LSG,
    Attachment,
    Engagement,
    PolicyDocument,
    Recommendation,
)

FORM_TEMPLATE = "stakeholders/engagement_form.html"


def form_page(request, form, *, heading, cancel_url, back=None, multipart=False, status=200):
    context = {
        "form": form,
        "heading": heading,
        "cancel_url": cancel_url,
        "back": back,
        "multipart": multipart,
    }
    return render(request, FORM_TEMPLATE, context, status=status)


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
        return form_page(self.request, form, heading=heading, cancel_url=cancel)

    def get(self, request, pk=None):
        engagement = self.engagement()
        return self.page(self.form(engagement), engagement)

    def post(self, request, pk=None):
        engagement = self.engagement()
        form = self.form(engagement, request.POST)
        if form.is_valid():
            data = form_data(form)
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
        return form_page(
            self.request,
            form,
            heading=self.heading,
            cancel_url=self.detail_url(),
            back=self.engagement,
            multipart=self.multipart,
        )

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
        return services.participant_add(
            engagement=self.engagement, actor=self.request.user, data=form_data(form)
        )


class AttachmentCreateView(EngagementChildView):
    heading = _("Attach a file")
    multipart = True
    success_message = _("The file is attached.")

    def build_form(self, data=None, files=None):
        return AttachmentForm(data, files, lsgs=self.engagement.lsgs.all())

    def perform(self, form):
        return services.attachment_add(
            engagement=self.engagement,
            actor=self.request.user,
            upload=form.cleaned_data["file"],
            lsg=form.cleaned_data.get("lsg"),
        )


class FollowUpCreateView(EngagementChildView):
    heading = _("Add a follow-up")
    success_message = _("The follow-up is added.")

    def build_form(self, data=None, files=None):
        return FollowUpForm(data, lsgs=self.engagement.lsgs.all())

    def perform(self, form):
        return services.follow_up_add(
            engagement=self.engagement, actor=self.request.user, data=form_data(form)
        )


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
            engagement=self.engagement, actor=self.request.user, data=form_data(form)
        )


class AttachmentDownloadView(LoginRequiredMixin, View):
    """The file, only to those who see its engagement; always a download, never shown inline."""

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.download_name,
            content_type="application/octet-stream",
        )


class EngagementDocumentsView(DocumentListView):
    """The engagement's PDFs: reporting's one documents page (reporting.document_kinds)."""

    kind = "engagement"


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


class RecommendationTransitionView(TransitionView):
    """POST a move (with its note); a refused move goes back with the reason as a message."""

    lifecycle = RECOMMENDATION_LIFECYCLE

    def get_object(self) -> Recommendation:
        rows = Recommendation.objects.visible_to(self.request.user).select_related("engagement")
        return get_object_or_404(rows, pk=self.kwargs["pk"])

    def success_url(self, recommendation: Recommendation) -> str:
        return reverse("stakeholders:recommendation-detail", args=[recommendation.pk])

    def perform(self, recommendation: Recommendation, to: str, data: dict[str, Any]) -> None:
        lifecycle.recommendation_transition(
            recommendation=recommendation, to=to, actor=self.request.user, note=data["note"]
        )


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
        return form_page(
            self.request,
            form,
            heading=_("New policy document"),
            cancel_url=reverse("stakeholders:policy-list", args=[self.lsg.pk]),
        )

    def get(self, request, lsg_pk):
        return self.page(PolicyDocumentForm(instance=PolicyDocument(lsg=self.lsg)))

    def post(self, request, lsg_pk):
        form = PolicyDocumentForm(request.POST, instance=PolicyDocument(lsg=self.lsg))
        if form.is_valid():
            try:
                document = services.policy_document_save(
                    lsg=self.lsg, actor=request.user, data=form_data(form)
                )
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
                services.lap_measure_add(document=document, actor=request.user, data=form_data(form))
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The measure is added."))
                return HttpResponseRedirect(reverse("stakeholders:policy-detail", args=[document.pk]))
        return self.page(document, form)
