"""A coordinator writes a plan in a real browser (Debian's Chromium driven by Playwright)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jmu_planner.tests.browser import log_in
from plans.models import OperationalPlan
from stakeholders.demo import demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_measure(page, area, title, indicators, lines, start="2027-03", end="2027-10"):
    page.get_by_role("link", name="Add measure").click()
    page.get_by_label("Thematic area").select_option(label=area)
    page.get_by_label("Measure*").fill(title)
    page.get_by_label("Responsible institution").select_option(index=1)
    page.get_by_label("Start month").fill(start)
    page.get_by_label("End month").fill(end)
    for i, (name, unit, baseline, target) in enumerate(indicators):
        if i > 0:  # the form offers one blank row; htmx adds the others without a reload
            page.get_by_role("button", name="Add indicator").click()
            expect(page.locator(f"[name=indicators-{i}-name]")).to_be_visible()
        page.locator(f"[name=indicators-{i}-name]").fill(name)
        page.locator(f"[name=indicators-{i}-unit]").fill(unit)
        page.locator(f"[name=indicators-{i}-baseline]").fill(baseline)
        page.locator(f"[name=indicators-{i}-target]").fill(target)
    for i, (source, amount) in enumerate(lines):
        if i > 0:
            page.get_by_role("button", name="Add budget line").click()
            expect(page.locator(f"[name=budget-{i}-source]")).to_be_visible()
        page.locator(f"[name=budget-{i}-source]").select_option(label=source)
        page.locator(f"[name=budget-{i}-amount]").fill(amount)
    page.get_by_role("button", name="Save measure").click()


def test_coordinator_writes_a_plan_and_sees_the_totals_change(
    live_server, page, reference_data, artifacts_dir
):
    demo_seed()
    year = timezone.localdate().year + 1
    log_in(page, live_server, "coordinator.leskovac", "demo-coordinator")
    page.get_by_role("link", name="Plans").click()
    page.get_by_role("link", name="New plan").click()
    page.get_by_label("Title").fill(f"Operativni plan mobilnog tima Leskovac za {year}.")
    page.get_by_label("LAP period").fill("2025–2029")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("created as a draft")
    expect(page.locator("#total-overall")).to_have_text("0.00")

    add_measure(
        page,
        "1. Education",
        "Upis romske dece u pripremni predškolski program",
        [("Upisana deca", "dece", "18", "30"), ("Obuhvat dece", "%", "40", "75")],
        [("LSG budget", "150000"), ("SCTM co-financing", "250000")],
    )
    expect(page.get_by_text("Measure 1.1 saved.")).to_be_visible()
    expect(page.locator("#total-overall")).to_have_text("400,000.00")

    add_measure(
        page,
        "1. Education",
        "Mentorska podrška učenicima",
        [("Učenici u mentorstvu", "učenika", "12", "25")],
        [("LSG budget", "100000.50")],
    )
    expect(page.get_by_text("Measure 1.2 saved.")).to_be_visible()
    expect(page.locator("#total-overall")).to_have_text("500,000.50")
    expect(page.locator("#total-by-source")).to_contain_text("LSG budget")
    expect(page.locator("#total-by-source")).to_contain_text("250,000.50")
    expect(page.locator("#total-by-area")).to_contain_text("500,000.50")
    expect(page.get_by_text("50.0 %").first).to_be_visible()
    page.screenshot(path=artifacts_dir / "plan-page.png", full_page=True)

    plan = OperationalPlan.objects.get(jmu__lsg__code="70726")
    assert [m.code for m in plan.measures.select_related("area")] == ["1.1", "1.2"]
    assert plan.measures.get(number=1).indicators.count() == 2

    # A mistake on the form is shown at the field; the plan total does not move.
    page.get_by_role("link", name="Add measure").click()
    page.get_by_label("Thematic area").select_option(label="2. Employment")
    page.get_by_label("Measure*").fill("Loš iznos")
    page.locator("[name=indicators-0-name]").fill("Osobe")
    page.locator("[name=indicators-0-unit]").fill("osoba")
    page.locator("[name=budget-0-source]").select_option(label="LSG budget")
    page.locator("[name=budget-0-amount]").fill("-5")
    page.get_by_role("button", name="Save measure").click()
    # At the field, and named in the summary at the top (which links to it).
    expect(page.locator(".invalid-feedback", has_text="zero or more")).to_be_visible()
    expect(page.locator("#error-summary")).to_contain_text("zero or more")
    expect(page.get_by_label("Measure*")).to_have_value("Loš iznos")
    page.screenshot(path=artifacts_dir / "measure-form-error.png", full_page=True)
    assert plan.measures.count() == 2
