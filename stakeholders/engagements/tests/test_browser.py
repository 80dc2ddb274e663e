"""The experts' journey in a real browser: an expert records a workshop with a recommendation,
the coordinator links it to a plan measure, and the plan page shows which recommendation the
measure answers."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jmu_planner.tests.browser import log_in, log_out
from plans.models import Measure, OperationalPlan
from stakeholders.demo import demo_seed
from stakeholders.models import Recommendation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Organizovati dan upisa u vrtić u naselju Istok uz prevoz za roditelje."


def test_workshop_recommendation_reaches_the_plan(live_server, page, reference_data, artifacts_dir):
    demo_seed()
    plan = OperationalPlan.objects.get(jmu__lsg__code="70645", status="draft")
    measure = Measure.objects.filter(plan=plan).order_by("area__number", "number").first()

    # The expert records the workshop and writes the recommendation.
    log_in(page, live_server, "expert", "demo-expert")
    page.get_by_role("link", name="Engagements").first.click()
    page.get_by_role("link", name="New engagement").click()
    page.get_by_label("Type").select_option(label="Workshop")
    page.get_by_label("Title").fill("Radionica o upisu u predškolsko")
    page.get_by_label("Date").fill((timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Kragujevac").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Radionica o upisu u predškolsko")).to_be_visible()
    page.get_by_role("link", name="Write a recommendation").click()
    page.get_by_label("Recommendation").fill(TEXT)
    page.get_by_label("Addressed to").fill("Mobilni tim za inkluziju Roma")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#recommendations").get_by_role("link", name=TEXT)).to_be_visible()
    log_out(page)

    # The coordinator opens it and links it to a measure of the plan.
    log_in(page, live_server, "coordinator", "demo-coordinator")
    page.get_by_role("link", name="Engagements").first.click()
    page.get_by_role("link", name="Radionica o upisu u predškolsko").click()
    page.get_by_role("link", name=TEXT).click()
    page.get_by_label("Plan measure that carries it out").select_option(value=str(measure.pk))
    page.get_by_role("button", name="Link the measure").click()
    expect(page.get_by_text("The measure is linked to the recommendation.")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("The status is now: Accepted.")).to_be_visible()

    # The plan page shows that the measure answers it.
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(page.locator(f"#traced-{measure.pk}")).to_contain_text(TEXT)
    page.locator("#recommendations").screenshot(path=str(artifacts_dir / "plan-recommendations.png"))
    recommendation = Recommendation.objects.get(text=TEXT)
    assert list(recommendation.measures.all()) == [measure]
    assert recommendation.status == Recommendation.Status.ACCEPTED
