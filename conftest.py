"""Project-wide test fixtures: reference data once per test database, users per role, a browser."""

import os

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the real reference data (169 LSGs, reference tables)."""
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture
def reference_data(db):
    """Reload the reference data: transactional tests (live server) flush it away."""
    call_command("load_reference_data", verbosity=0)
