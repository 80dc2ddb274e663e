"""Helper of bench/pdf.py: render documents one after another in one fresh process, as a worker
does; print JSON with the first (cold: imports, fonts) and the following (warm) render times."""

import json
import resource
import sys
import time

from _setup import configure

configure()

from reporting.documents import document_render
from reporting.models import Document

baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
times = []
for pk in sys.argv[1:]:
    document = Document.objects.select_related("plan", "report").get(pk=int(pk))
    started = time.perf_counter()
    document_render(document)
    times.append(round((time.perf_counter() - started) * 1000, 1))
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
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
