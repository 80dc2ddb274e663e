"""gunicorn settings for production: `gunicorn jmu_planner.wsgi` reads this file."""

import gc
import multiprocessing
import os

# gunicorn's threads keep their PostgreSQL connection for the next request, 60 s unless the
# environment says otherwise (settings.py keeps none by default: the development server).
# Read by the settings, which the app (preloaded) imports after this file.
os.environ.setdefault("DB_CONN_MAX_AGE", "60")

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# A 2-core box also runs the PDF worker (at nice 10: Procfile, deploy/systemd). gthread workers,
# two per core with two threads each: a request waiting on PostgreSQL lets another run, and few
# threads share one GIL. bench/load.py, 50 users: 4 × 2 gave p95s about half those of 2 × 4 at
# the same requests/s. Each thread keeps its own database connection (DB_CONN_MAX_AGE).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 2))
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


# Once warm, each worker freezes what it holds too. A worker's first requests compile templates and
# fill Django's and our caches: long-lived objects that every full collection of the cyclic GC
# walked again, pausing the whole worker (both threads) for 75 ms on average and up to 350 ms under
# bench/load.py. Frozen after WARM_AFTER requests (by then the common pages have been drawn), full
# collections took under 10 ms. Objects frozen are never collected as cyclic garbage; they are the
# worker's caches, which live as long as it does.
WARM_AFTER = 50


def post_request(worker, req, environ, resp):
    served = getattr(worker, "jmu_served", 0) + 1
    worker.jmu_served = served  # one process per worker; its threads may race here, harmlessly
    if served == WARM_AFTER:
        gc.collect()
        gc.freeze()
