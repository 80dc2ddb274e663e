"""Pages of the review workflow: transitions, adoption, amendments, comments, versions, queue."""

from __future__ import annotations

import os
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView

from jmu_planner import access
from jmu_planner.forms import attach_errors
from jmu_planner.generic_views import TransitionView
from jmu_planner.numbers import parse_id
from jmu_planner.uploads import held_upload, hold_upload, release_upload
from plans import comments, history, selectors
from plans.filters import ReviewQueueFilter
from plans.forms import AdoptionForm, ReplyForm, ThreadForm, TransitionForm
from plans.lifecycle import PLAN_LIFECYCLE, missing_for_submission, plan_adopt, plan_amend, plan_transition
from plans.models import CommentThread, Indicator, Measure, OperationalPlan

Status = OperationalPlan.Status


def visible_plan(request, pk: int) -> OperationalPlan:
    plans = OperationalPlan.objects.visible_to(request.user).select_related("jmu__lsg")
    return get_object_or_404(plans, pk=pk)


def plan_url(plan: OperationalPlan, anchor: str = "") -> str:
    return reverse("plans:plan-detail", args=[plan.pk]) + (f"#{anchor}" if anchor else "")


class PlanTransitionView(TransitionView):
    """Submit, request changes, approve: a confirmation page with a note, then the move."""

    lifecycle = PLAN_LIFECYCLE
    form_class = TransitionForm
    template_name = "plans/plan_transition.html"
    success_message = gettext_lazy("The plan is now: %(status)s.")
    targets_elsewhere = frozenset({Status.ADOPTED})  # adoption has its own page

    def get_object(self) -> OperationalPlan:
        return visible_plan(self.request, self.kwargs["pk"])

    def success_url(self, plan: OperationalPlan) -> str:
        return plan_url(plan)

    def extra_context(self, plan: OperationalPlan, to: str) -> dict[str, Any]:
        open_threads = plan.threads.filter(resolved_at__isnull=True).count()
        missing = missing_for_submission(plan) if to == Status.SUBMITTED else []
        return {"plan": plan, "open_threads": open_threads, "missing": missing}

    def perform(self, plan: OperationalPlan, to: str, data: dict[str, Any]) -> None:
        plan_transition(
            plan=plan,
            to=to,
            actor=self.request.user,
            note=data["note"],
            confirm_open_threads=data["confirm_open_threads"],
        )


class PlanAdoptView(LoginRequiredMixin, View):
    template_name = "plans/plan_adopt.html"

    @cached_property
    def plan(self) -> OperationalPlan:
        plan = visible_plan(self.request, self.kwargs["pk"])
        access.require(self.request.user, "plans.adopt_plan", plan)
        return plan

    def get(self, request, pk):
        return render(request, self.template_name, {"plan": self.plan, "form": AdoptionForm()})

    def post(self, request, pk):
        token = request.POST.get("held_file") or None
        held = held_upload(request, token)
        if held is None:
            token = None
        form = AdoptionForm(request.POST, request.FILES, held_name=held.name if held else None)
        if form.is_valid():
            data = form.cleaned_data
            chosen = data["adoption_file"]
            try:
                plan_adopt(
                    plan=self.plan,
                    actor=request.user,
                    body=data["adopting_body"],
                    number=data["adoption_number"],
                    date=data["adoption_date"],
                    file=chosen or held,
                    signatory_name=data["signatory_name"],
                    signatory_function=data["signatory_function"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                if held is not None:
                    held.close()
                    release_upload(request, token)
                messages.success(request, _("The adoption is recorded; this version is now frozen."))
                return HttpResponseRedirect(plan_url(self.plan))
        # Refused: a newly chosen file that passed its own checks is kept for the next try (and
        # replaces the one kept before); a refused new file drops the kept one too.
        chosen = request.FILES.get("adoption_file")
        file_ok = "adoption_file" not in form.errors
        if held is not None:
            held.close()
        if chosen is not None or not file_ok:
            release_upload(request, token)
            token = hold_upload(request, chosen) if chosen is not None and file_ok else None
            name = chosen.name if token else None
        else:
            name = held.name if held is not None else None
        form.keep_upload(token, os.path.basename(name) if name else None)
        return render(request, self.template_name, {"plan": self.plan, "form": form})


class PlanDecisionView(LoginRequiredMixin, View):
    """The scanned adoption decision, for those who may see the plan."""

    def get(self, request, pk):
        plan = visible_plan(request, pk)
        if not plan.adoption_file:
            raise Http404
        # Streamed from storage; our own file name (not the stored one), and the type is fixed:
        # with nosniff a browser never treats it as anything but a PDF.
        name = slugify(f"decision-{plan.jmu.lsg.name_lat}-v{plan.version}") or "decision"
        return FileResponse(
            plan.adoption_file.open("rb"), filename=f"{name}.pdf", content_type="application/pdf"
        )


class PlanAmendView(LoginRequiredMixin, View):
    def post(self, request, pk):
        plan = visible_plan(request, pk)
        try:
            amendment = plan_amend(plan=plan, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(plan_url(plan))
        messages.success(
            request,
            _("Version %(version)s started as a draft; version %(old)s stays in force until it is adopted.")
            % {"version": amendment.version, "old": plan.version},
        )
        return HttpResponseRedirect(plan_url(amendment))


class ThreadCreateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        plan = visible_plan(request, pk)
        access.require(request.user, "plans.comment_plan", plan)
        subjects = [("", "")] + [(f"m{m.pk}", "") for m in plan.measures.all()]
        subjects += [(f"i{i.pk}", "") for i in Indicator.objects.filter(measure__plan=plan)]
        form = ThreadForm(request.POST, subjects=subjects)
        if not form.is_valid():
            messages.error(request, _("Write a comment."))
            return HttpResponseRedirect(plan_url(plan, "comments"))
        subject = form.cleaned_data["subject"] or ""
        measure = indicator = None
        if subject.startswith("m"):
            measure = get_object_or_404(Measure, pk=subject[1:], plan=plan)
        elif subject.startswith("i"):
            indicator = get_object_or_404(
                Indicator.objects.select_related("measure"), pk=subject[1:], measure__plan=plan
            )
        thread = comments.thread_start(
            plan=plan,
            actor=request.user,
            body=form.cleaned_data["body"],
            measure=measure,
            indicator=indicator,
        )
        messages.success(request, _("Comment added."))
        return HttpResponseRedirect(plan_url(plan, f"thread-{thread.pk}"))


class ThreadActionView(LoginRequiredMixin, View):
    """Reply to, resolve or reopen a thread of a plan the user may see and comment on."""

    def post(self, request, pk, action):
        threads = CommentThread.objects.select_related("plan__jmu__lsg")
        thread = get_object_or_404(
            threads.filter(plan__in=OperationalPlan.objects.visible_to(request.user)), pk=pk
        )
        access.require(request.user, "plans.comment_plan", thread.plan)
        if action == "reply":
            form = ReplyForm(request.POST)
            if form.is_valid():
                comments.thread_reply(thread=thread, actor=request.user, body=form.cleaned_data["body"])
            else:
                messages.error(request, _("Write a reply."))
        elif action == "resolve":
            comments.thread_resolve(thread=thread, actor=request.user)
        elif action == "reopen":
            comments.thread_reopen(thread=thread, actor=request.user)
        else:
            raise Http404
        return HttpResponseRedirect(plan_url(thread.plan, f"thread-{thread.pk}"))


class PlanCompareView(LoginRequiredMixin, TemplateView):
    """Two versions (or any two plans the user may see) side by side."""

    template_name = "plans/plan_compare.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = visible_plan(self.request, self.kwargs["pk"])
        other_pk = parse_id(self.request.GET.get("with"))
        if other_pk is not None:
            other = visible_plan(self.request, other_pk)
        elif plan.amends_id:
            other = visible_plan(self.request, plan.amends_id)
        else:
            raise Http404
        old, new = sorted([plan, other], key=lambda p: (p.period_start, p.version, p.pk))
        context["comparison"] = history.compare_plans(old, new)
        return context


class MeasureHistoryView(LoginRequiredMixin, TemplateView):
    template_name = "plans/measure_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        measures = Measure.objects.visible_to(self.request.user).select_related("plan__jmu__lsg", "area")
        measure = get_object_or_404(measures, pk=self.kwargs["pk"])
        context.update(measure=measure, plan=measure.plan, entries=history.measure_history(measure))
        return context


class ReviewQueueView(LoginRequiredMixin, FilterView):
    template_name = "plans/review_queue.html"
    filterset_class = ReviewQueueFilter
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            access.require(request.user, "plans.review_plans")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[OperationalPlan]:
        return selectors.review_queue(user=self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if not kwargs["data"]:
            kwargs["data"] = {"status": Status.SUBMITTED}  # what waits for an officer
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        for plan in context["object_list"]:
            plan.days_waiting = (now - plan.submitted_at).days if plan.submitted_at else None
        return context
