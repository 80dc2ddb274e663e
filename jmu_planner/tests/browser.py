"""Steps every browser journey shares (Playwright's `page` fixture: conftest.py)."""

import re

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
