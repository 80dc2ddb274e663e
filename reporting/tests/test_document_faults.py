"""Documents that would never finish: every one ends done or failed within a bounded time.

A worker killed mid-render (a real worker on Redis, SIGKILL), the sweep of stale documents, a
render lost twice, a MEDIA_ROOT that cannot be written, the queue down and a hung Redis.
"""

import datetime
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from plans.tests.factories import BudgetLineFactory, IndicatorFactory, MeasureFactory, source
from reporting import documents, tasks
from reporting.models import Document

ROOT = Path(__file__).resolve().parents[2]


def _old(seconds: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


@pytest.mark.django_db
def test_the_sweep_fails_documents_left_queued_or_rendering_and_nothing_else(adopted_plan, settings):
    settings.DOCUMENT_STALE_AFTER = 600
    lost_message = Document.objects.create(plan=adopted_plan, status_changed_at=_old(601))
    lost_worker = Document.objects.create(
        plan=adopted_plan, status="rendering", attempts=1, status_changed_at=_old(700)
    )
    working = Document.objects.create(plan=adopted_plan, status="rendering", status_changed_at=_old(30))
    done = Document.objects.create(plan=adopted_plan, status="done", status_changed_at=_old(9999))

    assert tasks.sweep_stale_documents() == 2
    assert tasks.sweep_stale_documents() == 0  # a re-run changes nothing
    for document in (lost_message, lost_worker):
        document.refresh_from_db()
        assert document.status == "failed" and "not finished in time" in document.error
        assert document.finished_at is not None
    for document, status in ((working, "rendering"), (done, "done")):
        document.refresh_from_db()
        assert document.status == status


@pytest.mark.django_db
def test_a_stale_document_can_be_asked_for_again_from_the_page(
    adopted_plan,
    users_for,
    client,
    eager,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.PDF_HARD_TIME_LIMIT = 150
    fresh = Document.objects.create(plan=adopted_plan, status="rendering", status_changed_at=_old(60))
    stale = Document.objects.create(
        plan=adopted_plan, status="rendering", attempts=1, status_changed_at=_old(211)
    )
    client.force_login(users_for(adopted_plan)["coordinator"])
    page = client.get(reverse("reporting:documents", args=["plan", adopted_plan.pk])).content.decode()
    assert reverse("reporting:document-retry", args=[stale.pk]) in page
    assert reverse("reporting:document-retry", args=[fresh.pk]) not in page
    assert "taking longer than it should" in page

    assert client.post(reverse("reporting:document-retry", args=[fresh.pk])).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:document-retry", args=[stale.pk]))
    stale.refresh_from_db()
    assert (stale.status, stale.attempts) == ("done", 2)


@pytest.mark.django_db
def test_a_render_lost_twice_is_given_up_as_failed(adopted_plan, eager):
    document = Document.objects.create(plan=adopted_plan, status="rendering", attempts=2)
    with pytest.raises(tasks.DocumentFailed):
        tasks.render_document.delay(document.pk)
    document.refresh_from_db()
    assert document.status == "failed" and "stopped 2 times" in document.error


@pytest.mark.django_db
def test_an_unwritable_media_root_is_a_recorded_and_logged_failure(
    adopted_plan,
    users_for,
    eager,
    settings,
    tmp_path,
    caplog,
    django_capture_on_commit_callbacks,
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker / "media"  # any write below it fails, even as root
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        document = documents.document_request(actor=users_for(adopted_plan)["coordinator"], plan=adopted_plan)
    document.refresh_from_db()
    assert document.status == "failed" and "could not be stored" in document.error
    assert not document.file
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("could not be stored" in r.getMessage() for r in errors)
    assert not any("succeeded" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_when_the_queue_is_down_the_page_says_so_instead_of_being_made(
    adopted_plan,
    users_for,
    client,
    monkeypatch,
    reference_data,
):
    """Real commits (ATOMIC_REQUESTS): the queue is asked on commit, before the message is kept."""
    published = []

    def down(*args, **kwargs):
        raise OSError("Connection refused")

    monkeypatch.setattr(tasks.render_document, "apply_async", lambda **kw: published.append(kw))
    client.force_login(users_for(adopted_plan)["coordinator"])
    url = reverse("reporting:documents", args=["plan", adopted_plan.pk])
    waiting = client.post(url)["Location"]  # the page that waits for the PDF asked for
    assert published and "Your PDF is being made" in client.get(waiting).content.decode()

    monkeypatch.setattr(tasks.render_document, "apply_async", down)
    waiting = client.post(url)["Location"]
    page = client.get(waiting).content.decode()
    assert "queue is not reachable" in page and "being made" not in page


# --- Real processes ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own, free to be stopped (SIGSTOP) without harming others."""
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield server, f"redis://127.0.0.1:{port}/0"
    server.send_signal(signal.SIGCONT)
    server.kill()
    server.wait()


def _env(settings, redis_url: str, **extra: str) -> dict:
    db = connection.settings_dict
    return (
        {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        | {
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SECRET_KEY": "worker-in-tests-" + "k" * 40,
            "DJANGO_DEBUG": "false",
        }
        | extra
    )


def test_publishing_to_a_hung_redis_gives_up_within_about_two_seconds(own_redis, settings):
    """Redis stopped mid-flight (SIGSTOP: connections open, nothing answers): a request that
    enqueues must not hang; the bounded socket timeout and a single try give up in ~2 s."""
    server, url = own_redis
    server.send_signal(signal.SIGSTOP)
    script = (
        "import time, django; django.setup()\n"
        "from reporting.tasks import sweep_stale_documents\n"
        "started = time.monotonic()\n"
        "try:\n    sweep_stale_documents.apply_async()\nexcept Exception as e:\n    print(type(e).__name__)\n"
        "print(round(time.monotonic() - started, 2))\n"
    )
    env = _env(settings, url, DJANGO_SETTINGS_MODULE="jmu_planner.settings")
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    ).stdout.split()
    assert out[0] == "OperationalError" and float(out[1]) < 3.5, out


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_is_redelivered_and_the_document_done(
    adopted_plan,
    users_for,
    client,
    settings,
    reference_data,
):
    """SIGKILL the whole worker while it renders: the unacknowledged task comes back after the
    visibility timeout (seconds here, just above the hard time limit in production) to the next
    worker, which renders it; the document never stays "rendering"."""
    for number in range(40):  # a plan long enough that the render is still running when killed
        measure = MeasureFactory(plan=adopted_plan, title=f"Mera {number} " + "tekst " * 20)
        IndicatorFactory(measure=measure)
        BudgetLineFactory(measure=measure, source=source("sctm"), amount="1000")
    queue = f"pdf-kill-{uuid.uuid4().hex[:8]}"
    settings.PDF_QUEUE = queue
    env = _env(
        settings,
        settings.REDIS_URL,
        PDF_QUEUE=queue,
        PDF_SOFT_TIME_LIMIT="20",
        PDF_HARD_TIME_LIMIT="25",
        CELERY_VISIBILITY_TIMEOUT="6",
        CELERY_UNACKED_RESTORE_INTERVAL="1",
    )
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "jmu_planner",
        "worker",
        "-Q",
        queue,
        "--pool=solo",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        "warning",
    ]

    def start():
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )

    def wait_for(document, statuses, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            document.refresh_from_db()
            if document.status in statuses:
                return
            time.sleep(0.02)

    first = start()
    second = None
    document = None
    try:
        client.force_login(users_for(adopted_plan)["coordinator"])
        client.post(reverse("reporting:documents", args=["plan", adopted_plan.pk]))
        document = Document.objects.get()
        wait_for(document, {"rendering", "done", "failed"}, 60)
        assert document.status == "rendering", (document.status, document.error)
        first.send_signal(signal.SIGKILL)
        first.communicate()
        document.refresh_from_db()
        assert document.status == "rendering" and document.attempts == 1
        second = start()
        wait_for(document, {"done", "failed"}, 90)
        assert (document.status, document.attempts) == ("done", 2), (document.status, document.error)
        assert document.file.size > 0
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                try:
                    worker.communicate(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.communicate()


@pytest.fixture
def retries_queued(monkeypatch):
    """A retry is sent to the broker for later, as in a worker; not run at once as an eager task's is."""
    from celery.exceptions import Retry

    def retry(exc=None, countdown=None, **kwargs):
        raise Retry(exc=exc, when=countdown)

    monkeypatch.setattr(tasks.render_document, "retry", retry)


class RefusedDatabase:
    """PostgreSQL refusing connections (a restart, "too many clients"): the connection is closed
    and reopened against a port where nothing listens, so every query meets a refused connection."""

    def __enter__(self):
        self.port = connection.settings_dict["PORT"]
        connection.close()
        connection.settings_dict["PORT"] = str(_free_port())
        return self

    def __exit__(self, *exc):
        connection.close()
        connection.settings_dict["PORT"] = self.port


@pytest.mark.django_db(transaction=True)
def test_a_database_refusing_connections_for_30_seconds_delays_the_pdf_and_it_is_made(
    adopted_plan, reference_data, retries_queued
):
    """Every delivery of the task while the database refuses (its first query included) is a retry,
    and the retries wait longer than a 30-second outage; then the PDF is made."""
    document = Document.objects.create(plan=adopted_plan)
    waited, retries = 0, 0
    with RefusedDatabase():
        while waited <= 30:
            result = tasks.render_document.apply(args=[document.pk], retries=retries, throw=False)
            assert result.state == "RETRY", result.state
            waited += result.result.when  # the countdown Celery would wait before the next delivery
            retries += 1
            assert retries <= tasks.render_document.max_retries, f"retries give up after {waited} s"
    tasks.render_document.apply(args=[document.pk], retries=retries)
    document.refresh_from_db()
    assert document.status == "done" and document.file


@pytest.mark.django_db(transaction=True)
def test_a_database_lost_in_the_middle_of_a_render_is_retried_not_given_up(
    adopted_plan, reference_data, monkeypatch, retries_queued
):
    """The connection refused after the document was marked rendering: the retry renders it (it is not
    counted as a render lost with its worker)."""
    document = Document.objects.create(plan=adopted_plan)
    html = documents.document_html
    outages = iter([True, True])

    def lose_the_database(document):
        if next(outages, False):
            connection.close()
            connection.settings_dict["PORT"], port = str(_free_port()), connection.settings_dict["PORT"]
            try:
                return html(document)
            finally:
                connection.close()
                connection.settings_dict["PORT"] = port
        return html(document)

    monkeypatch.setattr(documents, "document_html", lose_the_database)
    for retries in range(3):
        result = tasks.render_document.apply(args=[document.pk], retries=retries, throw=False)
        connection.close()
    document.refresh_from_db()
    assert (result.state, document.status, document.error) == ("SUCCESS", "done", "")


@pytest.mark.django_db(transaction=True)
def test_when_the_database_stays_away_the_document_is_failed_with_the_reason(
    adopted_plan, reference_data, monkeypatch
):
    """The last retry cannot write either: it leaves the failure to be recorded once the database
    answers (a message on the queue), so the document is not left "queued" without a word."""
    document = Document.objects.create(plan=adopted_plan)
    published = []
    monkeypatch.setattr(tasks.record_document_failure, "apply_async", lambda **kw: published.append(kw))
    with RefusedDatabase():
        tasks.render_document.apply(
            args=[document.pk], retries=tasks.render_document.max_retries, throw=False
        )
    document.refresh_from_db()
    assert document.status == "queued" and len(published) == 1
    tasks.record_document_failure.apply(args=published[0]["args"])
    document.refresh_from_db()
    assert document.status == "failed" and "database" in document.error
