from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from jmu_planner import pwa
from jmu_planner.forms import AdminLoginForm, LoginForm
from jmu_planner.health import healthz
from jmu_planner.views import HomeView, set_language

admin.site.site_header = _("JMU Planner administration")
admin.site.site_title = _("JMU Planner")
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The language menu; the name is Django's, the view also saves the choice on the profile.
    path("i18n/setlang/", set_language, name="set_language"),
    path("registry/", include("stakeholders.urls")),
    path("plans/", include("plans.urls")),
    path("reports/", include("reporting.urls")),
    path("dashboard/", include("reporting.dashboard_urls")),
    # Published plans and annual reports, with no log-in (reporting.public_views).
    path("public/", include("reporting.public_urls")),
    path("inbox/", include("jmu_planner.notifications.urls")),
    path("api/", include("jmu_planner.api.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    # The installable web app: the worker at the root, so that its scope covers every page.
    path("sw.js", pwa.service_worker, name="pwa-service-worker"),
    path("manifest.webmanifest", pwa.manifest, name="pwa-manifest"),
    path("offline/", pwa.offline, name="pwa-offline"),
]
