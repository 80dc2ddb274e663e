"""The installable web app: its manifest, the service worker and the page shown offline.

The service worker is served from the site's root (`/sw.js`) so that its scope covers every page.
It precaches the static files the field log needs and keeps the member's field-log pages for use
without a connection (network first, so they are fresh whenever there is signal). Its text names
a version made from the precached files' contents: a deploy that changes any of them changes the
worker, the browser installs the new one and the old caches are dropped.
"""

from __future__ import annotations

import functools
import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

WORKBOX = [
    f"vendor/workbox/workbox-{name}.prod.js"
    for name in ("core", "routing", "strategies", "expiration", "precaching")
]
# What the field-log pages load: kept on the device when the worker installs.
PRECACHED = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/htmx/htmx.min.js",
    "vendor/idb/idb.umd.js",
    "css/app.css",
    "js/autosubmit.js",
    "js/tables.js",
    "js/submit-once.js",
    "js/fieldlog-sync.js",
    "js/fieldlog-form.js",
    "js/fieldlog-list.js",
    "icons/icon-192.png",
]
ICONS = [
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/icon-maskable-512.png", "512x512", "maskable"),
]


def offline_pages() -> list[str]:
    """The pages that work without a connection: the home page and the field log."""
    return [reverse("home"), reverse("reporting:field-log"), reverse("reporting:activity-create")]


@functools.cache
def version() -> str:
    """A digest of the precached files and the worker's own template: changes with any of them."""
    digest = hashlib.sha256()
    for path in [*WORKBOX, *PRECACHED]:
        found = finders.find(path)
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
        else:
            digest.update(path.encode())
    template = settings.BASE_DIR / "templates" / "pwa" / "sw.js"
    digest.update(template.read_bytes())
    return digest.hexdigest()[:12]


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    current = version()
    precache = [{"url": static(path), "revision": current} for path in PRECACHED]
    precache.append({"url": reverse("pwa-offline"), "revision": current})
    context = {
        "version": current,
        "workbox": json.dumps([static(path) for path in WORKBOX]),
        "precache": json.dumps(precache),
        "pages": json.dumps(offline_pages()),
        "offline_url": json.dumps(reverse("pwa-offline")),
        "static_prefix": json.dumps(staticfiles_storage.base_url),
    }
    response = render(request, "pwa/sw.js", context, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "name": _("JMU Planner"),
            "short_name": _("JMU Planner"),
            "description": _("Log the JMU's field work, with or without signal."),
            "start_url": reverse("home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0a58ca",
            "icons": [
                {"src": static(src), "sizes": sizes, "type": "image/png", "purpose": purpose}
                for src, sizes, purpose in ICONS
            ],
            "shortcuts": [{"name": _("Log field work"), "url": reverse("reporting:activity-create")}],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page that needs the connection; public (it is cached
    once for everyone, and says nothing of anyone's data)."""
    return render(request, "pwa/offline.html", {"field_log": reverse("reporting:field-log")})
