from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan-list"),
    path("new/", views.PlanCreateView.as_view(), name="plan-create"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("<int:pk>/edit/", views.PlanUpdateView.as_view(), name="plan-update"),
    path(
        "<int:pk>/communication/", views.PlanCommunicationView.as_view(), name="plan-communication"
    ),
    path("<int:pk>/copy/", views.PlanCopyView.as_view(), name="plan-copy"),
    path("<int:pk>/export.xlsx", views.PlanExportView.as_view(), name="plan-export"),
    path("<int:pk>/import/", views.PlanImportView.as_view(), name="plan-import"),
    path("<int:plan_pk>/measures/new/", views.MeasureCreateView.as_view(), name="measure-create"),
    path(
        "<int:plan_pk>/measures/row/<str:kind>/", views.MeasureRowView.as_view(), name="measure-row"
    ),
    path("measures/<int:pk>/edit/", views.MeasureUpdateView.as_view(), name="measure-update"),
    path("measures/<int:pk>/delete/", views.MeasureDeleteView.as_view(), name="measure-delete"),
    path("<int:plan_pk>/measures/move/", views.MeasureMoveView.as_view(), name="measure-move"),
]
