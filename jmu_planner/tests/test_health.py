"""The health check talks to the real database and, in the suite, the real Redis broker."""

import pytest
from django.conf import settings
from django.urls import reverse

from jmu_planner.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_suite_runs_against_postgresql_and_redis():
    # `make test` is the whole suite against real services, never the embedded default.
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.REDIS_URL.startswith("redis://")
    assert not celery_app.conf.task_always_eager


def test_healthz_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_healthz_reports_an_unreachable_broker_quickly(client, monkeypatch):
    import time

    from kombu import Connection

    # A connection to a port nobody listens on; the app's own configuration stays untouched.
    monkeypatch.setattr(celery_app, "connection_for_write", lambda: Connection("redis://127.0.0.1:1/0"))
    started = time.monotonic()
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"].startswith("unreachable")
    assert time.monotonic() - started < 15
