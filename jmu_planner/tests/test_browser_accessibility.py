"""Accessibility and phones: axe-core finds no critical or serious violation on the main pages, and
at 375 px no page is wider than the screen (wide tables scroll inside their own box).

axe-core comes from package.json (`make static` copies it into static/vendor/axe/); it is injected
here only, never served to users. Screenshots at 375 px land in test-artifacts/ for people to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from jmu_planner.tests.browser import DESKTOP, PHONE, log_in, serious_violations, wide_elements
from plans.models import OperationalPlan
from reporting.models import Report
from stakeholders.demo import demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def optional_url(name: str, *args) -> str | None:
    """A page another part of the project may not have yet (the programme dashboard)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def check_page(page, url: str, name: str, artifacts_dir: Path) -> list[str]:
    """axe at desktop width, then the width at 375 px with a screenshot; the problems found."""
    problems = []
    page.set_viewport_size(DESKTOP)
    response = page.goto(url)
    assert response.status == 200, f"{name}: {response.status}"
    problems += [f"{name}: {v}" for v in serious_violations(page)]
    page.set_viewport_size(PHONE)
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{name}: {width} px wide at {PHONE['width']} px: {wide_elements(page)}")
    problems += [f"{name} (375 px): {v}" for v in serious_violations(page)]
    page.screenshot(path=artifacts_dir / f"phone-{name}.png", full_page=True)
    return problems


@pytest.fixture
def demo(live_server, page, reference_data):
    demo_seed()
    # No internet in tests: map tiles fail at once, as offline, instead of waiting for a timeout.
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    return live_server


def test_officer_pages_pass_axe_and_fit_a_phone(demo, page, artifacts_dir):
    plan = OperationalPlan.objects.filter(jmu__lsg__code="70645").order_by("-period_start").first()
    report = Report.objects.filter(jmu__lsg__code="70645").order_by("-period_start").first()
    pages = {
        "home-officer": reverse("home"),
        "plan": reverse("plans:plan-detail", args=[plan.pk]),
        "review-queue": reverse("plans:review-queue"),
        "report": reverse("reporting:report-detail", args=[report.pk]),
        "map": reverse("stakeholders:settlement-map"),
        "exports": reverse("reporting:exports"),
        "dashboard": optional_url("dashboard:programme"),
        "report-review-queue": optional_url("dashboard:report-review-queue"),
    }
    log_in(page, demo, "officer", "demo-officer")
    problems = []
    for name, path in pages.items():
        if path is not None:
            problems += check_page(page, f"{demo.url}{path}", name, artifacts_dir)
    assert not problems, "\n".join(problems)


def test_coordinator_pages_pass_axe_and_fit_a_phone(demo, page, artifacts_dir):
    draft = OperationalPlan.objects.get(jmu__lsg__code="70645", status=OperationalPlan.Status.DRAFT)
    measure = draft.measures.order_by("area__number", "number").first()
    pages = {
        "home-coordinator": reverse("home"),
        "plan-draft": reverse("plans:plan-detail", args=[draft.pk]),
        "measure-form": reverse("plans:measure-update", args=[measure.pk]),
        "lsg": reverse("stakeholders:lsg-detail", args=[draft.jmu.lsg_id]),
    }
    log_in(page, demo, "coordinator", "demo-coordinator")
    problems = []
    for name, path in pages.items():
        problems += check_page(page, f"{demo.url}{path}", name, artifacts_dir)
    assert not problems, "\n".join(problems)


def test_the_map_shows_markers_and_the_list_without_tiles(demo, page, artifacts_dir):
    log_in(page, demo, "officer", "demo-officer")
    page.goto(f"{demo.url}{reverse('stakeholders:settlement-map')}")
    expect(page.locator("#settlement-map[data-markers='5']")).to_be_attached()
    # Tiles cannot load here: the page says so, and markers and the list still work.
    expect(page.locator("#map-offline")).to_be_visible()
    expect(page.locator("#settlements")).to_contain_text("Naselje Podvorce")
    page.locator("#settlements").get_by_role("button", name="Naselje Podvorce").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Naselje Podvorce")
    expect(popup).to_contain_text("Leskovac")
    expect(popup).to_contain_text("900")
    page.screenshot(path=artifacts_dir / "map-officer.png", full_page=True)
    # Filtered by type: one substandard settlement fewer on the map after choosing "Formal".
    page.get_by_label("Type").select_option(label="Formal")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#settlement-map[data-markers='1']")).to_be_attached()
