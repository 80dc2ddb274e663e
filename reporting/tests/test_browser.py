"""The reporting journey in a real browser, on the demo data."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jmu_planner.tests.browser import log_in, log_out
from reporting.models import Report
from reporting.selectors import people_reached
from stakeholders.demo import demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_field_visit_to_accepted_monthly_report_to_quarterly_rollup(
    live_server, page, reference_data, artifacts_dir
):
    demo_seed()
    report = Report.objects.filter(jmu__lsg__code="70645", kind="monthly", status="draft").get()
    report_url = f"{live_server.url}/reports/{report.pk}/"
    before = people_reached(report).people

    # A JMU member logs a field visit.
    log_in(page, live_server, "member", "demo-member")
    page.goto(report_url)
    page.get_by_role("link", name="Log field work").click()
    page.get_by_label("Date").fill(report.period_start.replace(day=22).isoformat())
    page.get_by_label("Settlement").select_option(label="Naselje Istok")
    page.get_by_role("checkbox", name=re.compile("Dragan Jovanović")).check()
    page.get_by_role("checkbox", name="3. Health").check()
    page.get_by_label("Households visited").fill("7")
    page.get_by_label("girls 0-17").fill("6")
    page.get_by_label("boys 0-17").fill("5")
    page.get_by_label("women 18-64").fill("4")
    page.get_by_label("Short note").fill("Vakcinacija dece, Naselje Istok")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#people-reached")).to_have_text(str(before + 15))
    log_out(page)

    # The coordinator completes the narrative and submits.
    log_in(page, live_server, "coordinator", "demo-coordinator")
    page.goto(report_url)
    page.locator("#narrative").get_by_role("link", name="Write").click()
    page.get_by_label("Achievements").fill("Vakcinisano 11 dece u Naselju Istok.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Submit").first.click()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("alert").first).to_contain_text("Submitted")
    log_out(page)

    # The officer returns it with a note.
    log_in(page, live_server, "officer", "demo-officer")
    page.goto(report_url)
    page.get_by_role("link", name="Return").click()
    page.get_by_label("Note").fill("Navedite i probleme na terenu.")
    page.get_by_role("button", name="Return for fixing").click()
    log_out(page)

    # The coordinator sees the note, fixes and resubmits; the officer accepts.
    log_in(page, live_server, "coordinator", "demo-coordinator")
    page.goto(report_url)
    expect(page.get_by_text("Navedite i probleme na terenu.").first).to_be_visible()
    page.locator("#narrative").get_by_role("link", name="Write").click()
    page.get_by_label("Problems").fill("Dva domaćinstva bez ličnih dokumenata.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Submit").first.click()
    page.get_by_role("button", name="Submit").click()
    log_out(page)
    log_in(page, live_server, "officer", "demo-officer")
    page.goto(report_url)
    page.get_by_role("link", name="Accept").click()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Accepted: this report is frozen.")).to_be_visible()
    log_out(page)

    # The quarterly report rolls up the accepted months.
    log_in(page, live_server, "coordinator", "demo-coordinator")
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("link", name="New report").click()
    page.get_by_label("Report").select_option(label="Quarterly")
    page.get_by_label("Month").fill(report.period_start.strftime("%Y-%m"))
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name=re.compile("Quarterly report Q"))).to_be_visible()
    quarterly = Report.objects.get(kind="quarterly")
    expected = people_reached(quarterly)
    expect(page.locator("#people-reached")).to_have_text(str(expected.people))
    expect(page.locator("#months")).to_contain_text(report.period_start.strftime("%m/%Y"))
    page.screenshot(path=artifacts_dir / "quarterly-report.png", full_page=True)
    report.refresh_from_db()
    assert report.status == "accepted" and report.problems.startswith("Dva")
    assert expected.people >= before + 15
    assert timezone.localdate() > report.period_end
