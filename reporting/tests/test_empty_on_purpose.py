"""Monthly values left empty on purpose (issue 12): "not measured this month" or "no activity",
with a reason; shown as such, skipped in roll-ups, not blocking submission. Zero means zero."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting import lifecycle, selectors, services
from reporting.models import IndicatorValue, Report
from reporting.tests.worlds import YEAR

pytestmark = pytest.mark.django_db


def accept(report):
    Report.objects.filter(pk=report.pk).update(status=Report.Status.ACCEPTED)


def test_a_month_left_empty_on_purpose_is_entered_shown_and_does_not_block_submission(
    client, users, plan, indicators, monthly
):
    jan = monthly(1)
    ids = {k: i.pk for k, i in indicators.items()}
    client.force_login(users["coordinator"])
    url = reverse("reporting:report-values", args=[jan.pk])
    data = {
        f"value_{ids['sum']}": "0",  # zero means zero: reported, counted
        f"empty_{ids['latest']}": "not_measured",
        f"note_{ids['latest']}": "Škola zatvorena zbog raspusta",
        f"empty_{ids['max']}": "no_activity",
        f"value_{ids['avg']}": "4",
    }
    assert client.post(url, data).status_code == 302
    saved = {v.indicator_id: v for v in IndicatorValue.objects.filter(report=jan)}
    assert saved[ids["sum"]].value == 0 and not saved[ids["sum"]].empty_reason
    assert saved[ids["latest"]].value is None and saved[ids["latest"]].empty_reason == "not_measured"

    # A value and a reason together is a contradiction; neither clears the row.
    data[f"value_{ids['max']}"] = "3"
    response = client.post(url, data)
    assert "it is not empty" in str(response.context["form"].errors)

    # Submission is not blocked by the values left empty on purpose.
    assert lifecycle.missing_values(jan) == []
    lifecycle.report_transition(report=jan, to="submitted", actor=users["coordinator"])
    jan.refresh_from_db()
    assert jan.status == "submitted"

    page = client.get(reverse("reporting:report-detail", args=[jan.pk])).content.decode()
    assert "not reported — Not measured this month (Škola zatvorena zbog raspusta)" in page
    assert "not reported — No activity this month" in page


def test_the_quarterly_roll_up_skips_the_empty_months_and_counts_zeros(plan, indicators, monthly, users):
    values = {  # month → value per rule; None: left empty on purpose
        1: {"sum": "5", "latest": "40", "max": "7", "avg": "2"},
        2: {"sum": "0", "latest": "60", "max": None, "avg": None},
        3: {"sum": None, "latest": None, "max": "3", "avg": "4"},
    }
    for month, row in values.items():
        report = monthly(month)
        for rule, value in row.items():
            if value is None:
                IndicatorValue.objects.create(
                    report=report, indicator=indicators[rule], value=None, empty_reason="no_activity"
                )
            else:
                IndicatorValue.objects.create(report=report, indicator=indicators[rule], value=Decimal(value))
        accept(report)
    q1 = services.report_create(
        jmu=plan.jmu, kind="quarterly", day=datetime.date(YEAR, 1, 1), actor=users["coordinator"]
    )
    rows = {row.indicator.aggregation: row for row in selectors.rollup(q1)}
    # sum: 5 + 0 (March empty, skipped) = 5; latest: February's 60 (March empty);
    # max: 7 (February empty); avg: (2 + 4) / 2 = 3, not (2 + 0 + 4) / 3.
    assert {rule: row.value for rule, row in rows.items()} == {
        "sum": Decimal("5.00"),
        "latest": Decimal("60.00"),
        "max": Decimal("7.00"),
        "avg": Decimal("3.00"),
    }
    assert {rule: row.months for rule, row in rows.items()} == {"sum": 2, "latest": 2, "max": 2, "avg": 2}
    assert [(e.month, e.reason_label) for e in rows["sum"].empty_months] == [
        (datetime.date(YEAR, 3, 1), "No activity this month")
    ]


def test_the_quarterly_page_shows_what_was_not_reported_and_why(client, users, plan, indicators, monthly):
    for month in (1, 2, 3):
        report = monthly(month)
        if month == 1:
            IndicatorValue.objects.create(report=report, indicator=indicators["sum"], value=Decimal(2))
        if month == 2:
            IndicatorValue.objects.create(
                report=report,
                indicator=indicators["sum"],
                value=None,
                empty_reason="not_measured",
                empty_note="Bolovanje medijatorke",
            )
        accept(report)  # March: the month ran, but nothing was entered for it
    q1 = services.report_create(
        jmu=plan.jmu, kind="quarterly", day=datetime.date(YEAR, 1, 1), actor=users["coordinator"]
    )
    client.force_login(users["coordinator"])
    page = client.get(reverse("reporting:report-detail", args=[q1.pk])).content.decode()
    row = page.split("Upućeni NSZ")[1].split("</tr>")[0]
    assert "02/" in row and "Not measured this month (Bolovanje medijatorke)" in row
    assert "1 month without a value or a reason" in row
