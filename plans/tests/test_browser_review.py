"""The review journey in a real browser: submit, comment, request changes, fix, approve, adopt."""

import re

import pytest
from playwright.sync_api import expect

from jmu_planner.tests.browser import log_in, log_out
from plans.models import OperationalPlan
from plans.tests.helpers import PDF
from stakeholders.demo import demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_goes_from_draft_to_adopted(live_server, page, reference_data, artifacts_dir, tmp_path):
    demo_seed()
    plan = OperationalPlan.objects.get(jmu__lsg__code="70645", status="draft")
    plan_url = f"{live_server.url}/plans/{plan.pk}/"

    # The coordinator submits the demo draft.
    log_in(page, live_server, "coordinator", "demo-coordinator")
    page.goto(plan_url)
    page.get_by_role("link", name="Submit for review").click()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("alert").first).to_contain_text("Submitted")
    expect(page.get_by_role("link", name="Add measure")).to_have_count(0)  # read-only now
    log_out(page)

    # The officer finds it in the review queue, comments on a measure and requests changes.
    log_in(page, live_server, "officer", "demo-officer")
    page.locator("nav.navbar").get_by_role("button", name="Review", exact=True).click()
    page.locator("nav.navbar").get_by_role("link", name="Review queue", exact=True).click()
    page.locator("#queue").get_by_role("link", name=plan.title).click()
    measure = plan.measures.get(area__number=2, number=1)
    page.get_by_label("New comment about").select_option(value=f"m{measure.pk}")
    page.locator("#thread-body").fill("Koliko osoba je realno uputiti u NSZ mere? 45 deluje visoko.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("#comments")).to_contain_text("Measure 2.1")
    page.get_by_role("link", name="Request changes").click()
    page.get_by_label("Note").fill("Uskladite cilj za meru 2.1 sa kapacitetom filijale NSZ.")
    page.get_by_role("button", name="Send back for changes").click()
    expect(page.locator("#timeline")).to_contain_text("Changes requested")
    log_out(page)

    # The coordinator sees the note, fixes the measure, answers, resubmits.
    log_in(page, live_server, "coordinator", "demo-coordinator")
    page.goto(plan_url)
    expect(page.get_by_text("Uskladite cilj za meru 2.1")).to_have_count(2)  # banner and timeline
    page.locator(f"#measure-{measure.pk}").get_by_role("link", name="Edit").click()
    page.locator("[name=indicators-0-target]").fill("30")
    page.get_by_role("button", name="Save measure").click()
    expect(page.get_by_text("Measure 2.1 saved.")).to_be_visible()
    thread = page.locator("#comments .card").first
    thread.get_by_placeholder("Reply…").fill("Smanjeno na 30, u dogovoru sa filijalom.")
    thread.get_by_role("button", name="Reply").click()
    page.locator("#comments .card").first.get_by_role("button", name="Resolve").click()
    expect(page.locator("#comments")).to_contain_text("resolved")
    page.get_by_role("link", name="Submit for review").click()
    page.get_by_role("button", name="Submit").click()
    log_out(page)

    # The officer approves.
    log_in(page, live_server, "officer", "demo-officer")
    page.goto(plan_url)
    page.get_by_role("link", name="Approve").click()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#timeline")).to_contain_text("Approved")
    log_out(page)

    # The coordinator records the adoption with the scanned decision.
    decision = tmp_path / "odluka.pdf"
    decision.write_bytes(PDF)
    log_in(page, live_server, "coordinator", "demo-coordinator")
    page.goto(plan_url)
    page.get_by_role("link", name="Record adoption").click()
    page.get_by_label("Adopted by").select_option(label="City council")
    page.get_by_label("Decision number").fill("06-77/2026-II")
    page.get_by_label("Decision date").fill("2026-11-20")
    page.locator("#id_signatory_name").fill("Ana Ilić")
    page.locator("#id_signatory_function").fill("Predsednica Gradskog veća")
    page.get_by_label(re.compile("Scanned decision")).set_input_files(str(decision))
    page.get_by_role("button", name="Record adoption").click()
    expect(page.get_by_text("This version is frozen.")).to_be_visible()
    expect(page.locator("#adoption")).to_contain_text("06-77/2026-II")
    page.screenshot(path=artifacts_dir / "plan-adopted.png", full_page=True)

    plan.refresh_from_db()
    assert plan.status == OperationalPlan.Status.ADOPTED
    assert [t.to_status for t in plan.transitions.all()] == [
        "submitted",
        "changes_requested",
        "submitted",
        "approved",
        "adopted",
    ]
    assert plan.measures.get(area__number=2, number=1).indicators.first().target == 30
