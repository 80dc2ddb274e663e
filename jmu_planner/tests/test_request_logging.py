"""Logs say which request and which user did what."""

import logging

import pytest
from django.test import RequestFactory

from jmu_planner.request_logging import RequestContextFilter, RequestContextMiddleware
from stakeholders.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_log_line_written_during_a_request_names_the_request_and_the_user(caplog):
    user = UserFactory()
    records = []

    def view(request):
        logging.getLogger("plans.services").warning("plan saved")
        records.extend(caplog.records)
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = RequestFactory().post("/plans/1/edit/", HTTP_X_REQUEST_ID="abc12345-proxy")
    request.user = user
    caplog.handler.addFilter(RequestContextFilter())
    response = RequestContextMiddleware(view)(request)
    record = next(r for r in records if r.getMessage() == "plan saved")
    assert (record.request_id, record.user_id) == ("abc12345-proxy", str(user.pk))
    assert response["X-Request-ID"] == "abc12345-proxy"

    # A header that is not a sane token is replaced; outside a request both read "-".
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="bad id\nInjected: yes")
    response = RequestContextMiddleware(lambda r: view(r))(request)
    assert len(response["X-Request-ID"]) == 32 and "\n" not in response["X-Request-ID"]
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    RequestContextFilter().filter(outside)
    assert (outside.request_id, outside.user_id) == ("-", "-")


def test_the_console_format_carries_request_and_user(settings):
    assert "[req=%(request_id)s user=%(user_id)s]" in settings.LOGGING["formatters"]["request"]["format"]
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["request"]
