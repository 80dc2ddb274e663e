"""A person's journey in a real browser: Debian's Chromium driven by Playwright."""

import re

import pytest
from playwright.sync_api import expect

from jmu_planner.tests.browser import log_in
from stakeholders.demo import demo_seed
from stakeholders.models import LSG, JMUMembership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_adds_a_member_and_another_lsg_cannot_open_the_page(
    live_server, page, reference_data, artifacts_dir
):
    demo_seed()
    kragujevac = LSG.objects.get(code="70645")

    log_in(page, live_server, "coordinator", "demo-coordinator")
    page.get_by_role("link", name="Kragujevac").first.click()
    expect(page.get_by_role("heading", name=re.compile("Kragujevac"))).to_be_visible()
    page.get_by_role("link", name="Add member").click()

    page.get_by_label("Name and surname").fill("Svetlana Nikolić")
    page.get_by_label("Role").select_option(label="Health mediator")
    page.get_by_label("Institution").select_option(label="Dom zdravlja Kragujevac")
    page.get_by_label("Phone").fill("064/111-2233")
    # First a mistake: the membership ends before it starts. The form keeps what was typed.
    page.get_by_label("Member since").fill("2025-02-01")
    page.get_by_label("Member until").fill("2025-01-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("A membership cannot end before it starts.", exact=True)).to_be_visible()
    expect(page.get_by_label("Name and surname")).to_have_value("Svetlana Nikolić")
    page.screenshot(path=artifacts_dir / "membership-form-error.png", full_page=True)

    page.get_by_label("Member until").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Svetlana Nikolić (Health mediator) added to the JMU.")).to_be_visible()
    members = page.locator("#members")
    expect(members.get_by_role("cell", name="Svetlana Nikolić")).to_be_visible()
    page.screenshot(path=artifacts_dir / "lsg-page-coordinator.png", full_page=True)
    membership = JMUMembership.objects.get(person_name="Svetlana Nikolić")
    assert membership.jmu.lsg == kragujevac

    # A coordinator of Leskovac cannot open Kragujevac's pages.
    page.get_by_role("button", name="Jelena Marković").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    log_in(page, live_server, "coordinator.leskovac", "demo-coordinator")
    for path in [
        f"/registry/lsgs/{kragujevac.pk}/",
        f"/registry/jmus/{membership.jmu_id}/members/new/",
        f"/registry/memberships/{membership.pk}/edit/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404, path
    page.goto(f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav).not_to_contain_text("Kragujevac")
    expect(nav).to_contain_text("Leskovac")
