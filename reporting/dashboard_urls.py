from django.urls import path

from reporting import dashboard_views

app_name = "dashboard"

urlpatterns = [
    path("", dashboard_views.DashboardView.as_view(), name="programme"),
    path("review/reports/", dashboard_views.ReportReviewQueueView.as_view(), name="report-review-queue"),
    path("lsgs/<int:pk>/profile/", dashboard_views.LSGProfileView.as_view(), name="lsg-profile"),
]
