"""Logs that say which request and which user did what.

`RequestContextMiddleware` (after authentication) gives each request an id (the proxy's
`X-Request-ID` when it is a sane token, else a new one), returns it in the `X-Request-ID` response
header (gunicorn's access log prints it: gunicorn.conf.py) and keeps it with the user's id in
context variables; `RequestContextFilter`, on the console handler, adds both to every record
logged while the request runs: `[req=3f9c… user=42]`. Outside a request (Celery, commands) both
read "-". A Celery task the request enqueues is logged by the worker with the task's id instead.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponseBase

request_id: ContextVar[str] = ContextVar("request_id", default="-")
user_id: ContextVar[str] = ContextVar("user_id", default="-")

_SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        given = request.headers.get("X-Request-ID", "")
        rid = given if _SANE.match(given) else uuid.uuid4().hex
        user = getattr(request, "user", None)
        uid = str(user.pk) if user is not None and user.is_authenticated else "-"
        tokens = request_id.set(rid), user_id.set(uid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(tokens[0])
            user_id.reset(tokens[1])
        response["X-Request-ID"] = rid
        return response


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.user_id = user_id.get()
        return True
