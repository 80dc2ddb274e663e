"""The shared XLSX writer: formula-safe text, money as Decimal with two decimals, one download."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from jmu_planner.spreadsheets import (
    MONEY_FORMAT,
    XLSX_CONTENT_TYPE,
    append_row,
    check_xlsx_archive,
    money,
    safe_text,
    unsafe_text,
    workbook_bytes,
    xlsx_response,
)


def test_text_that_a_spreadsheet_would_run_is_written_as_text():
    for formula in ["=1+1", "+381 11", "-2", "@SUM(A1)", "\tx", "\rx"]:
        assert safe_text(formula) == "'" + formula and unsafe_text(safe_text(formula)) == formula
    assert safe_text("Niš") == "Niš" and unsafe_text("'quoted") == "'quoted"


def test_money_is_a_decimal_to_the_cent_never_a_float():
    assert money("240000.5") == Decimal("240000.50") and isinstance(money(1), Decimal)
    assert money(None) is None and money("") is None


def test_append_row_makes_text_safe_and_formats_money():
    book = Workbook()
    sheet = book.active
    append_row(sheet, ['=HYPERLINK("http://evil")', Decimal("1234567.8"), 3, None], money_columns=[1, 3])
    a, b, c, d = sheet[1]
    assert a.value == '\'=HYPERLINK("http://evil")' and a.data_type == "s"
    assert (
        b.value == Decimal("1234567.80") and isinstance(b.value, Decimal) and b.number_format == MONEY_FORMAT
    )
    assert c.value == 3 and c.number_format == "General"
    assert d.value is None
    written = load_workbook(io.BytesIO(workbook_bytes(book))).active
    assert written["B1"].value == 1234567.8 and written["B1"].number_format == MONEY_FORMAT
    assert all(cell.data_type != "f" for cell in written[1])


def test_xlsx_response_is_a_named_attachment():
    book = Workbook()
    response = xlsx_response(book, filename='Šabac "plan" 2027/../x.xlsx')
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="sabac-plan-2027x.xlsx"'
    assert zipfile.is_zipfile(io.BytesIO(response.content))


def test_the_archive_check_leaves_a_good_file_at_its_start():
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("plan.xlsx", workbook_bytes(Workbook()))
    upload.read(3)
    check_xlsx_archive(upload, max_bytes=1024 * 1024)
    assert upload.tell() == 0


@pytest.mark.django_db
def test_the_plan_export_writes_amounts_with_two_decimals(reference_data):
    from plans import selectors
    from plans.spreadsheets import plan_to_xlsx
    from plans.tests.factories import BudgetLineFactory, MeasureFactory, PlanFactory

    plan = PlanFactory()
    BudgetLineFactory(measure=MeasureFactory(plan=plan), amount=Decimal("240000.50"))
    content = plan_to_xlsx(plan, selectors.measures_with_details(plan))
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<v>240000.5</v>" in sheet_xml
    cell = load_workbook(io.BytesIO(content)).active["M4"]
    assert cell.value == 240000.5 and cell.number_format == MONEY_FORMAT
