from django.urls import path

from plans import review_views, views

app_name = "plans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan-list"),
    path("new/", views.PlanCreateView.as_view(), name="plan-create"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("<int:pk>/edit/", views.PlanUpdateView.as_view(), name="plan-update"),
    path("<int:pk>/communication/", views.PlanCommunicationView.as_view(), name="plan-communication"),
    path("<int:pk>/envelopes/", views.PlanEnvelopesView.as_view(), name="plan-envelopes"),
    path("<int:pk>/copy/", views.PlanCopyView.as_view(), name="plan-copy"),
    path("<int:pk>/export.xlsx", views.PlanExportView.as_view(), name="plan-export"),
    path("<int:pk>/import/", views.PlanImportView.as_view(), name="plan-import"),
    path("<int:plan_pk>/measures/new/", views.MeasureCreateView.as_view(), name="measure-create"),
    path("<int:plan_pk>/measures/row/<str:kind>/", views.MeasureRowView.as_view(), name="measure-row"),
    path("measures/<int:pk>/edit/", views.MeasureUpdateView.as_view(), name="measure-update"),
    path("measures/<int:pk>/delete/", views.MeasureDeleteView.as_view(), name="measure-delete"),
    path("<int:plan_pk>/measures/move/", views.MeasureMoveView.as_view(), name="measure-move"),
    path("review/", review_views.ReviewQueueView.as_view(), name="review-queue"),
    path("<int:pk>/move/<str:to>/", review_views.PlanTransitionView.as_view(), name="plan-transition"),
    path("<int:pk>/adopt/", review_views.PlanAdoptView.as_view(), name="plan-adopt"),
    path("<int:pk>/decision.pdf", review_views.PlanDecisionView.as_view(), name="plan-decision"),
    path("<int:pk>/amend/", review_views.PlanAmendView.as_view(), name="plan-amend"),
    path("<int:pk>/compare/", review_views.PlanCompareView.as_view(), name="plan-compare"),
    path("<int:pk>/threads/new/", review_views.ThreadCreateView.as_view(), name="thread-create"),
    path(
        "threads/<int:pk>/<str:action>/",
        review_views.ThreadActionView.as_view(),
        name="thread-action",
    ),
    path(
        "measures/<int:pk>/history/",
        review_views.MeasureHistoryView.as_view(),
        name="measure-history",
    ),
]
