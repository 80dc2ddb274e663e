"""Print layouts cannot be turned against the server: user text never reaches CSS, WeasyPrint loads
nothing but our own static files (no network, no file://), and superseded plans carry no DRAFT."""

import datetime
import re
import subprocess
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.db import models
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from jmu_planner.tests.threads import JOIN_TIMEOUT
from plans.models import CommunicationItem, FundingSource, OperationalPlan, ThematicArea
from plans.tests.factories import BudgetLineFactory, IndicatorFactory, MeasureFactory, PlanFactory
from reporting import documents, services
from reporting.fetcher import PRINT_BASE_URL, RefusedURL, StaticFilesFetcher, static_path
from reporting.models import Document, FieldActivity, Report
from stakeholders.models import JMU, LSG, Institution, JMUMembership, Settlement
from stakeholders.tests.factories import (
    InstitutionFactory,
    JMUFactory,
    LSGFactory,
    MembershipFactory,
    SettlementFactory,
    user_with_role,
)

STATIC_DIR = Path(settings.BASE_DIR) / "static"


class Listener:
    """An HTTP server on 127.0.0.1 (random port) that records every request made to it."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"html { color: red }")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Listener":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(JOIN_TIMEOUT)
        assert not self.thread.is_alive(), "the listener's thread did not stop"


@pytest.fixture
def listener():
    with Listener() as running:
        yield running


@pytest.fixture
def fetched(monkeypatch):
    """Every URL WeasyPrint asks our fetcher for during the test."""
    urls: list[str] = []
    original = StaticFilesFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticFilesFetcher, "fetch", spy)
    return urls


def hostile(model: type[models.Model], field: str, tag: str, port: int) -> str:
    """A payload that breaks out of a CSS string or a <style> and asks for a URL, cut to the column."""
    full = (
        f'{tag}"\r\f;}}</style><style>@import url(http://127.0.0.1:{port}/{tag}-import);</style>'
        f"*{{background:url(http://127.0.0.1:{port}/{tag}-url)}}"
        f'<img src="http://127.0.0.1:{port}/{tag}-img"><link rel="stylesheet" href="file:///etc/passwd">'
    )
    short = f'{tag}"\r\f;}}@import url(//127.0.0.1:{port}/{tag})'
    limit = model._meta.get_field(field).max_length
    if limit is None:
        return full
    return (full if limit >= len(full) else short)[:limit]


class Tags:
    """One unique marker per field, so a leak names the field it came from."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.used: dict[str, str] = {}

    def __call__(self, model: type[models.Model], field: str) -> str:
        tag = f"QX{len(self.used):02d}"
        self.used[tag] = f"{model.__name__}.{field}"
        return hostile(model, field, tag, self.port)

    def fill(self, obj: models.Model, *fields: str) -> None:
        for field in fields:
            setattr(obj, field, self(type(obj), field))
        obj.save(update_fields=list(fields))


def hostile_plan_and_report(port: int) -> tuple[OperationalPlan, Report, Tags]:
    """An adopted plan and its monthly report with a payload in every field a print layout shows."""
    t = Tags(port)
    area = ThematicArea.objects.get(number=1)
    t.fill(area, "name_sr", "name_en")
    source = FundingSource.objects.get(code="sctm")
    t.fill(source, "name_sr", "name_en")
    lsg = LSGFactory(name_lat=t(LSG, "name_lat"), name_cyr=t(LSG, "name_cyr"))
    jmu = JMUFactory(lsg=lsg, name=t(JMU, "name"), decision_number=t(JMU, "decision_number"))
    MembershipFactory(
        jmu=jmu,
        person_name=t(JMUMembership, "person_name"),
        institution=InstitutionFactory(lsg=lsg, name=t(Institution, "name")),
    )
    plan = PlanFactory(
        jmu=jmu,
        status=OperationalPlan.Status.ADOPTED,
        adopting_body="assembly",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        adoption_date=datetime.date(2025, 12, 20),
    )
    t.fill(plan, "title", "lap_name", "lap_period", "lap_adoption", "context", "adoption_number")
    measure = MeasureFactory(
        plan=plan,
        area=area,
        responsible=InstitutionFactory(lsg=lsg, name=t(Institution, "name")),
        start_month=datetime.date(2026, 1, 1),
        end_month=datetime.date(2026, 12, 1),
    )
    t.fill(measure, "title", "objective", "objective_reference", "target_group", "partners", "activities")
    indicator = IndicatorFactory(measure=measure)
    t.fill(indicator, "name", "unit", "means_of_verification")
    line = BudgetLineFactory(measure=measure, source=source, amount=Decimal("1000.00"))
    t.fill(line, "description")
    CommunicationItem.objects.create(
        plan=plan,
        **{f: t(CommunicationItem, f) for f in ("audience", "message", "channel", "timing", "responsible")},
    )
    coordinator = user_with_role("coordinator", lsg)
    report = services.report_create(jmu=jmu, kind="monthly", day=datetime.date(2026, 3, 1), actor=coordinator)
    t.fill(report, "achievements", "problems", "proposals", "next_steps")
    settlement = SettlementFactory(lsg=lsg, name=t(Settlement, "name"))
    FieldActivity.objects.create(
        jmu=jmu,
        date=datetime.date(2026, 3, 5),
        settlement=settlement,
        male_18_64=7,
        note=t(FieldActivity, "note"),
    )
    return plan, report, t


def stylesheets(html: str) -> str:
    """All CSS a page carries: <style> elements and style="" attributes."""
    blocks = re.findall(r"<style\b[^>]*>(.*?)</style>", html, flags=re.S | re.I)
    attributes = re.findall(r"\bstyle\s*=\s*(\"[^\"]*\"|'[^']*')", html, flags=re.I)
    return "\n".join(blocks + attributes)


def pdf_text(document: Document) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", document.file.path, "-"], capture_output=True, check=True
    )
    return result.stdout.decode()


@pytest.mark.django_db
def test_hostile_text_in_every_printed_field_reaches_no_url_and_no_css(listener, fetched, reference_data):
    plan, report, tags = hostile_plan_and_report(listener.port)
    benign_plan = PlanFactory(jmu=JMUFactory(lsg=LSGFactory()))
    benign_css = stylesheets(documents.document_html(Document(plan=benign_plan)))
    for subject in (plan, report):
        kind = "plan" if subject is plan else "report"
        html = documents.document_html(Document(**{kind: subject}))
        css = stylesheets(html)
        # The CSS is the same text whatever the data: nothing typed by a user is ever inside it.
        assert css == benign_css, kind
        assert not [tag for tag in tags.used if tag in css]
        document = Document.objects.create(**{kind: subject})
        documents.document_render(document)
        document.refresh_from_db()
        assert document.status == Document.Status.DONE, document.error
        text = pdf_text(document)
        shown = {tags.used[tag] for tag in tags.used if tag in text}
        assert {"LSG.name_lat", "JMU.name"} <= shown  # the running header on pages 2+
        if kind == "plan":
            assert {
                "OperationalPlan.title",
                "OperationalPlan.context",
                "Measure.title",
                "Indicator.name",
                "Institution.name",
                "CommunicationItem.message",
                "JMUMembership.person_name",
            } <= shown
        else:
            assert {
                "Report.achievements",
                "Report.next_steps",
                "FieldActivity.note",
                "Settlement.name",
                "BudgetLine.description",
            } <= shown
    assert listener.paths == []
    # Nothing was even asked of the fetcher: the payloads stayed text.
    assert fetched == []


def test_the_listener_does_see_weasyprint_when_a_layout_names_it(listener, fetched):
    """The control for the test above: WeasyPrint's own fetcher would go out; ours does not."""
    html = (
        f'<link rel="stylesheet" href="http://127.0.0.1:{listener.port}/sheet.css">'
        f'<img src="http://127.0.0.1:{listener.port}/image.png"><link rel="stylesheet" href="file:///etc/passwd">'
        "<p>x</p>"
    )
    HTML(string=html, base_url=PRINT_BASE_URL, url_fetcher=StaticFilesFetcher()).write_pdf()
    assert listener.paths == []
    assert f"http://127.0.0.1:{listener.port}/sheet.css" in fetched and "file:///etc/passwd" in fetched
    HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("http",))).write_pdf()
    assert "/sheet.css" in listener.paths


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/static/css/app.css",
        "https://example.org/static/css/app.css",
        "ftp://example.org/static/css/app.css",
        "data:text/css,html{color:red}",
        "file:///etc/passwd",
        f"file://{STATIC_DIR}/css/app.css",  # a real file, but named by its place on disk
        "file://example.org/static/css/app.css",
        "file:///static/../jmu_planner/settings.py",
        "file:///static/%2e%2e/jmu_planner/settings.py",
        "file:///static/css/../../jmu_planner/settings.py",
        "file:///static//etc/passwd",
        "file:///static/",
        "file:///static/css/missing.css",
        urljoin(PRINT_BASE_URL, "/static/../settings.py"),
        urljoin(PRINT_BASE_URL, "../jmu_planner/settings.py"),
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(RefusedURL):
        StaticFilesFetcher().fetch(url)


def test_the_fetcher_serves_a_static_file_by_its_path():
    for url in ("file:///static/css/app.css", urljoin(PRINT_BASE_URL, "css/app.css")):
        response = StaticFilesFetcher().fetch(url)
        assert response.read() == (STATIC_DIR / "css" / "app.css").read_bytes()
        assert response.content_type == "text/css"


def test_the_fetcher_reads_collected_files_but_follows_no_link_out_of_static_root(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "print").mkdir()
    (tmp_path / "print" / "collected.css").write_text("p { color: blue }")
    (tmp_path / "print" / "escape.css").symlink_to("/etc/passwd")
    assert (
        static_path("file:///static/print/collected.css") == (tmp_path / "print" / "collected.css").resolve()
    )
    with pytest.raises(RefusedURL):
        static_path("file:///static/print/escape.css")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "watermark"),
    [("draft", True), ("submitted", True), ("approved", True), ("adopted", False), ("superseded", False)],
)
def test_only_versions_not_adopted_carry_the_draft_watermark(status, watermark, reference_data):
    plan = PlanFactory(
        jmu=JMUFactory(lsg=LSGFactory()),
        status=status,
        adopting_body="assembly",
        adoption_number="06-1/2027" if status in ("adopted", "superseded") else "",
    )
    MeasureFactory(plan=plan)
    assert plan.is_draft_document is watermark
    html = documents.document_html(Document(plan=plan))
    assert ('class="watermark"' in html) is watermark
    if not watermark:
        assert f"Adopted by the {plan.adopting_body_name}, decision no. 06-1/2027" in html
        assert plan.adopting_body_name == "Municipal Assembly"  # the LSG type names the body


@pytest.mark.django_db
def test_a_superseded_plan_pdf_says_adopted_and_not_draft(reference_data):
    plan = PlanFactory(
        jmu=JMUFactory(lsg=LSGFactory()),
        status=OperationalPlan.Status.SUPERSEDED,
        adopting_body="assembly",
        adoption_number="06-7/2027",
        adoption_date=datetime.date(2027, 1, 20),
    )
    document = Document.objects.create(plan=plan)
    documents.document_render(document)
    text = "".join(pdf_text(document).split())
    assert "Adoptedbythe" in text and "06-7/2027" in text
    assert "DRAFT" not in text


def test_the_css_string_filter_is_gone():
    from plans.templatetags import plan_tags

    assert "css_string" not in plan_tags.register.filters
    for template in (Path(settings.BASE_DIR) / "templates" / "pdf").glob("*.html"):
        source = template.read_text()
        for css in re.findall(r"<style\b[^>]*>(.*?)</style>", source, flags=re.S):
            assert "{{" not in css and "{%" not in css, template.name
        assert 'style="' not in source, template.name
