from django.urls import path

from reporting import export_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report-list"),
    path("new/", views.ReportCreateView.as_view(), name="report-create"),
    path("overdue/", views.OverdueView.as_view(), name="overdue"),
    path("exports/", export_views.ExportListView.as_view(), name="exports"),
    path(
        "exports/<slug:dataset>.<str:fmt>", export_views.ExportDownloadView.as_view(), name="export-download"
    ),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("<int:pk>/values/", views.IndicatorValuesView.as_view(), name="report-values"),
    path("<int:pk>/spending/", views.SpendingView.as_view(), name="report-spending"),
    path("<int:pk>/narrative/", views.NarrativeView.as_view(), name="report-narrative"),
    path("<int:pk>/move/<str:to>/", views.ReportTransitionView.as_view(), name="report-transition"),
    path("<int:pk>/export.xlsx", views.ReportExportView.as_view(), name="report-export"),
    path("field-log/", views.FieldLogView.as_view(), name="field-log"),
    path("field-log/new/", views.ActivityCreateView.as_view(), name="activity-create"),
    path("field-log/sync/", views.FieldLogSyncView.as_view(), name="field-log-sync"),
    path("field-log/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity-update"),
    path("field-log/<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="activity-delete"),
    path("documents/<str:kind>/<int:pk>/", views.DocumentListView.as_view(), name="documents"),
    path("documents/<str:kind>/<int:pk>/print/", views.PrintPreviewView.as_view(), name="print-preview"),
    path("documents/<str:kind>/<int:pk>/word/", views.DocumentWordView.as_view(), name="document-word"),
    path("publication/<str:kind>/<int:pk>/", views.PublicationView.as_view(), name="publication"),
    path("documents/<int:pk>/retry/", views.DocumentRetryView.as_view(), name="document-retry"),
    path("documents/<int:pk>/download/", views.DocumentDownloadView.as_view(), name="document-download"),
]
