"""Steps every browser journey shares (Playwright's `page` fixture: conftest.py)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


def log_out(page):
    page.locator("nav [data-bs-toggle=dropdown]").last.click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe" / "axe.min.js"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def serious_violations(page) -> list[str]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make static` (axe-core comes from package.json).")
    # By URL from the test server's static files: the CSP refuses an inline copy (path=...).
    origin = page.evaluate("location.origin")
    page.add_script_tag(url=f"{origin}/{settings.STATIC_URL.strip('/')}/vendor/axe/axe.min.js")
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations
                .filter((v) => v.impact === "critical" || v.impact === "serious")
                .map((v) => `${v.impact} ${v.id}: ${v.help} -> ` +
                            v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
        }"""
    )
    return violations


WIDE_ELEMENTS = """() => {
    const limit = document.documentElement.clientWidth;
    const scrolls = (el) => el.closest(".table-responsive, .overflow-auto, .leaflet-container");
    return [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > limit + 1 && !scrolls(el.parentElement || el))
        .filter((el) => ![...el.children].some((c) => c.getBoundingClientRect().right > limit + 1))
        .slice(0, 4)
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")}`
                     + ` (${Math.round(el.getBoundingClientRect().right)} px)`);
}"""


def wide_elements(page) -> str:
    """The innermost elements that stick out of the screen: where to look first."""
    return ", ".join(page.evaluate(WIDE_ELEMENTS))
