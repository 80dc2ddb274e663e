"""Uploaded documents: checked for what they claim to be, stored under names the server chooses.

A user's file name is never used on disk (`odluka.pdf.html` would keep its `.html`), and a file
that merely starts with `%PDF-` is not a PDF: it must parse and have at least one page.
"""

from __future__ import annotations

import uuid
import warnings
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

MAX_PDF_BYTES = 10 * 1024 * 1024


def _size(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is not None:
        return size
    position = upload.tell()
    size = upload.seek(0, 2)
    upload.seek(position)
    return size


def validate_pdf_upload(upload: Any, *, max_bytes: int = MAX_PDF_BYTES) -> None:
    """Refuse a missing file, one over `max_bytes`, or one that does not parse as a PDF with pages.

    Raises a plain ValidationError (callers attach it to their field); leaves the file at its start.
    """
    if not upload:
        raise ValidationError(_("Attach the file as a PDF."), code="required")
    if _size(upload) > max_bytes:
        raise ValidationError(
            _("The file is larger than %(megabytes)s MB.") % {"megabytes": max_bytes // (1024 * 1024)},
            code="too_big",
        )
    from pypdf import PdfReader

    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # pypdf warns about the small defects real scanners leave; they do not make it "not a PDF".
            warnings.simplefilter("ignore")
            reader = PdfReader(upload, strict=False)
            pages = len(reader.pages)
            if pages:
                reader.pages[0].mediabox  # noqa: B018 - the first page must be readable, not only counted
    except Exception as exc:  # a parser fed arbitrary bytes may raise anything; all of it means "no"
        raise ValidationError(_("This file is not a PDF that can be read."), code="not_pdf") from exc
    finally:
        upload.seek(0)
    if pages < 1:
        raise ValidationError(_("This PDF has no pages."), code="no_pages")


@deconstructible
class ServerNamedUpload:
    """`upload_to` for FileFields: `<folder>/<year>/<month>/<uuid4 hex><extension>`, whatever the
    user called the file. Usage: `models.FileField(upload_to=ServerNamedUpload("plans/adoptions"))`."""

    def __init__(self, folder: str, extension: str = ".pdf") -> None:
        self.folder = folder.strip("/")
        self.extension = extension

    def __call__(self, instance: Any, filename: str) -> str:
        return f"{self.folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{self.extension}"

    def __eq__(self, other: object) -> bool:
        # Compared by makemigrations: equal settings mean no new migration.
        return isinstance(other, ServerNamedUpload) and (self.folder, self.extension) == (
            other.folder,
            other.extension,
        )

    def __hash__(self) -> int:
        return hash((self.folder, self.extension))
