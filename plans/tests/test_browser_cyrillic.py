"""A coordinator works in Cyrillic: the log-in page's menu, a plan, its PDF (Chromium, Playwright)."""

import re
import subprocess

import pytest
from django.utils import translation
from playwright.sync_api import expect

from jmu_planner.celery import app as celery_app
from plans.models import OperationalPlan
from plans.selectors import measures_with_details, plan_totals
from reporting.models import Document
from stakeholders.demo import demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.serbian, pytest.mark.django_db(transaction=True)]
CYRILLIC_WORD = re.compile(r"[\u0400-\u04FF]{4,}")
LATIN_WORD = re.compile(r"\b[A-Za-z]{4,}\b")


def in_cyrillic(text: str) -> str:
    with translation.override("sr"):
        return translation.gettext(text)


@pytest.fixture
def eager_tasks():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def test_a_coordinator_works_in_cyrillic_from_log_in_to_pdf(
    live_server, page, reference_data, artifacts_dir, eager_tasks
):
    demo_seed()
    plan = OperationalPlan.objects.filter(jmu__lsg__code="70645").exclude(measures=None).first()
    total = plan_totals(measures_with_details(plan)).overall
    assert total > 1000  # the figure below must show a thousands separator

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#nav-language").select_option("sr")  # the menu is on the log-in page too
    expect(page.locator("html")).to_have_attribute("lang", "sr-Cyrl")
    expect(page.get_by_role("heading", name=in_cyrillic("Log in"))).to_be_visible()
    page.locator("input[name=username]").fill("coordinator")
    page.locator("input[name=password]").fill("demo-coordinator")
    page.get_by_role("button", name=in_cyrillic("Log in")).click()
    expect(page.locator("html")).to_have_attribute("lang", "sr-Cyrl")

    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    serbian_total = f"{total:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    expect(page.locator("#total-overall")).to_have_text(serbian_total)
    body = page.locator("main").inner_text()
    assert CYRILLIC_WORD.search(body), "the plan page shows no Cyrillic"
    assert in_cyrillic("Thematic area") != "Thematic area"
    page.screenshot(path=artifacts_dir / "plan-cyrillic.png", full_page=True)

    # One click makes the PDF; the page that waits for it downloads it once made.
    with page.expect_download() as download:
        page.get_by_role("button", name=in_cyrillic("PDF")).first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    document = Document.objects.filter(plan=plan).latest("pk")
    assert document.status == Document.Status.DONE, document.error
    assert document.language == "sr"
    text = subprocess.run(
        ["pdftotext", "-layout", document.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert serbian_total in text
    assert CYRILLIC_WORD.search(text)
    assert in_cyrillic("Operational plan") in text or in_cyrillic("Measures") in text
    page.screenshot(path=artifacts_dir / "documents-cyrillic.png", full_page=True)
