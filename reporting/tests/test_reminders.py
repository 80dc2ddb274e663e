import datetime
import threading

import pytest
from django.core import mail
from django.utils.formats import date_format

from jmu_planner.notifications.models import Notification
from jmu_planner.tests.threads import JOIN_TIMEOUT, run_and_join
from reporting.models import ReminderSent
from reporting.tasks import send_report_reminders
from reporting.tests.worlds import YEAR

pytestmark = pytest.mark.django_db


def texts(user):
    return sorted(n.text for n in Notification.objects.filter(recipient=user))


def test_reminder_three_days_before_and_when_overdue(plan, users, eager, django_capture_on_commit_callbacks):
    coordinator = users["coordinator"]
    # The March report is due on 10 April: reminded on 7 April...
    with django_capture_on_commit_callbacks(execute=True):
        send_report_reminders.delay(datetime.date(YEAR, 4, 7).isoformat())
    assert texts(coordinator) == [
        f"The monthly report 03/{YEAR} of {plan.jmu.lsg.name_lat} is due on {date_format(datetime.date(YEAR, 4, 10), 'SHORT_DATE_FORMAT')}."
    ]
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    # 8 April: January (due 10.02) and February (due 10.03) were missed; overdue reports are
    # reminded the day after, then weekly: 57 and 29 days late fall on that rhythm.
    Notification.objects.all().delete()
    send_report_reminders.delay(datetime.date(YEAR, 4, 8).isoformat())
    lsg = plan.jmu.lsg.name_lat
    assert texts(coordinator) == [
        f"The monthly report 01/{YEAR} of {lsg} is overdue since {date_format(datetime.date(YEAR, 2, 10), 'SHORT_DATE_FORMAT')}.",
        f"The monthly report 02/{YEAR} of {lsg} is overdue since {date_format(datetime.date(YEAR, 3, 10), 'SHORT_DATE_FORMAT')}.",
    ]
    Notification.objects.all().delete()
    send_report_reminders.delay(datetime.date(YEAR, 4, 9).isoformat())
    assert texts(coordinator) == []
    send_report_reminders.delay(datetime.date(YEAR, 4, 11).isoformat())
    assert (
        f"The monthly report 03/{YEAR} of {plan.jmu.lsg.name_lat} is overdue since {date_format(datetime.date(YEAR, 4, 10), 'SHORT_DATE_FORMAT')}."
        in texts(coordinator)
    )
    assert texts(users["expert"]) == [] and texts(users["other_coordinator"]) == []


def test_beat_runs_the_reminders_daily_at_a_fixed_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["report-reminders"]
    schedule = entry["schedule"]
    assert entry["task"] == send_report_reminders.name
    assert (schedule.hour, schedule.minute, len(schedule.day_of_week)) == ({7}, {0}, 7)


def run(day: datetime.date) -> int:
    return send_report_reminders.delay(day.isoformat()).get()


def test_running_twice_for_a_day_sends_each_reminder_once(
    plan, users, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert run(datetime.date(YEAR, 4, 8)) == 3  # March due soon, January and February overdue
    with django_capture_on_commit_callbacks(execute=True):
        assert run(datetime.date(YEAR, 4, 8)) == 0
    assert len(texts(users["coordinator"])) == 3 and len(mail.outbox) == 3
    assert ReminderSent.objects.count() == 3


def test_days_missed_are_caught_up_and_not_repeated(plan, users, eager):
    lsg = plan.jmu.lsg.name_lat
    short = lambda day: date_format(day, "SHORT_DATE_FORMAT")  # noqa: E731
    # The task ran on 5 April (nothing due), then not on 6-8 April: on the 9th the reminder of the
    # 7th (March, due 10 April) and the overdue ones of the 8th (January, February) are all sent.
    run(datetime.date(YEAR, 4, 5))
    assert texts(users["coordinator"]) == []
    assert run(datetime.date(YEAR, 4, 9)) == 3
    assert texts(users["coordinator"]) == [
        f"The monthly report 01/{YEAR} of {lsg} is overdue since {short(datetime.date(YEAR, 2, 10))}.",
        f"The monthly report 02/{YEAR} of {lsg} is overdue since {short(datetime.date(YEAR, 3, 10))}.",
        f"The monthly report 03/{YEAR} of {lsg} is due on {short(datetime.date(YEAR, 4, 10))}.",
    ]
    # Back on the 12th: only what fell due since (March overdue on the 11th, the first quarter's
    # report due on the 15th), nothing again.
    Notification.objects.all().delete()
    assert run(datetime.date(YEAR, 4, 12)) == 2
    assert texts(users["coordinator"]) == [
        f"The monthly report 03/{YEAR} of {lsg} is overdue since {short(datetime.date(YEAR, 4, 10))}.",
        f"The quarterly report Q1/{YEAR} of {lsg} is due on {short(datetime.date(YEAR, 4, 15))}.",
    ]
    # Away until the 30th: January's and February's weekly reminders of the 29th and the first
    # quarter's of the 30th are sent; March's of the 25th is older than the catch-up window
    # (3 days) and left to its next one, 2 May.
    Notification.objects.all().delete()
    assert run(datetime.date(YEAR, 4, 30)) == 3
    assert not any(f"report 03/{YEAR}" in text for text in texts(users["coordinator"]))


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(reference_data, plan, users):
    """Two workers run the task for the same day at the same moment (PostgreSQL): the unique
    record lets one of them send each reminder."""
    from django.db import connections

    barrier = threading.Barrier(2, timeout=JOIN_TIMEOUT)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(send_report_reminders(datetime.date(YEAR, 4, 8).isoformat()))
        finally:
            connections.close_all()

    run_and_join([threading.Thread(target=worker) for _ in range(2)])
    assert len(results) == 2 and sum(results) == 3
    assert len(texts(users["coordinator"])) == 3
