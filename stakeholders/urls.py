from django.urls import path

from stakeholders import map_views, views
from stakeholders.engagements import views as engagement_views
from stakeholders.experts import views as expert_views

app_name = "stakeholders"

urlpatterns = [
    path("lsgs/", views.LSGListView.as_view(), name="lsg-list"),
    path("map/", map_views.SettlementMapView.as_view(), name="settlement-map"),
    path("lsgs/<int:pk>/", views.LSGDetailView.as_view(), name="lsg-detail"),
    path("lsgs/<int:pk>/edit/", views.LSGUpdateView.as_view(), name="lsg-update"),
    path("lsgs/<int:pk>/coat-of-arms/", views.CoatOfArmsUpdateView.as_view(), name="lsg-coat-of-arms"),
    path("lsgs/<int:lsg_pk>/jmus/new/", views.JMUCreateView.as_view(), name="jmu-create"),
    path("jmus/<int:pk>/edit/", views.JMUUpdateView.as_view(), name="jmu-update"),
    path(
        "jmus/<int:jmu_pk>/members/new/",
        views.MembershipCreateView.as_view(),
        name="membership-create",
    ),
    path("memberships/<int:pk>/edit/", views.MembershipUpdateView.as_view(), name="membership-update"),
    path(
        "lsgs/<int:lsg_pk>/settlements/new/",
        views.SettlementCreateView.as_view(),
        name="settlement-create",
    ),
    path("settlements/<int:pk>/edit/", views.SettlementUpdateView.as_view(), name="settlement-update"),
    path(
        "lsgs/<int:lsg_pk>/institutions/new/",
        views.InstitutionCreateView.as_view(),
        name="institution-create",
    ),
    path(
        "institutions/<int:pk>/edit/",
        views.InstitutionUpdateView.as_view(),
        name="institution-update",
    ),
]

# The experts' work: engagements, recommendations, policy documents, time sheets, final reports.
urlpatterns += [
    path("engagements/", engagement_views.EngagementListView.as_view(), name="engagement-list"),
    path("engagements/new/", engagement_views.EngagementFormView.as_view(), name="engagement-create"),
    path("engagements/<int:pk>/", engagement_views.EngagementDetailView.as_view(), name="engagement-detail"),
    path(
        "engagements/<int:pk>/edit/", engagement_views.EngagementFormView.as_view(), name="engagement-update"
    ),
    path(
        "engagements/<int:pk>/participants/new/",
        engagement_views.ParticipantCreateView.as_view(),
        name="participant-create",
    ),
    path(
        "engagements/<int:pk>/attachments/new/",
        engagement_views.AttachmentCreateView.as_view(),
        name="attachment-create",
    ),
    path(
        "engagements/<int:pk>/follow-ups/new/",
        engagement_views.FollowUpCreateView.as_view(),
        name="follow-up-create",
    ),
    path(
        "engagements/<int:pk>/recommendations/new/",
        engagement_views.RecommendationCreateView.as_view(),
        name="recommendation-create",
    ),
    path(
        "engagements/<int:pk>/documents/",
        engagement_views.EngagementDocumentsView.as_view(),
        name="engagement-documents",
    ),
    path(
        "attachments/<int:pk>/", engagement_views.AttachmentDownloadView.as_view(), name="attachment-download"
    ),
    path(
        "recommendations/<int:pk>/",
        engagement_views.RecommendationDetailView.as_view(),
        name="recommendation-detail",
    ),
    path(
        "recommendations/<int:pk>/move/<str:to>/",
        engagement_views.RecommendationTransitionView.as_view(),
        name="recommendation-transition",
    ),
    path("lsgs/<int:lsg_pk>/policies/", engagement_views.PolicyListView.as_view(), name="policy-list"),
    path(
        "lsgs/<int:lsg_pk>/policies/new/", engagement_views.PolicyCreateView.as_view(), name="policy-create"
    ),
    path("policies/<int:pk>/", engagement_views.PolicyDetailView.as_view(), name="policy-detail"),
    path("expert-work/", expert_views.ExpertWorkView.as_view(), name="expert-work"),
    path(
        "contracts/<int:pk>/timesheets/new/",
        expert_views.TimeSheetCreateView.as_view(),
        name="timesheet-create",
    ),
    path("timesheets/<int:pk>/", expert_views.TimeSheetDetailView.as_view(), name="timesheet-detail"),
    path(
        "timesheets/rows/<int:pk>/edit/",
        expert_views.TimeSheetEntryUpdateView.as_view(),
        name="timesheet-entry-update",
    ),
    path(
        "timesheets/rows/<int:pk>/delete/",
        expert_views.TimeSheetEntryDeleteView.as_view(),
        name="timesheet-entry-delete",
    ),
    path(
        "timesheets/<int:pk>/move/<str:to>/",
        expert_views.TimeSheetTransitionView.as_view(),
        name="timesheet-transition",
    ),
    path("contracts/<int:pk>/final-report/", expert_views.FinalReportView.as_view(), name="final-report"),
    path(
        "final-reports/<int:pk>/move/<str:to>/",
        expert_views.FinalReportTransitionView.as_view(),
        name="final-report-transition",
    ),
    path(
        "final-reports/<int:pk>/documents/",
        expert_views.FinalReportDocumentsView.as_view(),
        name="final-report-documents",
    ),
]
