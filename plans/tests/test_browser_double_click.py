"""A double click sends one form: the submit button is disabled while the POST is in flight
(static/js/submit-once.js); the server's one-time token and constraints are tested elsewhere."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jmu_planner.tests.browser import log_in
from plans.models import OperationalPlan
from stakeholders.demo import demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_double_clicked_save_sends_one_post_and_makes_one_plan(live_server, page, reference_data):
    demo_seed()
    year = timezone.localdate().year + 1
    log_in(page, live_server, "coordinator.leskovac", "demo-coordinator")
    page.goto(f"{live_server.url}/plans/new/")
    title = f"Dvostruki klik {year}"
    page.get_by_label("Title").fill(title)
    # Count the submits that would leave the page, and keep the page (a listener on window runs
    # after the site's own on document, as the browser's navigation would).
    page.evaluate(
        "window.submits = 0; window.addEventListener('submit', (e) => { if (!e.defaultPrevented) window.submits++; e.preventDefault(); })"
    )
    page.get_by_role("button", name="Save").dblclick()
    expect(page.get_by_role("button", name="Save")).to_be_disabled()
    assert page.evaluate("window.submits") == 1

    # The one submit that does go through makes the plan.
    page.reload()
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("created as a draft")
    assert OperationalPlan.objects.filter(title=title).count() == 1
