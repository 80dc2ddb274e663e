from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from jmu_planner.views import HomeView, healthz

admin.site.site_header = _("JMU Planner administration")
admin.site.site_title = _("JMU Planner")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("registry/", include("stakeholders.urls")),
    path("plans/", include("plans.urls")),
    path("reports/", include("reporting.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]
