from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from jmu_planner.api import views

router = DefaultRouter()
router.register("lsgs", views.LSGViewSet, basename="lsg")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("figures", views.FiguresViewSet, basename="figures")

app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
