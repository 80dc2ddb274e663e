"""Uploaded PDFs must parse and have pages; they are stored under a name the server chooses."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from jmu_planner.tests.pdfs import pdf_bytes
from jmu_planner.uploads import MAX_PDF_BYTES, ServerNamedUpload, validate_pdf_upload

STORED_NAME = re.compile(r"plans/adoptions/\d{4}/\d{2}/[0-9a-f]{32}\.pdf")


def upload(content: bytes, name: str = "odluka.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def refusal(file, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_pdf_upload(file, **kwargs)
    return caught.value


def test_a_real_pdf_passes_and_is_left_at_its_start():
    file = upload(pdf_bytes(pages=2))
    file.read(10)
    validate_pdf_upload(file)
    assert file.tell() == 0 and file.read(5) == b"%PDF-"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "not_pdf"),  # only the magic bytes
        (b"%PDF-1.7\n<html><script>alert(1)</script></html>", "not_pdf"),
        (b"<!doctype html><title>odluka</title>", "not_pdf"),
        (b"PK\x03\x04 a zip file", "not_pdf"),
        (b"", "not_pdf"),
        (pdf_bytes(pages=0), "no_pages"),
        (pdf_bytes(pages=1, password="tajna"), "not_pdf"),  # nobody could open it without the password
    ],
)
def test_anything_that_is_not_a_readable_pdf_with_pages_is_refused(content, code):
    error = refusal(upload(content))
    assert error.code == code
    assert "PDF" in error.message


def test_a_truncated_pdf_is_refused():
    whole = pdf_bytes(pages=3)
    assert refusal(upload(whole[: len(whole) // 2])).code == "not_pdf"


def test_a_missing_file_is_refused():
    assert refusal(None).code == "required"


def test_size_is_checked_before_parsing():
    error = refusal(upload(pdf_bytes() + b"\n" * MAX_PDF_BYTES))
    assert error.code == "too_big" and "10 MB" in error.message
    assert refusal(upload(pdf_bytes()), max_bytes=100).code == "too_big"


def test_the_stored_name_is_chosen_by_the_server():
    upload_to = ServerNamedUpload("plans/adoptions", ".pdf")
    names = {upload_to(None, name) for name in ("odluka.pdf.html", "../../etc/passwd", "odluka.pdf")}
    assert len(names) == 3
    for name in names:
        assert STORED_NAME.fullmatch(name), name
    path, args, _kwargs = upload_to.deconstruct()
    assert path == "jmu_planner.uploads.ServerNamedUpload" and args == ("plans/adoptions", ".pdf")
    assert ServerNamedUpload(*args) == upload_to  # no new migration on every makemigrations


@pytest.mark.django_db
def test_a_plan_decision_keeps_no_part_of_the_users_file_name(settings, tmp_path):
    from plans.tests.factories import PlanFactory

    settings.MEDIA_ROOT = tmp_path
    plan = PlanFactory()
    plan.adoption_file.save("odluka.pdf.html", ContentFile(pdf_bytes()), save=True)
    plan.refresh_from_db()
    assert STORED_NAME.fullmatch(plan.adoption_file.name), plan.adoption_file.name
    assert "odluka" not in plan.adoption_file.name and (tmp_path / plan.adoption_file.name).is_file()
