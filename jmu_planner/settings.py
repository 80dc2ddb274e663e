"""JMU Planner settings: one module, every deployment difference comes from the environment.

With no DATABASE_URL and no REDIS_URL the project runs on its embedded default: a SQLite file and
Celery tasks executed in-process. Production sets DJANGO_DEBUG=false, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL (PostgreSQL) and REDIS_URL; see README.md.
"""

import sys
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import pgettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]
DEBUG = env.bool("DJANGO_DEBUG", default=False)

# A development key is allowed only with DEBUG on; production must set its own.
# seed_demo refuses whenever SECRET_KEY is anything else: a key of one's own means a deployment.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = DEVELOPMENT_SECRET_KEY
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DJANGO_DEBUG off, JMU Planner needs a SECRET_KEY "
            "environment variable (a long random string, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "stakeholders",
    "plans",
    "reporting",
    "jmu_planner.notifications",
    # The project package itself, for its management commands (makemessages, translit_catalog).
    "jmu_planner",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # /healthz/ is answered before sessions and users, which need the database it checks.
    "jmu_planner.middleware.HealthCheckMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every log line of a request names it and its user (X-Request-ID; jmu_planner.request_logging).
    "jmu_planner.request_logging.RequestContextMiddleware",
    # Django's LocaleMiddleware, after authentication: it serves each user their saved language.
    "jmu_planner.i18n.UserLanguageMiddleware",
    "jmu_planner.middleware.PrivatePagesMiddleware",
    # What people typed, in the reader's script (jmu_planner.script): after the language is known.
    "jmu_planner.script.ScriptMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last: it turns lockouts into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jmu_planner.urls"
WSGI_APPLICATION = "jmu_planner.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jmu_planner.context_processors.navigation",
            ],
        },
    },
]
# Django's renderer with <select> boxes written in Python (a template include per option was most
# of an officer's list page): jmu_planner/forms.py.
FORM_RENDERER = "jmu_planner.forms.FormRenderer"

# Database: the embedded default is a SQLite file; PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Connections are closed after each request unless DB_CONN_MAX_AGE says how long to keep them.
# gunicorn.conf.py sets 60 s for gunicorn (opening one costs ~5 ms per request, bench/load.py):
# its threads are few and fixed. The development server (`make run`) keeps none: it runs a thread
# per browser connection, and each kept one until PostgreSQL refused new clients.
# DB_CONN_MAX_AGE=0 behind a pooler.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
# With persistent connections (DB_CONN_MAX_AGE > 0), check a kept connection before each request
# reuses it: after a database restart the first request gets a fresh one instead of a 500.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", DATABASES["default"]["CONN_MAX_AGE"] != 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "stakeholders.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing is deliberately slow; tests create many users and never face an attacker.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: after 5 failures for a username from one address, an hour's lock-out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Internationalisation: coordinators work in Serbian (both scripts), SCTM reports in English.
# Which language a request gets is decided in jmu_planner/i18n.py; the menu shows each language's
# name in that language and script, so it is not translated.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="sr-latn")
LANGUAGES = [
    ("sr-latn", "Srpski (latinica)"),
    ("sr", "Српски (ћирилица)"),
    ("en", "English"),
]
# Dates 22.11.2026. and amounts 1.234.567,89 in Serbian (jmu_planner/formats/). Grouping is asked
# for where a figure is an amount or a count (the `money` and `number` filters), not switched on
# for every number: USE_THOUSAND_SEPARATOR would also print ids and years as 1.234 and 2.026,
# in element ids, form values and headings.
FORMAT_MODULE_PATH = ["jmu_planner.formats"]
USE_THOUSAND_SEPARATOR = False
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Belgrade"
USE_I18N = True
USE_TZ = True

# Static files: front-end packages are copied from node_modules into static/vendor by `make static`.
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # The manifest needs `collectstatic`, which tests and runserver do not run.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATICFILES_MANIFEST", default=not (DEBUG or TESTING))
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# Development and tests serve static files straight from the finders, without collectstatic.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG or TESTING)
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# A list filter's empty choice reads "All" (jmu_planner.forms.ALL_CHOICE_LABEL; model choices: FilterSet).
FILTERS_EMPTY_CHOICE_LABEL = pgettext_lazy("empty choice of a list filter", "All")

# Celery: with REDIS_URL a real broker and worker; without it tasks run in-process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Without these an unreachable Redis makes `delay()` hang for about 19 s.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# PDFs render on a queue of their own, so long renders never hold up e-mails and reminders.
PDF_QUEUE = env.str("PDF_QUEUE", default="pdf")
# With no broker (the embedded default) a PDF renders in this process, but in a thread started
# after the request commits: the page that asked answers at once and polls (reporting.documents).
PDF_RENDER_IN_THREAD = env.bool("PDF_RENDER_IN_THREAD", default=not REDIS_URL)
# A document of record (PDF/A) is also tagged for screen readers, up to PDF_TAGGED_MAX_PAGES pages:
# tagging costs about a fifth more time and, for a 500-measure plan (149 pages), took the worker's
# peak from 359 MB to 438 MB, over the 400 MB aim (bench/pdf.py).
PDF_TAGGED = env.bool("PDF_TAGGED", default=True)
PDF_TAGGED_MAX_PAGES = env.int("PDF_TAGGED_MAX_PAGES", default=100)
PDF_SOFT_TIME_LIMIT = env.int("PDF_SOFT_TIME_LIMIT", default=120)
PDF_HARD_TIME_LIMIT = env.int("PDF_HARD_TIME_LIMIT", default=PDF_SOFT_TIME_LIMIT + 30)
# A task whose worker died unacknowledged comes back after the visibility timeout (kombu's default
# is an hour): just above the longest a render may take, so a lost render is retried in minutes.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=PDF_HARD_TIME_LIMIT + 60)
# A document still queued or rendering this long after its last change is given up as failed by
# the sweep (reporting.tasks.sweep_stale_documents): one redelivery plus one full render.
DOCUMENT_STALE_AFTER = env.int(
    "DOCUMENT_STALE_AFTER", default=CELERY_VISIBILITY_TIMEOUT + PDF_HARD_TIME_LIMIT + 60
)
# A child process killed mid-task (OOM, SIGKILL) puts the task back on the queue instead of
# acknowledging it; the render task counts attempts so a poison document ends as failed.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Publishing must not hold a request when Redis hangs: bounded socket timeouts, one retry.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
    "max_retries": 1,
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Look for such lost tasks every 10 s (kombu's default scans only about every 100 s).
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": 1,
}
# One try: behind a hung Redis each try costs socket_timeout; what is not published is picked up
# by the beat sweeps (notification outbox, stale documents) or retried from the page.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0, "interval_start": 0, "interval_step": 0.5}

# Cache (API throttles, fragments of frozen versions: jmu_planner/fragment_cache.py): Redis when there is
# one, shared by every worker; else (the embedded default) each process's own memory. CACHE_URL
# may name another Redis database than the broker's. Django's RedisCache with short socket
# timeouts, in jmu_planner.cache's wrapper: a dead or hung Redis is a miss (a hung one costs one
# request 0.25 s, then is skipped for 30 s), never an error page.
# Tests use local memory, cleared per test (conftest.py).
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
CACHES = {
    "default": {
        "BACKEND": "jmu_planner.cache.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="jmu"),
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")  # for links in e-mails
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="JMU Planner <noreply@localhost>")

# Security: secure by default whenever DEBUG is off; TLS terminates at the proxy in front.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not TESTING)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not TESTING)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not TESTING)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Load balancers ask over plain HTTP inside the network; the proxy's redirect would hide the answer.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
# No inline script or style anywhere (the admin needs none either); map tiles from OpenStreetMap.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https://tile.openstreetmap.org"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The read-only API for national monitoring (jmu_planner/api/): a token per monitoring system, or the
# browser's session; JSON only (the browsable API's inline scripts break the CSP); scoped like the
# pages; paginated; throttled per client.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "jmu_planner.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="30/hour"),
        "user": env.str("API_THROTTLE_USER", default="2000/hour"),
        # Phones send their waiting field entries when the connection returns, and retry.
        "field_sync": env.str("FIELD_SYNC_THROTTLE", default="300/hour"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# The public pages of published plans and reports (reporting.public_views): requests a client address
# may make, and how long a browser keeps a page before asking again (with its ETag).
PUBLIC_THROTTLE_RATE = env.str("PUBLIC_THROTTLE_RATE", default="120/min")
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=300)
SPECTACULAR_SETTINGS = {
    "TITLE": "JMU Planner monitoring API",
    "DESCRIPTION": "Read-only figures of the JMU Planner for national monitoring: LSGs, adopted "
    "operational plans, indicators with progress and aggregated report figures (counts below 5 "
    'read "<5"). Authenticate with `Authorization: Token <key>`.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # A baseline and a target share their qualifiers (exactly, more than, at least, ...): one enum.
    "ENUM_NAME_OVERRIDES": {"QualifierEnum": "plans.models.content.Indicator.Qualifier"},
}
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=["security.W021"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "jmu_planner.request_logging.RequestContextFilter"}},
    "formatters": {
        "request": {
            "format": "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s user=%(user_id)s] %(message)s"
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request"], "formatter": "request"}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Report deadlines (DOMAIN.md): monthly by the 10th of the next month, quarterly by the 15th
# after the quarter, annual by 31 January. Reminders go out this many days before a due date.
REPORT_DUE_MONTHLY_DAY = env.int("REPORT_DUE_MONTHLY_DAY", default=10)
REPORT_DUE_QUARTERLY_DAY = env.int("REPORT_DUE_QUARTERLY_DAY", default=15)
REPORT_DUE_ANNUAL = (
    env.int("REPORT_DUE_ANNUAL_MONTH", default=1),
    env.int("REPORT_DUE_ANNUAL_DAY", default=31),
)
REPORT_REMINDER_DAYS_BEFORE = env.int("REPORT_REMINDER_DAYS_BEFORE", default=3)
# A reminder whose day was missed (beat or workers down) is still sent this many days later.
REPORT_REMINDER_CATCH_UP_DAYS = env.int("REPORT_REMINDER_CATCH_UP_DAYS", default=3)
CELERY_BEAT_SCHEDULE = {
    "notification-emails": {
        # The outbox sweep: e-mails whose queueing or sending failed go out here.
        "task": "jmu_planner.notifications.tasks.send_pending_notification_emails",
        "schedule": 5 * 60,
    },
    "report-reminders": {
        # Daily at a fixed hour (CELERY_TIMEZONE); each reminder is recorded, so a re-run sends
        # nothing twice and the next run catches up a missed day.
        "task": "reporting.tasks.send_report_reminders",
        "schedule": crontab(hour=env.int("REPORT_REMINDER_HOUR", default=7), minute=0),
    },
    "stale-documents": {
        # Documents whose worker or queued message was lost end as failed, with a retry button.
        "task": "reporting.tasks.sweep_stale_documents",
        "schedule": 5 * 60,
    },
}
