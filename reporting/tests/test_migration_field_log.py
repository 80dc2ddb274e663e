"""The field log's move from reports to the JMU and the day (migrations 0009-0011): lossless both
ways, history rows included; going back refuses to drop an entry that has no report to return to."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from reporting import services
from reporting.models import FieldActivity
from reporting.tests.worlds import YEAR

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("reporting", "0008_transitions_share_the_status_change_row")]
AFTER = [("reporting", "0011_field_activity_leaves_report")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_entries_move_to_the_jmu_and_back_without_loss(reference_data, plan, users, monthly):
    jan, feb = monthly(1), monthly(2)
    try:
        old = migrate(BEFORE)
        Activity = old.get_model("reporting", "FieldActivity")
        History = old.get_model("reporting", "HistoricalFieldActivity")
        first = Activity.objects.create(
            report_id=jan.pk,
            date=datetime.date(YEAR, 1, 5),
            male_0_17=3,
            households=2,
            note="Upis",
            created_by_id=users["member"].pk,
        )
        second = Activity.objects.create(report_id=feb.pk, date=datetime.date(YEAR, 2, 7), female_65=1)
        logged = timezone.now() - datetime.timedelta(days=40)
        History.objects.create(
            id=first.pk, report_id=jan.pk, date=first.date, history_date=logged, history_type="+", male_0_17=3
        )
        Activity.objects.get(pk=first.pk).areas.set(old.get_model("plans", "ThematicArea").objects.all()[:2])

        migrate(AFTER)
        moved = {a.pk: a for a in FieldActivity.objects.all()}
        assert {pk: (a.jmu_id, a.date) for pk, a in moved.items()} == {
            first.pk: (plan.jmu.pk, datetime.date(YEAR, 1, 5)),
            second.pk: (plan.jmu.pk, datetime.date(YEAR, 2, 7)),
        }
        assert (moved[first.pk].people, moved[first.pk].households, moved[first.pk].note) == (3, 2, "Upis")
        assert moved[first.pk].created_by == users["member"] and moved[first.pk].areas.count() == 2
        assert moved[first.pk].created_at == logged  # when it was first recorded
        assert moved[first.pk].client_id != moved[second.pk].client_id
        history = FieldActivity.history.get(id=first.pk)
        assert (history.jmu_id, history.client_id) == (plan.jmu.pk, moved[first.pk].client_id)

        old = migrate(BEFORE)
        back = old.get_model("reporting", "FieldActivity").objects.all()
        assert {(a.pk, a.report_id) for a in back} == {(first.pk, jan.pk), (second.pk, feb.pk)}

        migrate(AFTER)
        services.activity_save(jmu=plan.jmu, actor=users["member"], data={"date": datetime.date(YEAR, 5, 5)})
        with pytest.raises(RuntimeError, match="no monthly report to go back to"):
            migrate(BEFORE)
    finally:
        migrate(AFTER)
