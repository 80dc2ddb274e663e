"""The XLSX import refuses, at once and with a message at the field, files that would hold a web
worker: too many rows or columns, a declared dimension of a million rows, zip bombs, non-zips."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from jmu_planner import spreadsheets as shared
from plans.models import Measure
from plans.spreadsheets import COLUMNS, MAX_IMPORT_ROWS, parse_plan_xlsx

SHEET = "xl/worksheets/sheet1.xml"
ROW = ["1. Education", "1.1", "Upis dece", "Deca", "dece", 1, 5, None, None, "02/2027", "new", None, None]


def upload(content: bytes, name: str = "plan.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def workbook(rows, *, header=COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Plan"])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(content: bytes, name: str, change) -> bytes:
    """The same workbook with one part's bytes replaced by change(old bytes)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, change(data) if info.filename == name else data)
    return out.getvalue()


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English (the site's default language is Serbian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def rows_read(monkeypatch):
    """How many rows openpyxl produced for the import: the work done is bounded by this count."""
    count = [0]
    original = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            count[0] += 1
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return count


@pytest.fixture
def parsed_never(monkeypatch):
    """Fail the test if openpyxl is asked to open the file at all."""

    def refuse(upload):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr("plans.spreadsheets.reading.load_xlsx", refuse)


def test_2000_measure_rows_are_read_and_2001_refused(plan, rows_read):
    """All rows of one measure (one indicator each): the rows are counted, not the measures."""
    preview = parse_plan_xlsx(upload(workbook([ROW] * MAX_IMPORT_ROWS)), plan)
    assert preview.file_error == "" and preview.ok
    assert len(preview.measures[0].values.indicators) == MAX_IMPORT_ROWS
    rows_read[0] = 0
    preview = parse_plan_xlsx(upload(workbook([ROW] * (MAX_IMPORT_ROWS + 1))), plan)
    assert "more than 2,000 rows" in preview.file_error
    assert not preview.ok and not preview.measures
    assert rows_read[0] == 3 + MAX_IMPORT_ROWS + 1  # title, blank, header, then stopped at the 2,001st


def test_a_declared_dimension_of_a_million_rows_is_not_believed(plan, rows_read):
    content = rewritten(
        workbook([ROW]),
        SHEET,
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
    )
    assert b"A1:XFD1048576" in zipfile.ZipFile(io.BytesIO(content)).read(SHEET)
    preview = parse_plan_xlsx(upload(content), plan)
    assert preview.ok and len(preview.measures) == 1
    assert rows_read[0] == 4  # the rows in the file, not 1,048,576 of them


def test_a_value_in_the_last_row_of_the_sheet_is_refused_after_a_bounded_read(plan, rows_read):
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    content = rewritten(workbook([ROW]), SHEET, lambda xml: xml.replace(b"</sheetData>", far))
    preview = parse_plan_xlsx(upload(content), plan)
    assert "past row 4,000" in preview.file_error and not preview.measures
    assert rows_read[0] == 2 * MAX_IMPORT_ROWS + 1


def test_a_42nd_column_is_refused(plan):
    preview = parse_plan_xlsx(upload(workbook([ROW + [None] * 28 + ["extra"]])), plan)
    assert "more than 41 columns" in preview.file_error and not preview.measures
    # A value far to the right is seen too, however many empty columns come between.
    preview = parse_plan_xlsx(upload(workbook([ROW + [None] * 200 + ["far"]])), plan)
    assert "more than 41 columns" in preview.file_error
    # Forty-one columns are fine.
    assert parse_plan_xlsx(upload(workbook([ROW + [None] * 27 + ["note"]])), plan).ok


def test_a_zip_bomb_is_refused_before_it_is_parsed(plan, parsed_never):
    bomb = rewritten(workbook([ROW]), SHEET, lambda xml: b"0" * (50 * 1024 * 1024))
    assert len(bomb) < 200_000  # 50 MB of zeros packs into some 50 KB
    preview = parse_plan_xlsx(upload(bomb), plan)
    assert "unpacks to more than 20 MB" in preview.file_error and not preview.measures


def test_a_part_packed_a_thousandfold_is_refused_even_under_the_size_cap(plan, parsed_never):
    bomb = rewritten(workbook([ROW]), SHEET, lambda xml: xml + b" " * (15 * 1024 * 1024))
    preview = parse_plan_xlsx(upload(bomb), plan)
    assert "packed suspiciously tightly" in preview.file_error


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a zip",
        b"PK\x03\x04 a broken zip",
        b"%PDF-1.4 a pdf named .xlsx",
    ],
)
def test_a_file_that_is_not_a_zip_is_refused(plan, content):
    preview = parse_plan_xlsx(upload(content), plan)
    assert "not an Excel workbook" in preview.file_error and not preview.measures


def test_a_sheet_with_broken_xml_is_refused_not_a_server_error(plan):
    content = rewritten(workbook([ROW]), SHEET, lambda xml: xml.replace(b"</sheetData>", b'<row r="9"><c'))
    preview = parse_plan_xlsx(upload(content), plan)
    assert "not an Excel workbook" in preview.file_error


def test_the_refusal_is_shown_at_the_field_and_nothing_is_imported(client, users, plan):
    client.force_login(users["coordinator"])
    url = reverse("plans:plan-import", args=[plan.pk])
    response = client.post(url, {"file": upload(workbook([ROW] * (MAX_IMPORT_ROWS + 1)))})
    assert response.status_code == 200
    # In the page's language (Serbian groups digits with a dot).
    assert re.search(r"2[.,]000", " ".join(response.context["form"].errors["file"]))
    assert not Measure.objects.filter(plan=plan).exists()
    assert f"plan-import-{plan.pk}" not in client.session  # nothing kept for a confirmation


def test_the_shared_reader_keeps_to_its_limits_on_any_sheet():
    from django.core.exceptions import ValidationError

    book = shared.load_xlsx(io.BytesIO(workbook([ROW] * 30)))
    try:
        rows = list(shared.sheet_rows(book.worksheets[0], max_columns=len(COLUMNS), last_row=100))
        assert len(rows) == 33 and rows[3][:3] == tuple(ROW[:3])
        with pytest.raises(ValidationError) as caught:
            list(shared.sheet_rows(book.worksheets[0], max_columns=len(COLUMNS), last_row=10))
        assert caught.value.code == "too_many_rows"
        with pytest.raises(ValidationError) as caught:
            list(shared.sheet_rows(book.worksheets[0], max_columns=5, last_row=100))
        assert caught.value.code == "too_many_columns"
    finally:
        book.close()
