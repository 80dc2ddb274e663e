from django.urls import path

from reporting import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.public_index, name="index"),
    path("<int:pk>/", public_views.public_lsg, name="lsg"),
    path("reports/<int:pk>/", public_views.public_report, name="report"),
    path("files/<str:kind>/<int:pk>/pdf/", public_views.public_pdf, name="pdf"),
    path("files/<str:kind>/<int:pk>/word/", public_views.public_word, name="word"),
    path("files/plan/<int:pk>/decision/", public_views.public_decision, name="decision"),
]
