"""What WeasyPrint may load while it renders a print layout: the project's own static files, nothing else.

WeasyPrint's default fetcher follows any URL a stylesheet or an element names (http, https, ftp,
file, data). A print layout is filled with text that coordinators type, so a rendering worker must
never be steered into requests to the network or reads of the server's files. Static files are
named as `file:///static/<path>` (relative URLs resolve against PRINT_BASE_URL) and are looked up
by path in STATIC_ROOT and through the staticfiles finders; every other URL is refused with an
error, which WeasyPrint logs and skips.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A namespace, not a directory: nothing is read from /static on the server's disk.
STATIC_PREFIX = "/" + settings.STATIC_URL.strip("/") + "/"
PRINT_BASE_URL = f"file://{STATIC_PREFIX}"


class RefusedURL(ValueError):
    """A URL the print renderer will not load."""


def static_path(url: str) -> Path:
    """The file a print layout's URL names, or RefusedURL if it is not one of our static files."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"Only the project's static files are loaded, not {url[:200]!r}")
    path = unquote(parts.path)
    if not path.startswith(STATIC_PREFIX):
        raise RefusedURL(f"Not a static file: {url[:200]!r}")
    relative = path[len(STATIC_PREFIX) :]
    segments = relative.split("/")
    if not relative or "\\" in relative or "\x00" in relative or any(s in ("", ".", "..") for s in segments):
        raise RefusedURL(f"Not a plain static path: {url[:200]!r}")
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        collected = (root / relative).resolve()
        if collected.is_relative_to(root) and collected.is_file():
            return collected
    found = finders.find(relative)  # the finders join safely below their own roots
    if found:
        return Path(found)
    raise RefusedURL(f"No such static file: {relative[:200]!r}")


class StaticFilesFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves static files from disk and refuses everything else."""

    def __init__(self, attachments: dict[str, tuple[bytes, str]] | None = None) -> None:
        # No network handlers are used: fetch() below never calls urllib's opener.
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
        # Bytes the document's data brought (the LSG's checked coat of arms), under fixed URLs that
        # the print layouts name (reporting.official.ARMS_URL): never a path from the database.
        self.attachments = attachments or {}

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url in self.attachments:
            body, content_type = self.attachments[url]
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
        path = static_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})
