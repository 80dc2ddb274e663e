"""E-mail delivery with the database failing under it (real PostgreSQL backends terminated from
another connection): each person gets each notification's e-mail once, never twice."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from django.core import mail
from django.db import DatabaseError, connection, connections
from django.urls import reverse
from django.utils import timezone

from jmu_planner.notifications import delivery, tasks
from jmu_planner.notifications.models import Notification
from jmu_planner.notifications.services import notify
from stakeholders.tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the task runs as a worker does: autocommit
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="backends terminated in PostgreSQL"),
]
PARAMS = {"plan": "Operativni plan 2027", "lsg": "Čačak", "who": "Ana", "note": ""}


def terminate_my_backend() -> None:
    """Kill this test's database session from a second connection, as a restart or a failover does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0]
    finally:
        other.close()


def as_a_worker(task, *args) -> None:
    """Run a task as a Celery worker would: a failure is logged (and retried by Celery, which the
    caller repeats), and the connection is dropped afterwards if it broke."""
    try:
        with contextlib.suppress(DatabaseError):
            task.run(*args)
    finally:
        connection.close()


def test_a_backend_terminated_right_after_the_send_mails_each_recipient_once(monkeypatch):
    ana, bojan = UserFactory(), UserFactory()
    rows = notify(users=[ana, bojan], event="plan.submitted", params=PARAMS, url="/plans/1/")
    real_send = delivery.send_mail

    def send_then_lose_the_database(**kwargs):
        real_send(**kwargs)
        terminate_my_backend()  # the mark that follows meets a dead connection

    monkeypatch.setattr(delivery, "send_mail", send_then_lose_the_database)
    ids = [row.pk for row in rows]
    for _ in range(3):  # the task, and Celery's retries of it should it fail
        as_a_worker(tasks.send_notification_emails, ids)
    as_a_worker(tasks.send_pending_notification_emails)  # and the sweep
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ana.email, bojan.email])
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_a_send_interrupted_before_it_was_recorded_is_not_sent_again_and_the_inbox_says_so(client):
    user = UserFactory()
    (row,) = notify(users=[user], event="plan.submitted", params=PARAMS, url="/plans/1/")
    # A worker claimed the row and was killed during the SMTP conversation: whether the mail left
    # is unknown; sending again could mail the person twice.
    claimed = timezone.now() - delivery.EMAIL_CLAIM_STALE_AFTER - datetime.timedelta(minutes=1)
    Notification.objects.filter(pk=row.pk).update(email_claimed_at=claimed)
    assert tasks.send_pending_notification_emails() == 0
    assert tasks.send_notification_emails.run([row.pk]) == 0
    assert mail.outbox == []
    client.force_login(user)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "e-mail may not have been delivered" in page


def test_the_task_and_the_sweep_sending_one_row_at_the_same_moment_mail_it_once():
    """85 mails for 84 notifications under load: the task and the sweep both read the row as pending.
    Two senders in two threads (two connections), both past the read when they send."""
    import threading

    from django.db import connections

    (row,) = notify(users=[UserFactory()], event="plan.submitted", params=PARAMS, url="/plans/1/")
    both_read = threading.Barrier(2)

    def sender():
        try:
            rows = list(delivery.pending_emails([row.pk]))
            both_read.wait(timeout=30)
            for pending in rows:
                delivery.notification_email(pending)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert len(mail.outbox) == 1
