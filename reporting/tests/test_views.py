import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import Indicator
from reporting import services
from reporting.models import COUNT_FIELDS, FieldActivity, IndicatorValue, Report, Spending
from reporting.tests.worlds import YEAR

pytestmark = pytest.mark.django_db


def test_coordinator_creates_a_monthly_report_and_a_second_is_refused_at_the_field(client, users, plan):
    client.force_login(users["coordinator"])
    data = {"jmu": plan.jmu.pk, "kind": "monthly", "month": f"{YEAR}-03"}
    response = client.post(reverse("reporting:report-create"), data)
    report = Report.objects.get()
    assert response.url == reverse("reporting:report-detail", args=[report.pk])
    assert (report.period_start, report.due_date) == (datetime.date(YEAR, 3, 1), datetime.date(YEAR, 4, 10))
    response = client.post(reverse("reporting:report-create"), data)
    assert "already has a report" in str(response.context["form"].errors["month"])
    response = client.post(reverse("reporting:report-create"), data | {"month": f"{YEAR + 3}-01"})
    assert "No adopted plan" in str(response.context["form"].errors["month"])
    assert Report.objects.count() == 1


def test_member_logs_field_work_with_counts(client, users, plan, monthly):
    report = monthly(2)
    client.force_login(users["member"])
    response = client.post(
        reverse("reporting:activity-create"),
        {
            "jmu": report.jmu_id,
            "date": f"{YEAR}-02-11",
            "type": "field_visit",
            "settlement": plan.jmu.lsg.settlements.get().pk,
            "households": "5",
            "male_0_17": "3",
            "male_18_64": "1",
            "male_65": "0",
            "female_0_17": "4",
            "female_18_64": "2",
            "female_65": "1",
            "note": "Upis u vrtić",
        },
    )
    assert response.status_code == 302
    activity = FieldActivity.objects.get()
    assert (activity.people, activity.created_by) == (11, users["member"])
    page = client.get(reverse("reporting:report-detail", args=[report.pk]))
    assert page.context["page"].reach.people == 11


def test_negative_count_is_shown_at_the_field(client, users, monthly):
    report = monthly(2)
    client.force_login(users["member"])
    response = client.post(
        reverse("reporting:activity-create"),
        {
            "jmu": report.jmu_id,
            "date": f"{YEAR}-02-11",
            "type": "meeting",
            "households": "0",
            "male_0_17": "-3",
            "male_18_64": "0",
            "male_65": "0",
            "female_0_17": "0",
            "female_18_64": "0",
            "female_65": "0",
        },
    )
    assert response.status_code == 200 and "male_0_17" in response.context["form"].errors
    assert not FieldActivity.objects.exists()


def test_values_form_with_breakdown_errors_saves_nothing(client, users, plan, indicators, monthly):
    Indicator.objects.filter(pk=indicators["sum"].pk).update(breakdown="sex")
    report = monthly(2)
    client.force_login(users["coordinator"])
    url = reverse("reporting:report-values", args=[report.pk])
    ids = {k: i.pk for k, i in indicators.items()}
    data = {
        f"value_{ids['sum']}": "10",
        f"male_{ids['sum']}": "4",
        f"female_{ids['sum']}": "5",
        f"value_{ids['latest']}": "120",
        f"value_{ids['max']}": "3",
        f"value_{ids['avg']}": "2",
    }
    response = client.post(url, data)
    errors = response.context["form"].errors
    assert "100" in str(errors[f"value_{ids['latest']}"])
    data[f"value_{ids['latest']}"] = "40"
    response = client.post(url, data)
    assert "adds up to 9, not to the total 10" in str(response.context["form"].errors)
    assert not IndicatorValue.objects.exists()
    data[f"female_{ids['sum']}"] = "6"
    assert client.post(url, data).status_code == 302
    assert IndicatorValue.objects.count() == 4


def test_spending_form_and_execution(client, users, plan, monthly):
    report = monthly(2)
    lines = list(plan.measures.get().budget_lines.order_by("pk"))
    client.force_login(users["coordinator"])
    response = client.post(
        reverse("reporting:report-spending", args=[report.pk]),
        {f"line_{lines[0].pk}": "-1", f"line_{lines[1].pk}": "600"},
    )
    assert response.status_code == 200 and not Spending.objects.exists()
    client.post(
        reverse("reporting:report-spending", args=[report.pk]),
        {f"line_{lines[0].pk}": "", f"line_{lines[1].pk}": "600"},
    )
    page = client.get(reverse("reporting:report-detail", args=[report.pk])).content.decode()
    assert "Overspent" in page and "600.00" in page


def test_returned_report_shows_the_note_and_accepted_one_is_frozen(client, users, plan, indicators, monthly):
    report = monthly(1)
    for indicator in indicators.values():
        IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(1))
    client.force_login(users["coordinator"])
    client.post(reverse("reporting:report-transition", args=[report.pk, "submitted"]), {"note": ""})
    client.force_login(users["officer"])
    client.post(
        reverse("reporting:report-transition", args=[report.pk, "returned"]), {"note": "Dopunite narativ."}
    )
    client.force_login(users["coordinator"])
    assert (
        "Dopunite narativ."
        in client.get(reverse("reporting:report-detail", args=[report.pk])).content.decode()
    )
    client.post(reverse("reporting:report-transition", args=[report.pk, "submitted"]), {"note": ""})
    client.force_login(users["officer"])
    client.post(reverse("reporting:report-transition", args=[report.pk, "accepted"]), {"note": ""})
    client.force_login(users["coordinator"])
    for name in ["report-values", "report-spending", "report-narrative"]:
        response = client.get(reverse(f"reporting:{name}", args=[report.pk]))
        assert response.status_code == 403 and "can no longer be changed" in response.content.decode()
    response = client.post(
        reverse("reporting:activity-create"),
        {
            "jmu": report.jmu_id,
            "date": f"{YEAR}-01-11",
            "type": "meeting",
            "households": "0",
            **dict.fromkeys(COUNT_FIELDS, "0"),
        },
    )
    assert "has been accepted: its field log is closed" in str(response.context["form"].errors["date"])


def test_export_suppresses_counts_below_five(client, users, plan, monthly):
    report = monthly(2)
    services.activity_save(
        jmu=report.jmu,
        actor=users["member"],
        data={"date": datetime.date(YEAR, 2, 3), "male_0_17": 3, "female_0_17": 7, "households": 2},
    )
    client.force_login(users["officer"])
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("reporting:report-export", args=[report.pk])).content)
    ).active
    values = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2, max_row=9)}
    # 10 people with 3 boys hidden: 7 shown + 1 … 7 + 4 = "8–11", not 10 (10 − 7 = 3).
    assert values["People reached"] == "8–11" and values["Households visited"] == "<5"
    assert values["men/boys, 0-17"] == "<5" and values["women/girls, 0-17"] == 7  # a number stays a number


def test_report_page_query_count_is_constant(
    client, users, plan, indicators, monthly, django_assert_num_queries
):
    """1 session + 1 user + 1 roles, 1 report with JMU/LSG/plan, 1 the month's activities with
    settlement and author + 1 members + 1 areas + 1 measures (prefetches), 1 months counted, 1 the plan's measures with areas,
    1 roll-up aggregate + 1 latest values (window) + 1 months left empty on purpose + 1 the plan's
    indicators, 1 spending aggregate + 1 budget lines, 1 people-reached aggregate, 1 status changes
    = 18 (the "missing" notice is read off the roll-up), + SAVEPOINT/RELEASE = 20;
    the same with 1 or 12 activities and with or without values."""
    report = monthly(3)
    client.force_login(users["coordinator"])
    url = reverse("reporting:report-detail", args=[report.pk])

    def add(n):
        for i in range(n):
            activity = services.activity_save(
                jmu=report.jmu,
                actor=users["member"],
                data={"date": datetime.date(YEAR, 3, 1 + i), "male_0_17": 2},
            )
            activity.members.set(plan.jmu.memberships.all())

    add(1)
    with django_assert_num_queries(20):
        client.get(url)
    add(11)
    for indicator in indicators.values():
        IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(2))
    with django_assert_num_queries(20):
        response = client.get(url)
    assert len(response.context["page"].activities) == 12
