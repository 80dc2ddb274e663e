"""Project-wide test fixtures: reference data once per test database, users per role, a browser."""

import os

import pytest
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

# Property tests (Hypothesis): `full` (`make test`, CI) tries 300 examples of each property; `fast`
# (`make test-fast`: HYPOTHESIS_PROFILE=fast) 10. Tests whose examples are requests cap it lower.
hypothesis_settings.register_profile("full", max_examples=300)
hypothesis_settings.register_profile("fast", max_examples=10)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "full"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the real reference data (171 LSGs, reference tables)."""
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture
def reference_data(db):
    """Reload the reference data: transactional tests (live server) flush it away, the register of
    words kept as written (seeded by a migration) included."""
    import importlib

    from jmu_planner.models import KeptTerm
    from jmu_planner.script import forget_kept_terms

    call_command("load_reference_data", verbosity=0)
    seed = importlib.import_module("jmu_planner.migrations.0002_seed_kept_terms").SEED
    for term, note in seed:
        KeptTerm.objects.get_or_create(term=term, defaults={"note": note})
    forget_kept_terms()


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(monkeypatch):
    """Debian's Chromium driven by Playwright (no browser download needed), one per test.

    Playwright's sync API runs an event loop in the test's thread for as long as it is started, and
    Django refuses ORM calls where a loop runs unless DJANGO_ALLOW_ASYNC_UNSAFE is set. So both
    last only as long as a browser test: every other test keeps Django's guard (a session-wide
    Playwright would leave its loop running under the tests after the first browser test)."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run).")
    from django.db import connections

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While the loop runs, Django keeps the test's connections per asyncio context, not per
        # thread: close them here, or they outlive the loop and keep the test database in use.
        connections.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def artifacts_dir():
    """Screenshots of browser journeys land here, for people to look at."""
    from pathlib import Path

    path = Path(__file__).resolve().parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and generated files of a test land in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _cache_per_test(settings):
    """Each test starts with an empty cache of its own process: local memory, never the Redis
    that REDIS_URL names (xdist workers share one Redis database; a cached fragment or throttle
    count must not cross tests). Tests of the Redis cache set CACHES themselves."""
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    local = caches["default"]
    local.clear()
    yield
    local.clear()  # this one, even if the test pointed CACHES elsewhere


@pytest.fixture(autouse=True)
def _english_unless_serbian(request, settings):
    """The suite's assertions read English; tests of the Serbian product say so with the
    `serbian` marker (or set LANGUAGE_CODE / send Accept-Language themselves)."""
    from django.utils import translation

    if request.node.get_closest_marker("serbian"):
        yield
        return
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
