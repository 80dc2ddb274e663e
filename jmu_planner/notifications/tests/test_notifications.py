"""Notifications: stored as events, rendered per reader, delivered at least once, never lost."""

from __future__ import annotations

import smtplib

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.urls import reverse
from django.utils import translation

from jmu_planner.notifications import tasks
from jmu_planner.notifications.events import bilingual, subject_line
from jmu_planner.notifications.models import Notification
from jmu_planner.notifications.services import notify
from stakeholders.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARAMS = {"plan": "Operativni plan 2027", "lsg": bilingual("Čačak", "Чачак"), "who": "Ana", "note": ""}


def submitted(users, **kwargs):
    return notify(users=users, event="plan.submitted", params=PARAMS, url="/plans/1/", **kwargs)


def test_the_text_is_rendered_when_shown_in_the_readers_script():
    (row,) = submitted([UserFactory()])
    with translation.override("en"):
        assert row.text == "Čačak submitted “Operativni plan 2027” for review."
    with translation.override("sr"):
        assert "Чачак" in row.text and "Čačak" not in row.text


@pytest.fixture
def eager():
    """Tasks run in the test: on Celery's configuration itself, which the setting no longer
    reaches once another test has read it."""
    from jmu_planner.celery import app

    was, app.conf.task_always_eager = app.conf.task_always_eager, True
    yield
    app.conf.task_always_eager = was


def test_each_recipient_is_mailed_in_their_own_language(django_capture_on_commit_callbacks, eager):
    latin, cyrillic = UserFactory(language="sr-latn"), UserFactory(language="sr")
    with django_capture_on_commit_callbacks(execute=True):
        submitted([latin, cyrillic])
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Čačak" in bodies[latin.email] and "Чачак" in bodies[cyrillic.email]
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_a_subject_is_one_line():
    assert subject_line("Vraćeno:\nispravite\r\n tabelu") == "Vraćeno: ispravite tabelu"
    assert len(subject_line("x" * 500)) == 100


def test_an_smtp_failure_is_recorded_and_the_sweep_delivers_later(monkeypatch):
    user = UserFactory()
    (row,) = submitted([user])

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("server went away")

    monkeypatch.setattr("jmu_planner.notifications.delivery.send_mail", refuse)
    with pytest.raises(Retry):  # the task asks Celery to try again, with backoff
        tasks.send_notification_emails.apply(args=[[row.pk]])
    row.refresh_from_db()
    assert row.emailed_at is None and row.email_attempts >= 1 and "server went away" in row.email_error
    assert row.delivery == "failing"

    monkeypatch.undo()
    assert tasks.send_pending_notification_emails() == 1
    row.refresh_from_db()
    assert row.emailed_at is not None and row.email_error == "" and mail.outbox[0].to == [user.email]
    assert tasks.send_pending_notification_emails() == 0  # sent once, not again


def test_a_broker_outage_leaves_the_mail_pending_for_the_sweep(
    monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise OSError("Redis is down")

    monkeypatch.setattr(tasks.send_notification_emails, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = submitted([UserFactory()])
    assert Notification.objects.pending_email().get() == row
    assert tasks.send_pending_notification_emails() == 1 and len(mail.outbox) == 1


def test_someone_without_an_address_is_not_pending_forever():
    (row,) = submitted([UserFactory(email="")])
    assert row.delivery == "none" and not Notification.objects.pending_email().exists()


def test_the_inbox_shows_undelivered_mail_and_is_the_owners_alone(client):
    owner, other = UserFactory(), UserFactory()
    (row,) = submitted([owner])
    Notification.objects.filter(pk=row.pk).update(email_attempts=2, email_error="SMTP down")
    client.force_login(owner)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Operativni plan 2027" in page and "e-mail not delivered yet" in page
    client.force_login(other)
    assert client.get(reverse("notifications:notification-open", args=[row.pk])).status_code == 404


def test_a_notification_never_redirects_off_site(client):
    user = UserFactory()
    (row,) = notify(users=[user], event="plan.submitted", params=PARAMS, url="https://evil.example/")
    client.force_login(user)
    response = client.get(reverse("notifications:notification-open", args=[row.pk]))
    assert response.url == reverse("notifications:inbox")


def test_unknown_events_are_refused_at_the_source():
    with pytest.raises(ValueError, match="Unknown"):
        notify(users=[UserFactory()], event="plan.vanished", params={})
