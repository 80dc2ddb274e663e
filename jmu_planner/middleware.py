"""Project-wide middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse

from jmu_planner.health import healthz


class PrivatePagesMiddleware:
    """Keep a logged-in user's pages out of every cache: shared proxies and the browser's history.

    A page shows one LSG's people and plans to one user; a shared computer's back button or a
    caching proxy must not show it to the next person. A response that sets its own
    Cache-Control (a download, a `never_cache` view) keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


class HealthCheckMiddleware:
    """Answer `/healthz/` before the session and user middleware run.

    A load balancer sends no cookie, but a person's browser does: the session and the user would
    then be read from the database before the view, and with the database down that is an HTML 500
    instead of the health check's JSON 503. So the check is answered here, ahead of them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info == reverse("healthz"):
            return healthz(request)
        return self.get_response(request)
