"""Where each role starts: the programme dashboard, the review queue for reports, the LSG profile.

The home page (jmu_planner.views.HomeView) reads reporting.dashboard.home_page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.utils import timezone
from django.views.generic import TemplateView
from django_filters.views import FilterView

from jmu_planner import access
from reporting import dashboard
from reporting.dashboard_forms import DashboardFilterForm, ReportReviewFilter
from reporting.models import Report


class DashboardView(LoginRequiredMixin, TemplateView):
    """Officers see the programme; everyone else the same page for their own LSGs."""

    template_name = "dashboard/programme.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        years = dashboard.dashboard_years(user=user)
        this_year = dashboard.local_today().year
        default_year = this_year if this_year in years else years[0]
        data = self.request.GET.copy()
        data.setdefault("year", str(default_year))
        form = DashboardFilterForm(data, user=user, years=years)
        # A tampered filter (another LSG's id, an unknown year) shows the form's error and no filter.
        chosen = form.cleaned_data if form.is_valid() else {"year": default_year}
        page = dashboard.cached_programme_dashboard(
            user=user,
            year=chosen["year"],
            district=chosen.get("district"),
            cohort=chosen.get("cohort"),
            lsg=chosen.get("lsg"),
        )
        context.update(form=form, page=page, charts=page.chart_data())
        return context


class ReportReviewQueueView(LoginRequiredMixin, FilterView):
    template_name = "dashboard/report_review_queue.html"
    filterset_class = ReportReviewFilter
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            access.require(request.user, "reporting.review_reports")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Report]:
        return dashboard.report_review_queue(user=self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if not kwargs["data"]:
            kwargs["data"] = {"status": Report.Status.SUBMITTED}  # what waits for an officer
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        for report in context["object_list"]:
            report.days_waiting = dashboard.days_waited(report.submitted_at, now)
        return context


class LSGProfileView(LoginRequiredMixin, TemplateView):
    template_name = "dashboard/lsg_profile.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page"] = dashboard.lsg_profile(user=self.request.user, pk=self.kwargs["pk"])
        return context
