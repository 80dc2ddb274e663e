"""The report's XLSX: amounts as numbers with two decimals, a named attachment, no formulas."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from jmu_planner.spreadsheets import MONEY_FORMAT


def test_report_export_writes_amounts_with_two_decimals(client, users, plan, monthly):
    report = monthly(2)
    client.force_login(users["officer"])
    response = client.get(reverse("reporting:report-export", args=[report.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and disposition.endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    # The plan's two budget lines (1,000.00 and 500.00 planned), nothing spent yet.
    rows = [row for row in sheet.iter_rows() if row[1].number_format == MONEY_FORMAT]
    assert [tuple(c.value for c in r[1:4]) for r in rows] == [(1000, 0, 0), (500, 0, 0)]
    assert all(c.number_format == MONEY_FORMAT for r in rows for c in r[1:4])
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
