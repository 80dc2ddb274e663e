"""The security baseline: settings from the environment, throttled log-ins, CSRF, passwords."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from jmu_planner.access import Role
from stakeholders.models import MemberRole
from stakeholders.tests.factories import PASSWORD, JMUFactory, UserFactory, user_with_role

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_start_up_without_secret_key_and_debug_off_stops_with_a_clear_message():
    result = manage("check", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_passes_under_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        SECRET_KEY="prod-" + "x7Gq2LmZ9vKd4RtW8yPb3NcJ6hFs1AeU5oIl0QwEzXrTnVgYk",
        ALLOWED_HOSTS="jmu.example.rs",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_seed_demo_refuses_a_production_shell_that_forgot_django_debug():
    # manage.py defaults DEBUG on; the production SECRET_KEY in the environment still stops it.
    result = manage(
        "seed_demo",
        "--yes-demo-data",
        SECRET_KEY="prod-" + "x7Gq2LmZ9vKd4RtW8yPb3NcJ6hFs1AeU5oIl0QwEzXrTnVgYk",
    )
    assert result.returncode != 0
    assert "look like production" in result.stderr and "a SECRET_KEY is set" in result.stderr


def test_seed_demo_without_its_flag_creates_nothing():
    result = manage("seed_demo")
    assert result.returncode != 0
    assert "--yes-demo-data" in result.stderr


@pytest.mark.django_db
def test_login_is_throttled_after_five_failures():
    user = UserFactory(username="jelena")
    client = Client()
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": "jelena", "password": "wrong"})
    # The sixth try, even with the right password, meets the lock-out page.
    response = client.post(url, {"username": "jelena", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert user.pk  # the account itself is untouched


@pytest.mark.django_db
def test_login_and_logout_through_the_pages():
    user = UserFactory(username="ana")
    client = Client()
    response = client.post(reverse("login"), {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).context["user"] == user
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_every_form_needs_a_csrf_token():
    jmu = JMUFactory()
    coordinator = user_with_role(Role.COORDINATOR, jmu.lsg)
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(
        reverse("stakeholders:membership-create", args=[jmu.pk]),
        {"person_name": "Bez tokena", "role": MemberRole.objects.get(code="csw").pk, "since": "2024-01-01"},
    )
    assert response.status_code == 403
    assert not jmu.memberships.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new_password", "message"),
    [("short", "too short"), ("password123", "too common"), ("4839201756", "entirely numeric")],
)
def test_weak_new_passwords_are_refused(client, new_password, message):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["new_password2"])
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_password_change_with_a_strong_password(client):
    user = UserFactory()
    client.force_login(user)
    new = "Koordinacija-2026!"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Koordinacija-2026!")


@pytest.mark.django_db
def test_pages_never_load_from_a_cdn(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "https://" not in html and "http://" not in html.replace("http://www.w3.org", "")
