"""A JMU member logs field work on a 375 px phone with no signal (issue 24): the entries wait on the
device through a reload and a closed page, are sent once when the connection returns, and one
for a closed month comes back refused with its reason, is fixed and sent. axe-core finds no
serious violation on the new pages. Screenshots land in test-artifacts/ (and SHOTS_DIR if set)."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from jmu_planner.tests.browser import PHONE, log_in, serious_violations, wide_elements
from reporting.models import FieldActivity, Report
from stakeholders.demo import demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="en-GB", service_workers="allow")
    context.set_default_timeout(20_000)
    yield context
    context.close()


def shoot(page, artifacts_dir: Path, name: str) -> None:
    page.screenshot(path=artifacts_dir / f"field-log-{name}.png", full_page=True)
    if os.environ.get("SHOTS_DIR"):
        page.screenshot(path=Path(os.environ["SHOTS_DIR"]) / f"{name}.png", full_page=True)


HELD = """async () => {
    if (!navigator.serviceWorker.controller) return false;
    for (const name of (await caches.keys()).filter((n) => n.startsWith("jmu-pages-"))) {
        const cache = await caches.open(name);
        if (await cache.match("/reports/field-log/new/", {ignoreSearch: true})) return true;
    }
    return false;
}"""


def offline_ready(page) -> None:
    """The service worker controls the page and holds the field-log pages (polled here: the CSP
    forbids the eval of wait_for_function's strings). A page opened before the worker took over
    is loaded again, through it."""
    for attempt in range(60):
        if page.evaluate(HELD):
            return
        page.wait_for_timeout(500)
        if attempt % 6 == 5:
            page.reload()
    pytest.fail("The service worker did not keep the field-log pages.")


def fill_entry(page, *, day: datetime.date, boys: str, women: str) -> None:
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Settlement").select_option(index=1)
    page.get_by_label("boys 0-17").fill(boys)
    page.get_by_label("women 18-64").fill(women)
    page.get_by_label("Households visited").fill("2")


def device_entries(page, status: str = ""):
    """The entries drawn from the device, by their state (waiting, sent, refused)."""
    return page.locator(f"#device-entries .device-entry{f'[data-status={status}]' if status else ''}")


def test_a_member_logs_field_work_offline_and_it_is_sent_once(
    live_server, phone, reference_data, artifacts_dir
):
    demo_seed()
    today = timezone.localdate()
    accepted = (
        Report.objects.filter(jmu__lsg__code="70645", kind="monthly", status="accepted")
        .order_by("-period_start")
        .first()
    )
    page = phone.new_page()
    log_in(page, live_server, "member", "demo-member")

    def mine():  # a fresh query each time; the demo's own entries have no author
        return FieldActivity.objects.filter(created_by__username="member")

    expect(page.locator("#log-field-work")).to_be_visible()
    page.locator("#log-field-work").click()
    expect(page.get_by_role("heading", name="Log field work")).to_be_visible()
    assert page.get_by_label("Date").input_value() == today.isoformat()
    assert page.get_by_role(
        "checkbox", name=re.compile("Dragan Jovanović")
    ).is_checked()  # the member is ticked
    page.get_by_label("boys 0-17").fill("3")
    page.get_by_label("girls 0-17").fill("4")
    expect(page.locator("#people-sum")).to_have_text("7")  # the sum as they type
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide_elements(page)
    assert not serious_violations(page)
    offline_ready(page)
    shoot(page, artifacts_dir, "online")

    # No signal: two entries, kept on the phone.
    phone.set_offline(True)
    page.reload()
    fill_entry(page, day=today, boys="3", women="2")
    page.get_by_role("button", name="Save and add another").click()
    expect(page.locator("#fieldlog-status")).to_contain_text("Kept on this phone")
    expect(page.get_by_label("boys 0-17")).to_have_value("0")
    shoot(page, artifacts_dir, "offline")
    fill_entry(page, day=today, boys="1", women="5")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="My field log")).to_be_visible()  # served by the worker
    expect(device_entries(page, "waiting")).to_have_count(2)
    expect(device_entries(page, "waiting").first).to_contain_text("On this phone, waiting to be sent")
    shoot(page, artifacts_dir, "waiting")
    page.reload()
    expect(device_entries(page)).to_have_count(2)
    page.close()
    page = phone.new_page()  # closed and opened again, still without signal
    page.goto(f"{live_server.url}{reverse('reporting:field-log')}")
    expect(device_entries(page, "waiting")).to_have_count(2)
    page.goto(f"{live_server.url}{reverse('plans:plan-list')}")  # a page that needs the connection
    expect(page.get_by_role("heading", name="No connection")).to_be_visible()
    page.get_by_role("link", name="Open my field log").click()
    expect(device_entries(page, "waiting")).to_have_count(2)
    messages = []
    page.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    page.locator(".navbar-toggler").click()
    page.locator(".navbar .dropdown-toggle").last.click()
    page.get_by_role("button", name="Log out").click()
    for _ in range(100):  # the warning comes after the phone's store is counted (asynchronous)
        if messages:
            break
        page.wait_for_timeout(100)
    expect(page.get_by_role("heading", name="My field log")).to_be_visible()
    assert messages and "wait to be sent" in messages[0]
    assert not mine().exists()

    # The signal returns: both are sent on their own, once.
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(device_entries(page, "sent")).to_have_count(2)
    # The page loads this week's entries again from the server: both are there, once.
    expect(page.locator("#week-entries .entry-card")).to_have_count(2)
    expect(page.locator("#week-totals")).to_contain_text("2 entries · people reached 11")
    shoot(page, artifacts_dir, "sent")
    ids = page.evaluate("FieldLog.store.mine().then((all) => all.map((e) => e.id).sort())")
    assert sorted(str(i) for i in mine().values_list("client_id", flat=True)) == ids
    page.evaluate(
        "FieldLog.store.mine().then((all) => Promise.all(all.map((e) => FieldLog.store.put({...e, status: 'waiting'}))))"
    )
    page.evaluate("FieldLog.send().then(() => true)")  # a retry of what was already sent
    page.wait_for_load_state()
    expect(device_entries(page, "sent")).to_have_count(2)
    expect(page.locator("#week-entries .entry-card")).to_have_count(2)
    assert mine().count() == 2
    assert sorted(a.people for a in mine()) == [5, 6]

    # An entry for a month whose report is accepted: refused with its reason, fixed, sent.
    phone.set_offline(True)
    page.goto(f"{live_server.url}{reverse('reporting:activity-create')}")
    fill_entry(page, day=accepted.period_start.replace(day=5), boys="2", women="0")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(device_entries(page, "waiting")).to_have_count(1)
    phone.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    refused = device_entries(page, "refused")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("Refused")
    expect(refused).to_contain_text("has been accepted: its field log is closed")
    shoot(page, artifacts_dir, "refused")
    refused.get_by_role("link", name="Fix and send again").click()
    expect(page.locator("[data-field=date] .invalid-feedback, .invalid-feedback").first).to_contain_text(
        "accepted"
    )
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="My field log")).to_be_visible()
    expect(device_entries(page, "sent")).to_have_count(3)
    assert mine().count() == 3
    expect(page.locator("#week-entries .entry-card")).to_have_count(3)
    assert not serious_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The session expires while the member types: the entry waits, and goes after the next log-in.
    page.goto(f"{live_server.url}{reverse('reporting:activity-create')}")
    Session.objects.all().delete()
    fill_entry(page, day=today, boys="4", women="0")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_label("Username")).to_be_visible()  # the list asks for the log-in
    assert mine().count() == 3
    log_in(page, live_server, "member", "demo-member")
    page.goto(f"{live_server.url}{reverse('reporting:field-log')}")
    expect(device_entries(page, "sent")).to_have_count(4)
    assert mine().count() == 4


def test_the_report_page_and_the_offline_page_fit_a_phone(live_server, phone, reference_data, artifacts_dir):
    demo_seed()
    report = Report.objects.filter(jmu__lsg__code="70645", kind="monthly").order_by("-period_start").first()
    page = phone.new_page()
    log_in(page, live_server, "member", "demo-member")
    for name, path in [
        ("report", reverse("reporting:report-detail", args=[report.pk])),
        ("offline-page", reverse("pwa-offline")),
        ("list", reverse("reporting:field-log")),
    ]:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name}: {width} px"
        assert not serious_violations(page), name
        shoot(page, artifacts_dir, name)
    manifest = page.goto(f"{live_server.url}{reverse('pwa-manifest')}").json()
    assert manifest["display"] == "standalone" and {i["sizes"] for i in manifest["icons"]} == {
        "192x192",
        "512x512",
    }
    worker = page.goto(f"{live_server.url}/sw.js")
    assert worker.headers["service-worker-allowed"] == "/" and re.search(
        r"version [0-9a-f]{12}", worker.text()
    )
