"""PDF documents: eager rendering, the failure path, access, query counts, a real worker on Redis."""

import ast
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import OperationalPlan
from plans.tests.factories import MeasureFactory
from reporting import document_kinds, documents, tasks
from reporting.models import DOCUMENT_SUBJECTS, Document

ROOT = Path(__file__).resolve().parents[2]


def pdf_text(document: Document) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", document.file.path, "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.mark.django_db
def test_a_plan_pdf_holds_the_measures_in_one_script_and_the_totals(
    adopted_plan, users_for, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = documents.document_request(actor=users_for(adopted_plan)["coordinator"], plan=adopted_plan)
    document.refresh_from_db()
    assert document.status == Document.Status.DONE and document.pages >= 3
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    text = pdf_text(document)
    assert "Upis dece u vrtić – ćirilica Ђорђе" in text and "Lična dokumenta za žene" in text
    # The reader's script only (issue 25: no name in the other script on the cover).
    assert "Šabac test" in text and "Шабац тест" not in text
    assert "200,000.50" in text  # the plan's total
    assert "Page 1 of" in text and "06-12/2026" in text
    assert "DRAFT" not in "".join(text.split())


@pytest.mark.django_db
def test_a_draft_carries_the_watermark_and_regenerating_makes_a_new_document(
    adopted_plan, users_for, eager, django_capture_on_commit_callbacks
):
    OperationalPlan.objects.filter(pk=adopted_plan.pk).update(status="draft")
    coordinator = users_for(adopted_plan)["coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        first = documents.document_request(actor=coordinator, plan=adopted_plan)
    with django_capture_on_commit_callbacks(execute=True):
        second = documents.document_request(actor=coordinator, plan=adopted_plan)
    first.refresh_from_db()
    second.refresh_from_db()
    text = pdf_text(first)
    assert text.count("DRAFT") == first.pages  # the watermark is on every page
    assert first.pk != second.pk and first.file.name != second.file.name
    assert Path(first.file.path).exists() and Path(second.file.path).exists()


@pytest.mark.django_db
def test_a_failure_is_recorded_with_its_reason_and_can_be_retried(
    adopted_plan, users_for, eager, plan_print_template, client, django_capture_on_commit_callbacks
):
    plan_print_template("pdf/does-not-exist.html")
    coordinator = users_for(adopted_plan)["coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        document = documents.document_request(actor=coordinator, plan=adopted_plan)
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert "TemplateDoesNotExist: pdf/does-not-exist.html" in document.error
    client.force_login(coordinator)
    page = client.get(reverse("reporting:documents", args=["plan", adopted_plan.pk])).content.decode()
    assert "pdf/does-not-exist.html" in page and "Retry" in page
    plan_print_template("pdf/plan.html")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:document-retry", args=[document.pk]))
    document.refresh_from_db()
    assert (document.status, document.attempts) == (Document.Status.DONE, 2)


@pytest.mark.django_db
def test_an_unreachable_queue_marks_the_document_failed(
    adopted_plan, users_for, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise OSError("Connection refused")

    monkeypatch.setattr(tasks.render_document, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        document = documents.document_request(actor=users_for(adopted_plan)["coordinator"], plan=adopted_plan)
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED and "not reachable" in document.error


@pytest.mark.django_db
def test_the_print_template_runs_no_queries(adopted_plan, django_assert_num_queries):
    from django.template.loader import render_to_string
    from django.utils import timezone

    document = Document(plan=adopted_plan)
    # plan with JMU/LSG/district, measures, indicators, co-responsible/partners/secondary areas
    # (one UNION), budget lines, shared envelopes, JMU members, communication, the other plans'
    # SCTM lines for the co-financing rule (one aggregate) = 9.
    with django_assert_num_queries(9):
        context = documents.plan_context(adopted_plan)
    for _ in range(10):  # more measures, the same count
        MeasureFactory(plan=adopted_plan)
    with django_assert_num_queries(9):
        context = documents.plan_context(adopted_plan)
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string(
            "pdf/plan.html", context | {"document": document, "generated_at": timezone.now()}
        )
    assert len(queries) == 0 and "Upis dece" in html


@pytest.mark.django_db
def test_downloads_only_for_those_who_may_see_the_plan(
    adopted_plan, users_for, client, eager, django_capture_on_commit_callbacks
):
    users = users_for(adopted_plan)
    with django_capture_on_commit_callbacks(execute=True):
        document = documents.document_request(actor=users["coordinator"], plan=adopted_plan)
    document.refresh_from_db()
    url = reverse("reporting:document-download", args=[document.pk])
    for role, expected in [
        ("coordinator", 200),
        ("member", 200),
        ("expert", 200),
        ("officer", 200),
        ("other_coordinator", 404),
        ("unassigned_expert", 404),
    ]:
        client.force_login(users[role])
        response = client.get(url)
        assert response.status_code == expected, role
        if expected == 200:  # streamed from storage, typed and named
            assert b"".join(response.streaming_content)[:5] == b"%PDF-"
            assert response["Content-Type"] == "application/pdf"
            assert (
                response["Content-Disposition"]
                == f'attachment; filename="{document.file.name.rsplit("/", 1)[-1]}"'
            )


@pytest.mark.django_db
def test_members_read_documents_but_do_not_make_them(adopted_plan, users_for, client):
    client.force_login(users_for(adopted_plan)["member"])
    assert client.post(reverse("reporting:documents", args=["plan", adopted_plan.pk])).status_code == 403
    assert not Document.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_renders_the_pdf_end_to_end(
    adopted_plan, users_for, client, settings, reference_data
):
    """The web request returns at once; a worker process on Redis renders; the page sees it done."""
    queue = f"pdf-test-{uuid.uuid4().hex[:8]}"
    settings.PDF_QUEUE = queue
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "PDF_QUEUE": queue,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SECRET_KEY": "worker-in-tests-" + "k" * 40,
        "DJANGO_DEBUG": "false",
    }
    worker = subprocess.Popen(
        [
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
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        client.force_login(users_for(adopted_plan)["coordinator"])
        started = time.monotonic()
        response = client.post(reverse("reporting:documents", args=["plan", adopted_plan.pk]))
        assert response.status_code == 302 and time.monotonic() - started < 5
        document = Document.objects.get()
        assert document.status == Document.Status.QUEUED, document.error
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            document.refresh_from_db()
            if not document.is_pending:
                break
            time.sleep(0.5)
        assert document.status == Document.Status.DONE, (document.status, document.error)
        assert "Upis dece u vrtić" in pdf_text(document)
        page = client.get(
            reverse("reporting:documents", args=["plan", adopted_plan.pk]), HTTP_HX_REQUEST="true"
        )
        assert "Download" in page.content.decode() and "every 2s" not in page.content.decode()
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        if document_failed := Document.objects.filter(status="failed").exists():
            print(output, document_failed)


def test_every_subject_a_document_may_have_is_a_registered_kind():
    """The Document's subject fields and the registry (reporting.document_kinds) name the same kinds:
    a subject field without a kind could be made but never listed, shown or downloaded."""
    assert set(document_kinds.KINDS) == set(DOCUMENT_SUBJECTS)


def test_the_document_service_does_not_import_the_task_module():
    """The task imports the service (a task calls a service); the service enqueues the task by its name."""
    tree = ast.parse(Path(documents.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
    assert "reporting.tasks" not in imported
    assert tasks.render_document.name == documents.RENDER_TASK
