import datetime

import pytest
from django.core import mail
from django.utils.formats import date_format

from jmu_planner.celery import app as celery_app
from jmu_planner.notifications.models import Notification
from reporting.tasks import send_report_reminders
from reporting.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


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


def test_beat_runs_the_reminders_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["report-reminders"]
    assert entry["task"] == send_report_reminders.name and entry["schedule"] == 86400
