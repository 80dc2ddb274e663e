"""Spreadsheets in and out, for every app that exports or imports XLSX.

Out: text a spreadsheet program will not run as a formula, money as Decimal with two decimals,
one header style, one download response. In: an uploaded workbook is measured before openpyxl
parses it (file size, declared unpacked size, compression ratio), read in read-only mode, and its
rows are read by position with hard limits, never trusting the sheet's declared dimension.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill

from jmu_planner.script import for_reader

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
CENT = Decimal("0.01")

MEGABYTE = 1024 * 1024
MAX_UNPACKED_BYTES = 20 * MEGABYTE
# Real workbooks pack 5-30x (a sheet of repeated empty styled cells up to ~100x); a zip bomb
# of zeros packs about 1,000x. Only parts over 1 MB unpacked are judged by their ratio.
MAX_PACKING_RATIO = 200
RATIO_FROM_BYTES = MEGABYTE
MAX_ARCHIVE_MEMBERS = 500


# --- Writing ---------------------------------------------------------------------------------------


def safe_text(value: str) -> str:
    """Text that a spreadsheet will not run as a formula (OWASP CSV/formula injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def unsafe_text(value: str) -> str:
    """The text safe_text() was given, when a workbook we wrote comes back."""
    return value[1:] if value.startswith("'") and value[1:2] in FORMULA_STARTS else value


def money(value: Any) -> Decimal | None:
    """An amount for a cell: Decimal to the cent (never a float), or None."""
    if value is None or value == "":
        return None
    return Decimal(value).quantize(CENT)


def append_row(
    sheet, values: Sequence[Any], *, money_columns: Iterable[int] = (), as_typed: bool = False
) -> None:
    """Append a row: every string in the reader's script (jmu_planner.script) and made safe,
    amounts at `money_columns` (0-based) as Decimal shown with two decimals. `as_typed` keeps text
    as stored: a workbook that is read back (the plan matrix) must not rewrite what was typed."""

    def text(value: str) -> str:
        return safe_text(value if as_typed else for_reader(value))

    money_at = set(money_columns)
    row = [money(v) if i in money_at else text(v) if isinstance(v, str) else v for i, v in enumerate(values)]
    sheet.append(row)
    for index in money_at:
        if index < len(row) and row[index] is not None:
            sheet.cell(row=sheet.max_row, column=index + 1).number_format = MONEY_FORMAT


def style_header(cells: Iterable[Any]) -> None:
    """The header row of every exported table: white bold on the project's blue, wrapped."""
    for cell in cells:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1D3F6E")
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def style_title(cell: Any) -> None:
    cell.font = Font(bold=True, size=13)


def workbook_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(book_or_bytes: Any, *, filename: str) -> HttpResponse:
    """A download of the workbook, named from `filename` (slugified; ".xlsx" added)."""
    content = book_or_bytes if isinstance(book_or_bytes, bytes) else workbook_bytes(book_or_bytes)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = slugify(filename.removesuffix(".xlsx"))[:100] or "export"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- Reading ---------------------------------------------------------------------------------------


def _not_a_workbook() -> ValidationError:
    return ValidationError(_("This file is not an Excel workbook (.xlsx) that can be read."), code="not_xlsx")


def check_xlsx_archive(
    upload: Any,
    *,
    max_bytes: int,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    max_ratio: int = MAX_PACKING_RATIO,
) -> None:
    """Refuse, before any XML is parsed, a workbook too big on disk or once unpacked, or packed
    like a zip bomb. The declared sizes can be trusted: Python's zipfile never reads a member
    past its declared size (and then fails its CRC check)."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(megabytes)s MB.") % {"megabytes": max_bytes // MEGABYTE},
            code="too_big",
        )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_a_workbook() from exc
    finally:
        upload.seek(0)
    unpacked = sum(member.file_size for member in members)
    bomb = any(
        member.file_size > RATIO_FROM_BYTES and member.file_size > max_ratio * max(member.compress_size, 1)
        for member in members
    )
    if len(members) > MAX_ARCHIVE_MEMBERS or unpacked > max_unpacked or bomb:
        message = _(
            "The workbook unpacks to more than %(megabytes)s MB or is packed suspiciously tightly; "
            "save it again from Excel with only the table to import."
        )
        raise ValidationError(message % {"megabytes": max_unpacked // MEGABYTE}, code="too_big_unpacked")


def load_xlsx(upload: Any):
    """The workbook in read-only, values-only mode (call check_xlsx_archive() first; close it after)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(upload, read_only=True, data_only=True)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        ElementTree.ParseError,
        KeyError,
        OSError,
        ValueError,
        TypeError,
    ) as exc:
        raise _not_a_workbook() from exc


def _filled(values: Sequence[Any]) -> int:
    return len(values) - values.count(None) - values.count("")


def sheet_rows(sheet, *, max_columns: int, last_row: int) -> Iterator[tuple]:
    """The rows of a read-only sheet, each cut to `max_columns` values.

    The sheet's declared dimension is ignored (a 5 KB file may claim A1:XFD1048576): rows come
    from its XML, by position. A value right of `max_columns` or any row past `last_row` is
    refused with a ValidationError at once, so at most `last_row` rows are ever read.
    """
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except (
            zipfile.BadZipFile,
            ElementTree.ParseError,
            KeyError,
            ValueError,
            TypeError,
            OSError,
            EOFError,
        ) as exc:
            # openpyxl parses lazily: a broken part (bad XML, a CRC error) shows up while reading rows.
            raise _not_a_workbook() from exc
        number += 1
        if number > last_row:
            raise ValidationError(
                _("The sheet reaches past row %(rows)s; delete the rows below the table.")
                % {"rows": number_format(last_row, force_grouping=True)},
                code="too_many_rows",
            )
        if len(values) > max_columns and _filled(values[max_columns:]):
            raise ValidationError(
                _("The sheet has values in more than %(columns)s columns.") % {"columns": max_columns},
                code="too_many_columns",
            )
        yield tuple(values[:max_columns])


def is_blank(values: Sequence[Any]) -> bool:
    return not _filled(tuple(values))
