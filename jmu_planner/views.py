"""Project-wide views and the view mixins the apps share."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django.views.i18n import set_language as django_set_language

from jmu_planner import i18n
from reporting.dashboard import home_page
from stakeholders.services import user_set_language


class HomeView(LoginRequiredMixin, TemplateView):
    """Each role's next tasks first (reporting.dashboard.home_page)."""

    template_name = "home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["home"] = home_page(user=self.request.user)
        return context


# Outside ATOMIC_REQUESTS: the transaction would connect before the view could catch the failure.
@transaction.non_atomic_requests
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language menu: Django's set_language (cookie, safe redirect back), and the choice saved
    on the profile when signed in, or kept in the session until the user signs in."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if language in i18n.LANGUAGE_CODES:
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
        else:
            request.session[i18n.CHOSEN_SESSION_KEY] = language
    return response
