"""Wait up to 30 s for PostgreSQL and Redis, so `make test` fails with a clear message."""

import sys
import time
from urllib.parse import urlparse

import psycopg2
import redis


def wait(what: str, check, deadline: float) -> None:
    while True:
        try:
            check()
            return
        except Exception as exc:  # noqa: BLE001 - any failure means "not yet"
            if time.monotonic() > deadline:
                sys.exit(f"{what} does not answer: {exc}")
            time.sleep(1)


def main() -> None:
    database_url, redis_url = sys.argv[1], sys.argv[2]
    deadline = time.monotonic() + 30
    db = urlparse(database_url)
    # The test database is created by pytest-django; here only the server must answer.
    wait(
        "PostgreSQL at " + (db.hostname or "localhost"),
        lambda: psycopg2.connect(
            host=db.hostname,
            port=db.port or 5432,
            user=db.username,
            password=db.password,
            dbname="postgres",
            connect_timeout=3,
        ).close(),
        deadline,
    )
    wait(
        "Redis at " + redis_url,
        lambda: redis.Redis.from_url(redis_url, socket_timeout=3).ping(),
        deadline,
    )


if __name__ == "__main__":
    main()
