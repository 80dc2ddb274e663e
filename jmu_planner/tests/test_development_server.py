"""`make run` on PostgreSQL: the development server keeps no database connection between requests.

runserver serves each browser connection (HTTP keep-alive) in a thread of its own; with persistent
database connections every such thread kept one open, and after some browsing PostgreSQL refused
every client ("too many clients already"). Persistent connections belong to gunicorn
(gunicorn.conf.py), whose threads are few and fixed."""

import http.client
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 150
BROWSER_CONNECTIONS = 50  # keep-alive sockets held open, as a browser's tabs do: 3 requests each
START_TIMEOUT = 60

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="PostgreSQL's connections"
)


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def scratch_database():
    """An empty database of its own: the health check the requests ask for needs no table."""
    name = f"jmu_runserver_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name, admin
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _connections_to(admin, name: str) -> int:
    with admin.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name])
        return cursor.fetchone()[0]


def _get(connection: http.client.HTTPConnection) -> int:
    connection.request("GET", "/healthz/")
    response = connection.getresponse()
    response.read()
    return response.status


def test_the_development_server_keeps_no_database_connection_per_browser_connection(
    scratch_database, tmp_path
):
    name, admin = scratch_database
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DB_CONN_MAX_AGE"} | {
        "DATABASE_URL": _url(name),
        "REDIS_URL": "",  # tasks in-process: the health check asks PostgreSQL only
        "DJANGO_DEBUG": "true",
    }
    log = (tmp_path / "runserver.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    browser: list[http.client.HTTPConnection] = []
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert server.poll() is None, (tmp_path / "runserver.log").read_text()
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                assert _get(probe) == 200
                probe.close()
                break
            except OSError:
                assert time.monotonic() < deadline, "runserver did not answer"
                time.sleep(0.2)
        browser = [
            http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(BROWSER_CONNECTIONS)
        ]
        statuses = [
            _get(connection) for _ in range(REQUESTS // BROWSER_CONNECTIONS) for connection in browser
        ]
        assert statuses == [200] * REQUESTS
        # Every browser connection is still open (its thread alive): none may hold a database one.
        held = _connections_to(admin, name)
        assert held <= 2, f"{held} database connections left open by {REQUESTS} requests"
    finally:
        for connection in browser:
            connection.close()
        server.terminate()
        server.wait(timeout=30)
        log.close()
