"""Uploaded documents: checked for what they claim to be, stored under names the server chooses.

A user's file name is never used on disk (`odluka.pdf.html` would keep its `.html`), and a file
that merely starts with `%PDF-` is not a PDF: it must parse and have at least one page.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import secrets
import uuid
import warnings
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
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


# The kinds of attachment the project accepts, each with the extension it is stored under.
UPLOAD_KINDS: dict[str, str] = {
    "pdf": ".pdf",
    "docx": ".docx",
    "xlsx": ".xlsx",
    "png": ".png",
    "jpeg": ".jpg",
}
# Office Open XML files are zip archives; the main part's content type in [Content_Types].xml
# tells a Word document from a workbook (and from any other zip renamed to .docx).
_OOXML_MAIN_PART = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}


def _read_head(upload: Any, length: int) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def _ooxml_kind(upload: Any) -> str | None:
    import zipfile

    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            if "[Content_Types].xml" not in archive.namelist():
                return None
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, EOFError):
        return None
    finally:
        upload.seek(0)
    return next((kind for kind, part in _OOXML_MAIN_PART.items() if part in content_types), None)


def detect_kind(upload: Any) -> str | None:
    """What the file's bytes say it is (one of UPLOAD_KINDS), whatever its name claims."""
    head = _read_head(upload, 8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_kind(upload)
    return None


def validate_upload(
    upload: Any, *, kinds: tuple[str, ...] = tuple(UPLOAD_KINDS), max_bytes: int = MAX_PDF_BYTES
) -> str:
    """Refuse a missing file, one over `max_bytes`, or one whose content is none of `kinds`.

    Returns the kind the content shows (a key of UPLOAD_KINDS); a PDF must also parse with pages
    (validate_pdf_upload). Leaves the file at its start.
    """
    if not upload:
        raise ValidationError(_("Choose a file to attach."), code="required")
    if _size(upload) > max_bytes:
        raise ValidationError(
            _("The file is larger than %(megabytes)s MB.") % {"megabytes": max_bytes // (1024 * 1024)},
            code="too_big",
        )
    kind = detect_kind(upload)
    if kind not in kinds:
        names = ", ".join(k.upper() for k in kinds)
        raise ValidationError(
            _("This file is not one of the accepted types (%(kinds)s): its content says otherwise.")
            % {"kinds": names},
            code="wrong_type",
        )
    if kind == "pdf":
        validate_pdf_upload(upload, max_bytes=max_bytes)
    return kind


MAX_IMAGE_BYTES = 1024 * 1024
# Large enough for a crest printed 30 mm tall at 600 dpi; larger is a decompression bomb or a scan.
MAX_IMAGE_PIXELS = 4000 * 4000


def validate_image_upload(upload: Any, *, max_bytes: int = MAX_IMAGE_BYTES) -> str:
    """A PNG or JPEG (by its content, never SVG) of at most `max_bytes` that decodes as an image of
    sensible size. Returns its kind ("png" or "jpeg"); leaves the file at its start."""
    kind = validate_upload(upload, kinds=("png", "jpeg"), max_bytes=max_bytes)
    from PIL import Image

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image is too large: at most %(pixels)s × %(pixels)s pixels.") % {"pixels": 4000},
                    code="too_big",
                )
            image.verify()
    except ValidationError:
        raise
    except Exception as exc:  # a decoder fed arbitrary bytes may raise anything; all of it means "no"
        raise ValidationError(_("This file is not an image that can be read."), code="not_image") from exc
    finally:
        upload.seek(0)
    return kind


@deconstructible
class ServerNamedUpload:
    """`upload_to` for FileFields: `<folder>/<year>/<month>/<uuid4 hex><extension>`, whatever the
    user called the file. Usage: `models.FileField(upload_to=ServerNamedUpload("plans/adoptions"))`.
    With `extension=None` the row says it: `instance.stored_extension` (from the checked kind)."""

    def __init__(self, folder: str, extension: str | None = ".pdf") -> None:
        self.folder = folder.strip("/")
        self.extension = extension

    def __call__(self, instance: Any, filename: str) -> str:
        extension = self.extension if self.extension is not None else instance.stored_extension
        return f"{self.folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other: object) -> bool:
        # Compared by makemigrations: equal settings mean no new migration.
        return isinstance(other, ServerNamedUpload) and (self.folder, self.extension) == (
            other.folder,
            other.extension,
        )

    def __hash__(self) -> int:
        return hash((self.folder, self.extension))


# --- A chosen file kept while the rest of its form is refused ----------------------------------------
#
# A form refused for its date must not drop the scanned decision chosen with it: the file is stored
# under a random token (never the user's name on disk), the token travels in a hidden field and the
# session says whose it is and what the file was called. On the next try the kept file goes through
# the same content checks as a fresh upload; a new file chosen replaces it.

HELD_FOLDER = "held-uploads"
HELD_SESSION_KEY = "held_uploads"
HELD_NAME_LENGTH = 120
HELD_FOR = datetime.timedelta(days=1)  # a file kept longer was abandoned with its form


def sweep_held_uploads(*, older_than: datetime.timedelta = HELD_FOR) -> int:
    """Delete kept files nobody came back for; returns how many. Run on every new hold: one folder
    listing, so the folder never grows past a day's refused forms."""
    from django.core.files.storage import default_storage

    try:
        _folders, names = default_storage.listdir(HELD_FOLDER)
    except OSError:  # no folder yet
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for name in names:
        path = f"{HELD_FOLDER}/{name}"
        with contextlib.suppress(OSError):
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
    return removed


def hold_upload(request: Any, upload: Any) -> str:
    """Store `upload` for this session and return its token."""
    from django.core.files.storage import default_storage

    sweep_held_uploads()
    token = secrets.token_urlsafe(18)
    upload.seek(0)
    path = default_storage.save(f"{HELD_FOLDER}/{token}", upload)
    upload.seek(0)
    held = dict(request.session.get(HELD_SESSION_KEY, {}))
    held[token] = {"path": path, "name": os.path.basename(upload.name or "")[:HELD_NAME_LENGTH]}
    request.session[HELD_SESSION_KEY] = held
    return token


def held_upload(request: Any, token: str | None) -> File | None:
    """The file kept under `token` for this session (open, named as the user named it), or None."""
    from django.core.files.storage import default_storage

    entry = request.session.get(HELD_SESSION_KEY, {}).get(token or "")
    if not entry:
        return None
    try:
        handle = default_storage.open(entry["path"], "rb")
    except OSError:
        return None
    return File(handle, name=entry["name"])


def release_upload(request: Any, token: str | None) -> None:
    """Forget the file kept under `token` and delete its bytes (after it was used or replaced)."""
    from django.core.files.storage import default_storage

    held = dict(request.session.get(HELD_SESSION_KEY, {}))
    entry = held.pop(token or "", None)
    if entry is None:
        return
    request.session[HELD_SESSION_KEY] = held
    with contextlib.suppress(OSError):
        default_storage.delete(entry["path"])
