"""Real PDF bytes for tests of uploads (a file that merely starts with %PDF- is refused)."""

import io

from pypdf import PdfWriter


def pdf_bytes(pages: int = 1, *, password: str = "") -> bytes:
    """A valid PDF of `pages` blank A4 pages, encrypted with `password` if one is given."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(user_password=password, owner_password=password + "-owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
