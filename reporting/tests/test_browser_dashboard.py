"""Each role's home page and the dashboard in a real browser, on the demo data, at desktop and
phone width: the charts are drawn by the static script (CSP allows no inline one), the numbers
sit one click away, and nothing makes the page wider than a 375 px phone."""

import pytest
from playwright.sync_api import expect

from jmu_planner.tests.browser import log_in
from stakeholders.demo import demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = [
    ("coordinator", "demo-coordinator"),
    ("member", "demo-member"),
    ("expert", "demo-expert"),
    ("officer", "demo-officer"),
]


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("username, password", ROLES)
def test_home_and_dashboard_at_desktop_and_phone_width(
    live_server, browser, reference_data, artifacts_dir, username, password
):
    demo_seed()
    for width, height in [(1280, 900), (375, 812)]:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors = []
        page.on(
            "console",
            lambda message, seen=errors: seen.append(message.text) if message.type == "error" else None,
        )
        log_in(page, live_server, username, password)
        expect(page.get_by_role("link", name="Dashboard").first).to_be_visible()
        assert page_width(page) <= width, f"home is {page_width(page)} px wide at {width} px"
        page.screenshot(path=artifacts_dir / f"home-{username}-{width}.png", full_page=True)

        page.goto(f"{live_server.url}/dashboard/")
        expect(page.locator("#dashboard-lsgs")).to_be_visible()
        for chart in ("chart-progress", "chart-spending", "chart-statuses"):
            page.wait_for_function(f"window.Chart && Chart.getChart('{chart}') !== undefined")
        page.get_by_text("The numbers as a table").first.click()
        expect(page.locator("#table-progress")).to_be_visible()
        assert page_width(page) <= width, f"dashboard is {page_width(page)} px wide at {width} px"
        page.screenshot(path=artifacts_dir / f"dashboard-{username}-{width}.png", full_page=True)
        assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
        context.close()
