"""Helper of bench/pdf.py: render documents one after another in one fresh process, as a worker
does; print JSON with the first (cold: imports, fonts) and the following (warm) render times and the
process's peak memory. With `--html-out PATH` the HTML of the last render (exactly what WeasyPrint
was given) is written there, for Chromium to print the very same page."""

import json
import resource
import sys
import time

from _setup import configure

configure()

from reporting import documents
from reporting.models import Document

args = sys.argv[1:]
html_out = None
if args[:1] == ["--html-out"]:
    html_out, args = args[1], args[2:]

rendered_html: list[str] = []
document_html = documents.document_html


def recording_document_html(document):
    """documents.document_html, keeping what it returned (document_render looks it up at call time)."""
    html = document_html(document)
    rendered_html[:] = [html]
    return html


documents.document_html = recording_document_html

baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
times = []
for pk in args:
    document = Document.objects.select_related("plan", "report").get(pk=int(pk))
    started = time.perf_counter()
    documents.document_render(document)
    times.append(round((time.perf_counter() - started) * 1000, 1))
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
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
        }
    )
)
