"""Helper of bench/pdf.py: render documents one after another in one fresh process, as a worker
does; print JSON with the first (cold: imports, fonts) and the following (warm) render times and the
process's peak memory. With `--html-out PATH` the HTML of the last render (exactly what WeasyPrint
was given) is written there, for Chromium to print the very same page. With `--floor` the same text
is then rendered as plain paragraphs (WeasyPrint's floor: no tables, no classes, no counters), as
many times, after the documents' peak memory was read."""

import html as html_lib
import json
import re
import resource
import sys
import time

from _setup import configure

configure()

from reporting import documents
from reporting.models import Document

args = sys.argv[1:]
html_out, floor = None, False
if args[:1] == ["--floor"]:
    floor, args = True, args[1:]
if args[:1] == ["--html-out"]:
    html_out, args = args[1], args[2:]

rendered_html: list[str] = []
document_page = documents.document_page


def recording_document_page(document):
    """documents.document_page, keeping the HTML it returned (looked up at call time by the render)."""
    html, context = document_page(document)
    rendered_html[:] = [html]
    return html, context


documents.document_page = recording_document_page

# Where a block of the print layout ends: each becomes a paragraph of its own in the floor.
BLOCK_END = re.compile(r"</(?:td|th|div|p|h[1-6]|li|section)>|<br\s*/?>", re.I)
TAG = re.compile(r"<[^>]+>")
FLOOR_CSS = (
    "@page { size: A4 landscape; margin: 18mm 14mm 16mm 14mm; } "
    'html { font-family: "DejaVu Sans", sans-serif; font-size: 8.5pt; line-height: 1.3; } '
    "p { margin: 0; }"
)


def floor_html(page: str) -> str:
    """The body's text as plain paragraphs, one per cell or block, with the body's font and the page."""
    body = page[page.index("<body") :]
    body = re.sub(r"<style.*?</style>", "", body, flags=re.S)
    chunks = (html_lib.unescape(TAG.sub("", chunk)).strip() for chunk in BLOCK_END.split(body))
    paragraphs = "".join(f"<p>{html_lib.escape(chunk)}</p>" for chunk in chunks if chunk)
    return f'<!DOCTYPE html><html lang="sr-Latn"><head><meta charset="utf-8"><style>{FLOOR_CSS}</style></head><body>{paragraphs}</body></html>'


baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
times = []
for pk in args:
    document = Document.objects.select_related("plan", "report").get(pk=int(pk))
    started = time.perf_counter()
    documents.document_render(document)
    times.append(round((time.perf_counter() - started) * 1000, 1))
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
floor_times, floor_pages = [], None
if floor:
    import gc

    from weasyprint import HTML

    plain = floor_html(rendered_html[0])
    archival = document.kind.archival(document.subject)
    for _ in args:  # as many renders as the document had, the first of them cold for this layout
        gc.disable()
        started = time.perf_counter()
        rendered = HTML(string=plain).render()
        floor_pages = len(rendered.pages)
        # Written as the document is (PDF/A for an adopted plan): the floor differs only in layout.
        documents.archival_pdf(rendered) if archival else rendered.write_pdf()
        floor_times.append(round((time.perf_counter() - started) * 1000, 1))
        rendered = None
        gc.collect(0)
        gc.enable()
if html_out:
    with open(html_out, "w", encoding="utf-8") as out:
        out.write(rendered_html[0])
print(
    json.dumps(
        {
            "times_ms": times,
            "peak_rss_mb": round(peak_mb, 1),
            "rss_before_render_mb": round(baseline_mb, 1),
            "pages": document.pages,
            "floor_times_ms": floor_times,
            "floor_pages": floor_pages,
        }
    )
)
