#!/usr/bin/env python
"""Production-mode smoke test: README.md's "Running in production" steps, run exactly as written.

With DJANGO_DEBUG=false, a SECRET_KEY and a scratch PostgreSQL database of its own (named after
DATABASE_URL's, created here and dropped at the end) it runs `migrate`, `collectstatic`,
`load_reference_data` and `check --deploy`, starts gunicorn with gunicorn.conf.py on a free
127.0.0.1 port, and asks what a browser behind the TLS proxy would (X-Forwarded-Proto: https):
the log-in page and a hashed static file it names, a missing page, and `/healthz/` (also over
plain HTTP, as a load balancer does). It then drops the database under the running server and
expects `/healthz/` to answer a JSON 503. Any failure ends it with a non-zero exit and a message.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jmu_planner .venv/bin/python scripts/smoke_production.py

`make test` runs it after pytest. REDIS_URL, when set, is passed on (the health check then asks the
broker too).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jmu_planner"
START_TIMEOUT = 60  # seconds for gunicorn to import Django and answer
PROXY = {"X-Forwarded-Proto": "https"}  # what the TLS-terminating proxy adds


class SmokeError(Exception):
    """A production step or request did not do what README.md promises."""


def step(message: str) -> None:
    print(f"smoke: {message}", flush=True)


def scratch_database_url(database_url: str) -> tuple[str, str]:
    """A database beside DATABASE_URL's, unique to this run: parallel runs never meet."""
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        raise SmokeError(f"DATABASE_URL must point at PostgreSQL, not {parts.scheme}://")
    name = f"{parts.path.lstrip('/') or 'jmu_planner'}_smoke_{os.getpid()}"
    return name, urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def maintenance_connection(database_url: str) -> Iterator[psycopg2.extensions.connection]:
    parts = urlsplit(database_url)
    conn = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    conn.autocommit = True  # CREATE/DROP DATABASE refuse to run inside a transaction
    try:
        yield conn
    finally:
        conn.close()


def create_database(database_url: str, name: str) -> None:
    with maintenance_connection(database_url) as conn, conn.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(database_url: str, name: str) -> None:
    # FORCE ends gunicorn's connections too (PostgreSQL 13+, which README.md requires).
    with maintenance_connection(database_url) as conn, conn.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def production_environment(database_url: str, static_root: Path, media_root: Path) -> dict[str, str]:
    """README's production variables, and nothing from a developer's shell that could soften them."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_", "STATICFILES_", "WHITENOISE_"))
        and key not in {"SECRET_KEY", "ALLOWED_HOSTS", "PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER"}
    }
    env.update(
        DJANGO_DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(media_root),
        LOG_LEVEL="WARNING",
    )
    return env


def run(command: list[str], env: dict[str, str]) -> None:
    step("$ " + " ".join(command))
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise SmokeError(
            f"`{' '.join(command)}` failed with exit code {result.returncode}:\n"
            f"{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeError(message)


def wait_until_up(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SmokeError(f"gunicorn exited with code {server.returncode} before it answered")
        try:
            get(port, "/healthz/")
            return
        except OSError:
            time.sleep(0.3)
    raise SmokeError(f"gunicorn did not answer on 127.0.0.1:{port} within {START_TIMEOUT} s")


def check_site(port: int) -> None:
    status, headers, body = get(port, "/accounts/login/", PROXY)
    expect(status == 200, f"GET /accounts/login/ answered {status}, not 200:\n{body[:2000]!r}")
    expect(
        "'unsafe-inline'" not in headers.get("content-security-policy", "'unsafe-inline'"),
        f"the log-in page has no strict Content-Security-Policy: {headers.get('content-security-policy')}",
    )
    html = body.decode()
    hashed = re.findall(r'(/static/[^"\']+\.[0-9a-f]{12}\.(?:css|js))["\']', html)
    expect(bool(hashed), "the log-in page names no hashed static file: is the manifest storage in use?")
    for path in hashed:
        status, headers, _ = get(port, path, PROXY)
        expect(status == 200, f"GET {path} (named by the log-in page) answered {status}, not 200")
        expect("immutable" in headers.get("cache-control", ""), f"{path} is not served as immutable")
    step(f"log-in page 200, its {len(hashed)} hashed static files 200")

    status, _, _ = get(port, "/accounts/login/")
    expect(status == 301, f"plain-HTTP GET /accounts/login/ answered {status}, not the HTTPS redirect 301")

    status, _, body = get(port, "/no-such-page/", PROXY)
    expect(status == 404, f"GET /no-such-page/ answered {status}, not 404")
    expect(b"/static/css/app." in body, "the 404 page is not the site's styled page")
    step("missing page 404 (styled); plain HTTP redirected to HTTPS")

    for headers_sent in (PROXY, {}):  # through the proxy, and straight from a load balancer
        status, headers, body = get(port, "/healthz/", headers_sent)
        how = "through the proxy" if headers_sent else "over plain HTTP"
        expect(status == 200, f"GET /healthz/ {how} answered {status}: {body[:500]!r}")
        expect(headers.get("content-type") == "application/json", "/healthz/ did not answer JSON")
        expect(json.loads(body).get("database") == "ok", f"/healthz/ reports {body!r}")
    step(f"/healthz/ 200 {body.decode()}")


def check_database_down(port: int, database_url: str, name: str) -> None:
    drop_database(database_url, name)
    status, headers, body = get(port, "/healthz/")
    expect(status == 503, f"/healthz/ with the database gone answered {status}, not 503: {body[:500]!r}")
    expect(headers.get("content-type") == "application/json", "/healthz/ with the database gone is not JSON")
    expect(json.loads(body)["database"].startswith("unreachable"), f"/healthz/ reports {body!r}")
    step(f"database dropped: /healthz/ 503 {body.decode()}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> int:
    base_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    name, database_url = scratch_database_url(base_url)
    workdir = Path(tempfile.mkdtemp(prefix="jmu-smoke-"))
    env = production_environment(database_url, workdir / "staticfiles", workdir / "media")
    python = str(BIN / "python")
    server: subprocess.Popen | None = None
    log = workdir / "gunicorn.log"
    try:
        step(f"scratch database {name}, STATIC_ROOT and MEDIA_ROOT in {workdir}")
        create_database(base_url, name)
        # README.md, "Running in production", in its order.
        run([python, "manage.py", "migrate", "--noinput"], env)
        run([python, "manage.py", "collectstatic", "--noinput"], env)
        run([python, "manage.py", "load_reference_data"], env)
        run([python, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
        port = free_port()
        command = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "jmu_planner.wsgi"]
        step("$ " + " ".join(command) + f"  (GUNICORN_BIND=127.0.0.1:{port})")
        with log.open("w") as out:
            server = subprocess.Popen(  # noqa: S603
                command,
                cwd=ROOT,
                env=env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_until_up(server, port)
        check_site(port)
        check_database_down(port, base_url, name)
    except (SmokeError, OSError, psycopg2.Error) as error:
        print(f"smoke: FAILED: {error}", file=sys.stderr)
        if log.exists() and log.stat().st_size:
            print("smoke: gunicorn's log:\n" + log.read_text()[-5000:], file=sys.stderr)
        return 1
    finally:
        if server is not None:
            stop(server)
        try:
            drop_database(base_url, name)
        except psycopg2.Error as error:
            print(f"smoke: could not drop {name}: {error}", file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)
    step("production steps pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
