"""Forms that keep people's work and show the way, in a real browser: the leave-page warning, the
error summary that takes the focus, the scanned decision kept after a refused adoption."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from jmu_planner.tests.browser import log_in
from plans.models import OperationalPlan
from plans.tests.helpers import PDF, move
from stakeholders.demo import demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = OperationalPlan.Status


def draft_plan() -> OperationalPlan:
    demo_seed()
    return OperationalPlan.objects.get(jmu__lsg__code="70645", status="draft")


def test_leaving_a_changed_form_asks_first_and_saving_does_not(live_server, page, reference_data):
    plan = draft_plan()
    log_in(page, live_server, "coordinator", "demo-coordinator")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "Stay on the page"

    page.on("dialog", answer)
    edit_url = f"{live_server.url}/plans/{plan.pk}/edit/"
    page.goto(edit_url)
    # Unchanged: leaving asks nothing.
    page.locator("nav.navbar").get_by_role("link", name="Plans", exact=True).click()
    expect(page).not_to_have_url(edit_url)
    assert dialogs == []

    page.goto(edit_url)
    page.get_by_label("Title").fill("Analiza stanja: ovo ne sme da nestane")
    page.locator("nav.navbar").get_by_role("link", name="Plans", exact=True).click()
    expect(page.get_by_label("Title")).to_have_value("Analiza stanja: ovo ne sme da nestane")
    assert dialogs == ["beforeunload"] and page.url == edit_url

    # Saving is leaving on purpose: no question.
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Analiza stanja: ovo ne sme da nestane")).to_be_visible()
    assert dialogs == ["beforeunload"]


def test_a_refused_measure_shows_its_errors_at_the_top_and_focuses_them(
    live_server, page, reference_data, artifacts_dir
):
    plan = draft_plan()
    log_in(page, live_server, "coordinator", "demo-coordinator")
    page.goto(f"{live_server.url}/plans/{plan.pk}/measures/new/")
    page.locator("[name=indicators-0-name]").fill("Upisana deca")
    page.locator("[name=indicators-0-target]").fill("mnogo")
    page.get_by_role("button", name="Save measure").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("link", name=re.compile("^Measure"))).to_be_visible()
    for width in (1366, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=artifacts_dir / f"measure-form-error-{width}.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    summary.get_by_role("link", name=re.compile("Indicator 1, target", re.I)).click()
    expect(page.locator("#id_indicators-0-target")).to_be_focused()
    expect(page.locator("#id_indicators-0-target")).to_be_in_viewport()


def test_a_plan_submission_refusal_links_to_the_field_to_fix(live_server, page, reference_data):
    plan = draft_plan()
    measure = plan.measures.order_by("area__number", "number").first()
    measure.responsible = None
    measure.save(update_fields=["responsible"])
    log_in(page, live_server, "coordinator", "demo-coordinator")
    page.goto(f"{live_server.url}/plans/{plan.pk}/move/submitted/")
    missing = page.locator("#missing")
    expect(missing).to_be_focused()
    missing.get_by_role("link", name=re.compile(f"Measure {re.escape(measure.code)}:")).click()
    expect(page.locator("#id_responsible")).to_be_focused()


def test_the_scanned_decision_survives_a_refused_adoption(live_server, page, reference_data, tmp_path):
    plan = draft_plan()
    users = get_user_model().objects.in_bulk(["coordinator", "officer"], field_name="username")
    move(plan, Status.SUBMITTED, users["coordinator"])
    move(plan, Status.APPROVED, users["officer"])
    decision = tmp_path / "odluka-skupstine.pdf"
    decision.write_bytes(PDF)

    log_in(page, live_server, "coordinator", "demo-coordinator")
    page.goto(f"{live_server.url}/plans/{plan.pk}/adopt/")
    page.get_by_label("Adopted by").select_option(label="City council")
    page.get_by_label("Decision number").fill("06-77/2026-II")
    page.locator("[name=signatory_name]").fill("Marija Petrović")
    page.locator("[name=signatory_function]").fill("Predsednica Gradskog veća")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Decision date").fill(tomorrow.isoformat())
    page.get_by_label(re.compile("Scanned decision")).set_input_files(str(decision))
    page.get_by_role("button", name="Record adoption").click()

    expect(page.locator("#error-summary")).to_contain_text("cannot be in the future")
    expect(page.get_by_text("Kept: odluka-skupstine.pdf")).to_be_visible()
    page.get_by_label("Decision date").fill((tomorrow - datetime.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Record adoption").click()  # no file chosen again
    expect(page.get_by_text("This version is frozen.")).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == Status.ADOPTED and stored(plan) == PDF


def stored(plan):
    with plan.adoption_file.open("rb") as file:
        return file.read()


def test_the_home_lists_reports_due_in_due_order(live_server, page, reference_data, artifacts_dir):
    demo_seed()
    log_in(page, live_server, "coordinator", "demo-coordinator")
    items = page.locator(".due-list li")
    expect(items.first).to_be_visible()
    dates = items.evaluate_all("items => items.map(item => item.dataset.due)")
    assert len(dates) >= 2 and dates == sorted(dates)
    expect(page.locator(".due-rule").first).to_contain_text("once its period has ended")
    # "Start" only where the period has ended: each offered link's month is before this one.
    this_month = timezone.localdate().strftime("%Y-%m")
    for href in page.locator(
        ".due-list a[href*='report-create'], .due-list a[href*='/reports/new/']"
    ).evaluate_all("links => links.map(link => link.getAttribute('href'))"):
        assert re.search(r"month=(\d{4}-\d{2})", href).group(1) < this_month
    for width in (1366, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=artifacts_dir / f"home-{width}.png", full_page=True)
