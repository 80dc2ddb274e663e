"""gunicorn settings for production: `gunicorn jmu_planner.wsgi` reads this file."""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# A 2-core box also runs the PDF worker: one process per core, each with threads, so a request
# waiting on PostgreSQL lets another run; the PDF worker runs under `nice` beside it
# (Procfile, deploy/systemd). Each thread keeps its own database connection (DB_CONN_MAX_AGE).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
keepalive = 5
timeout = 60
preload_app = True  # import Django once; workers share the memory copy-on-write
accesslog = "-"
# The request id (X-Request-ID, set by jmu_planner.request_logging) ties an access line to the
# application's log lines of that request, which also name the user.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms req=%({x-request-id}o)s "%(a)s"'


def when_ready(server):
    # Objects made at start-up (Django, templates, URL patterns) leave the cyclic GC's scans:
    # fewer pauses on pages that build many objects, such as a 150-measure plan (bench/).
    gc.collect()
    gc.freeze()
