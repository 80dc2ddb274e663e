"""Production mode: the Content-Security-Policy, private pages, error pages and the health check.

The production steps themselves (collectstatic with the manifest, gunicorn, a page and /healthz/)
are scripts/smoke_production.py, which `make test` runs after pytest.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse

from jmu_planner import health
from jmu_planner import urls as project_urls
from jmu_planner.access import GlobalRole
from jmu_planner.middleware import PrivatePagesMiddleware
from stakeholders.models import LSG
from stakeholders.tests.factories import UserFactory, user_with_role

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = override_settings(DEBUG=False)

# What a strict CSP blocks in a browser: inline scripts, event-handler attributes, javascript:
# URLs, inline styles, and htmx's hx-on (evaluated code). A <script src> or a JSON data block is fine.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\s(?:on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    return [m.group(0) for pattern in (INLINE_SCRIPT, HANDLER, JS_URL) for m in pattern.finditer(html)]


# --- Error pages: a URLconf of the project's URLs plus three views that fail on purpose ----------


def _forbidden_with_reason(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Only the plan's local coordinator or expert may submit it.")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    *project_urls.urlpatterns,
    path("test/forbidden-with-reason/", _forbidden_with_reason),
    path("test/forbidden/", _forbidden),
    path("test/crash/", _crash),
]
ERROR_URLS = override_settings(ROOT_URLCONF=__name__)


# --- Content-Security-Policy ----------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_gets_a_strict_content_security_policy(client):
    client.force_login(UserFactory())
    for url in (reverse("home"), reverse("healthz")):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["img-src"] == "'self' data: https://tile.openstreetmap.org"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["form-action"] == "'self'"
        assert "unsafe" not in policy


def test_no_template_has_inline_script_or_style():
    # templates/pdf/ is read by WeasyPrint, not a browser: its <style> is the print layout.
    offenders = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        if "pdf" in template.relative_to(ROOT / "templates").parts:
            continue
        source = template.read_text()
        found = inline_code(source) + [m.group(0) for m in INLINE_STYLE.finditer(source)]
        offenders += [f"{template.relative_to(ROOT)}: {snippet}" for snippet in found]
    assert offenders == []


@pytest.mark.django_db
def test_the_admin_runs_under_the_same_policy(client):
    # Django's admin has had no inline script since 4.x: no exemption for /admin/ is needed.
    lsg = LSG.objects.first()
    client.force_login(user_with_role(GlobalRole.ADMINISTRATOR))
    for url in (
        reverse("admin:index"),
        reverse("admin:stakeholders_lsg_changelist"),
        reverse("admin:stakeholders_lsg_change", args=[lsg.pk]),
        reverse("admin:stakeholders_lsg_history", args=[lsg.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert inline_code(response.content.decode()) == [], url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_break_no_rule_of_the_policy_in_a_browser(live_server, page, reference_data):
    from stakeholders.demo import demo_seed

    demo_seed()
    violations: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("coordinator")
    page.locator("#id_password").fill("demo-coordinator")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    kragujevac = LSG.objects.get(code="70645")
    for url in (reverse("stakeholders:lsg-detail", args=[kragujevac.pk]), reverse("plans:plan-list")):
        page.goto(live_server.url + url)
    # The language menu sends itself (static/js/autosubmit.js, not an inline onchange).
    with page.expect_request(lambda request: request.method == "POST"):
        page.locator("#nav-language").select_option("sr")
    page.wait_for_load_state()
    assert page.locator("#nav-language").input_value() == "sr"
    assert violations == []


# --- Private pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_for_a_logged_in_user_are_never_cached(client):
    client.force_login(UserFactory())
    assert client.get(reverse("home"))["Cache-Control"] == "private, no-store"
    assert client.get(reverse("plans:plan-list"))["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_anonymous_responses_are_left_alone(client):
    assert not client.get(reverse("healthz")).has_header("Cache-Control")
    # The log-in page keeps Django's own never_cache header.
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]
    assert "private" in client.get(reverse("login"))["Cache-Control"]


@pytest.mark.django_db
def test_a_response_with_its_own_cache_control_keeps_it():
    def download(request):
        response = HttpResponse(b"%PDF-")
        response["Cache-Control"] = "private, max-age=60"
        return response

    request = RequestFactory().get("/")
    request.user = UserFactory()
    assert PrivatePagesMiddleware(download)(request)["Cache-Control"] == "private, max-age=60"


# --- /healthz/ ------------------------------------------------------------------------------------


class _DownConnection:
    def cursor(self):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


@pytest.mark.django_db
def test_healthz_answers_json_503_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(health, "connection", _DownConnection())
    with PRODUCTION:
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "unreachable: OperationalError"}


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_healthz_is_exempt_from_the_https_redirect(client):
    # Load balancers ask over plain HTTP; every page still goes to HTTPS.
    assert client.get(reverse("login")).status_code == 301
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("login"), headers={"x-forwarded-proto": "https"}).status_code == 200


# --- Error pages in production mode ---------------------------------------------------------------


@pytest.mark.django_db
@PRODUCTION
def test_404_is_the_sites_page(client):
    client.force_login(UserFactory())
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
    html = response.content.decode()
    assert "Page not found" in html
    assert "/static/css/app.css" in html and 'id="nav-main"' in html  # the site's look and menu


@pytest.mark.django_db
@PRODUCTION
@ERROR_URLS
def test_403_says_why_when_the_refusal_has_a_reason(client):
    client.force_login(UserFactory())
    response = client.get("/test/forbidden-with-reason/")
    assert response.status_code == 403
    assert response.templates[0].name == "403.html"
    html = response.content.decode()
    assert "Only the plan&#x27;s local coordinator or expert may submit it." in html
    assert "/static/css/app.css" in html

    response = client.get("/test/forbidden/")
    assert response.status_code == 403
    assert "Your role does not allow this action here." in response.content.decode()


@PRODUCTION
@ERROR_URLS
def test_500_is_styled_and_needs_no_database():
    # No django_db mark: any query (the session, the user, the menu) would fail this test, as it
    # would fail in production when the error is the database itself.
    client = Client(raise_request_exception=False)
    response = client.get("/test/crash/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "/static/css/app.css" in html and "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert inline_code(html) == [] and not INLINE_STYLE.search(html)


def test_500_template_renders_without_a_request():
    # Django renders 500.html with no request and no context processors.
    html = render_to_string("500.html")
    assert "<html lang=" in html and "JMU Planner" in html


def test_gunicorn_keeps_its_database_connections_unless_told_otherwise(monkeypatch):
    """Persistent connections are gunicorn's (gunicorn.conf.py); the settings' default, which the
    development server gets, is none (test_development_server.py)."""
    import runpy

    monkeypatch.setenv("DB_CONN_MAX_AGE", "")  # undone after the test, whatever the file sets
    monkeypatch.delenv("DB_CONN_MAX_AGE")
    runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert os.environ["DB_CONN_MAX_AGE"] == "60"
    monkeypatch.setenv("DB_CONN_MAX_AGE", "5")
    runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert os.environ["DB_CONN_MAX_AGE"] == "5"  # the environment's own value wins


def test_a_gunicorn_worker_freezes_what_it_holds_once_warm(monkeypatch):
    """gunicorn.conf.py: after WARM_AFTER requests a worker moves its objects out of the cyclic
    GC's full collections (their pauses were the tail of every page under load)."""
    import gc
    import runpy
    import types

    monkeypatch.setenv("DB_CONN_MAX_AGE", "60")  # what the file would set, undone after the test
    conf = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    worker = types.SimpleNamespace()
    before = gc.get_freeze_count()
    try:
        for _ in range(conf["WARM_AFTER"] - 1):
            conf["post_request"](worker, None, {}, None)
        assert gc.get_freeze_count() == before
        kept = [object() for _ in range(10)]  # noqa: F841 - something alive to freeze
        conf["post_request"](worker, None, {}, None)
        assert gc.get_freeze_count() > before
        conf["post_request"](worker, None, {}, None)  # once only
        assert worker.jmu_served == conf["WARM_AFTER"] + 1
    finally:
        gc.unfreeze()


@pytest.mark.django_db(transaction=True)
def test_healthz_from_a_logged_in_browser_answers_json_503_when_the_database_refuses(reference_data):
    """A session cookie makes the session and user middleware ask the database before the view:
    with PostgreSQL refusing connections that must still be the JSON 503, not an HTML 500."""
    import socket

    from django.db import connection

    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]  # nothing listens here once the socket is closed
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(closed_port)
    try:
        with PRODUCTION:
            response = client.get(reverse("healthz"))
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    assert (response.status_code, response["Content-Type"]) == (503, "application/json")
    assert response.json() == {"database": "unreachable: OperationalError"}
