"""The monitoring API: token or session, scoped like the pages, paginated, throttled, described."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.throttling import UserRateThrottle

from reporting.tests.monitoring_world import YEAR, build_world
from stakeholders.models import LSG
from stakeholders.tests.factories import LSGFactory


@pytest.fixture
def world(db):
    return build_world()


def get(client, user, name, query=None, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, **kwargs), query or {})


def test_anonymous_is_refused_and_told_to_authenticate(client, world):
    for name in ["api:lsg-list", "api:plan-list", "api:indicator-list", "api:figures-list", "api:schema"]:
        response = client.get(reverse(name))
        assert response.status_code == 401, name
        assert response["WWW-Authenticate"] == "Token"


def test_a_token_authenticates_a_monitoring_system(client, world):
    token = Token.objects.create(user=world.users["officer"])
    response = client.get(reverse("api:lsg-list"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json()["count"] == LSG.objects.count()
    bad = client.get(reverse("api:lsg-list"), HTTP_AUTHORIZATION="Token not-a-key")
    assert bad.status_code == 401


def test_the_api_only_reads(client, world):
    client.force_login(world.users["administrator"])
    response = client.post(reverse("api:lsg-list"), {"code": "99999"}, content_type="application/json")
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("coordinator", {"home"}),
        ("member", {"home"}),
        ("expert", {"home"}),
        ("other_coordinator", {"away"}),
    ],
)
def test_lsg_roles_see_their_lsgs_only(client, world, role, visible):
    user = world.users[role]
    codes = {getattr(world, name).code for name in visible}
    lsgs = get(client, user, "api:lsg-list").json()
    assert {row["code"] for row in lsgs["results"]} == codes
    plans = get(client, user, "api:plan-list").json()
    assert {row["lsg"]["code"] for row in plans["results"]} == codes
    indicators = get(client, user, "api:indicator-list").json()
    assert {row["lsg"]["code"] for row in indicators["results"]} <= codes
    figures = get(client, user, "api:figures-list").json()
    assert {row["lsg"]["code"] for row in figures["results"]} <= codes
    hidden = world.away if "home" in visible else world.home
    assert get(client, user, "api:lsg-detail", kwargs={"pk": hidden.pk}).status_code == 404
    hidden_plan = world.away_plan if "home" in visible else world.plan
    assert get(client, user, "api:plan-detail", kwargs={"pk": hidden_plan.pk}).status_code == 404
    if "home" in visible:
        assert get(client, user, "api:indicator-detail", kwargs={"pk": world.referrals.pk}).status_code == 200
    else:
        assert get(client, user, "api:indicator-detail", kwargs={"pk": world.referrals.pk}).status_code == 404


@pytest.mark.parametrize("role", ["officer", "administrator"])
def test_programme_officers_and_administrators_see_every_lsg(client, world, role):
    user = world.users[role]
    assert get(client, user, "api:lsg-list").json()["count"] == LSG.objects.count()
    plans = get(client, user, "api:plan-list").json()
    assert {row["id"] for row in plans["results"]} == {world.plan.pk, world.away_plan.pk}


def test_only_adopted_plans_with_their_measures(client, world):
    plans = get(client, world.users["officer"], "api:plan-list").json()["results"]
    assert world.draft.pk not in {p["id"] for p in plans}
    home = next(p for p in plans if p["id"] == world.plan.pk)
    assert home["status"] == "adopted" and home["period_start"] == f"{YEAR}-01-01"
    assert [(m["code"], m["title"], m["planned"]) for m in home["measures"]] == [
        ("1.1", "+Mera upisa", "1000.00")
    ]


def test_indicators_with_progress_and_suppressed_counts(client, world):
    rows = get(client, world.users["coordinator"], "api:indicator-list").json()["results"]
    by_name = {row["name"]: row for row in rows}
    assert by_name["Upućeni"]["value"] == "<5"  # 2 + 1 people referred
    # Its progress, (3 − 0) ÷ (100 − 0) = 3.0 %, would give the 3 back: null beside "<5".
    assert by_name["Upućeni"]["progress"] is None and by_name["Upućeni"]["months_reported"] == 2
    assert by_name["Upućeni"]["target_met"] is None
    assert by_name["Obuhvat"]["value"] == "60.00" and by_name["Obuhvat"]["progress"] == "60.0"


def test_aggregated_report_figures_equal_hand_computed_ones(client, world):
    rows = get(client, world.users["officer"], "api:figures-list", {"year": YEAR}).json()["results"]
    assert len(rows) == 1
    figures = rows[0]
    assert figures["lsg"]["code"] == world.home.code and figures["year"] == YEAR
    assert figures["monthly_reports"] == 2 and figures["activities"] == 2
    # 14 people with boys 0-17 (4) hidden: the range 10 + 1 … 10 + 4, not 14 (14 − 10 = 4).
    assert figures["households"] == 7 and figures["people"] == "11–14"
    assert figures["male_0_17"] == "<5" and figures["female_18_64"] == 10 and figures["female_0_17"] == 0
    assert figures["spent"] == "500.50"


def test_filters_and_their_errors(client, world):
    officer = world.users["officer"]
    away = get(client, officer, "api:plan-list", {"district": world.away.district_id}).json()
    assert [p["id"] for p in away["results"]] == [world.away_plan.pk]
    by_lsg = get(client, officer, "api:indicator-list", {"lsg": world.home.pk}).json()
    assert by_lsg["count"] == 2
    assert get(client, officer, "api:plan-list", {"year": YEAR + 3}).json()["count"] == 0
    response = get(client, officer, "api:plan-list", {"year": "x"})
    assert response.status_code == 400 and "year" in response.json()


def test_lists_are_paginated(client, world):
    officer = world.users["officer"]
    first = get(client, officer, "api:lsg-list", {"page_size": 2}).json()
    assert first["count"] == LSG.objects.count() and len(first["results"]) == 2
    assert "page=2" in first["next"] and first["previous"] is None
    second = client.get(first["next"]).json()
    assert {r["id"] for r in second["results"]}.isdisjoint({r["id"] for r in first["results"]})
    # A page is never larger than 200 rows, whatever is asked.
    LSGFactory.create_batch(201 - LSG.objects.count())
    assert len(get(client, officer, "api:lsg-list", {"page_size": 10_000}).json()["results"]) == 200
    assert len(get(client, officer, "api:lsg-list").json()["results"]) == 50


def test_indicator_list_reads_a_constant_number_of_queries(client, world, django_assert_num_queries):
    from plans.tests.factories import IndicatorFactory

    client.force_login(world.users["officer"])
    url = reverse("api:indicator-list")
    # session, user, the request's savepoint and its release, count, the page of indicators (joined
    # to plan, LSG, area), 2 for progress (sums and latest values): 8, for 2 indicators or 50.
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    for _ in range(60):  # more than a page (50)
        IndicatorFactory(measure=world.referrals.measure)
    with django_assert_num_queries(8):
        assert len(client.get(url).json()["results"]) == 50


def test_plan_list_reads_a_constant_number_of_queries(client, world, django_assert_num_queries):
    from plans.tests.factories import MeasureFactory

    client.force_login(world.users["officer"])
    url = reverse("api:plan-list")
    # session, user, savepoint and release, count, plans with their LSG, their measures, the
    # measures' co-responsible bodies, partners, secondary areas and budget lines, the plans'
    # envelopes: 12.
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200
    for _ in range(10):
        MeasureFactory(plan=world.plan)
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


def test_throttling_is_configured_and_enforced(client, world, settings, monkeypatch):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert set(rates) == {"anon", "user", "field_sync"}  # field_sync: phones sending field entries
    assert "rest_framework.throttling.UserRateThrottle" in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    cache.clear()
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute", "anon": "1/minute"})
    client.force_login(world.users["coordinator"])
    answers = [client.get(reverse("api:lsg-list")).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    cache.clear()


def test_the_openapi_description_is_generated(client, world):
    response = get(client, world.users["coordinator"], "api:schema", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/lsgs/", "/api/v1/plans/", "/api/v1/indicators/", "/api/v1/figures/"} <= set(
        schema["paths"]
    )
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_api_gives_ceilings_parties_groups_envelopes_and_qualifiers_and_documents_them(client, world):
    from plans.models import BudgetEnvelope, BudgetLine, Indicator, Measure
    from plans.tests.factories import source

    measure = Measure.objects.filter(plan=world.plan).first()
    Measure.objects.filter(pk=measure.pk).update(responsible_party="jmu", responsible=None, period_text="Q4")
    BudgetLine.objects.create(
        measure=measure, source=source("sctm"), amount=Decimal("1172000"), bound="at_most"
    )
    BudgetEnvelope.objects.create(
        plan=world.plan, name="NAP", source=source("ibrd-loan"), amount=Decimal("5")
    )
    Indicator.objects.filter(measure=measure).update(baseline_qualifier="more_than")
    response = get(client, world.users["officer"], "api:plan-list")
    plan = next(p for p in response.json()["results"] if p["id"] == world.plan.pk)
    shown = next(m for m in plan["measures"] if m["id"] == measure.pk)
    assert (shown["responsible_party"], shown["responsible"], shown["period_text"]) == ("jmu", None, "Q4")
    # The ceiling is a line of its own, never in `planned`.
    assert [(b["bound"], b["amount"]) for b in shown["budget_lines"]][-1] == ("at_most", "1172000.00")
    assert Decimal(shown["planned"]) == sum(
        (Decimal(b["amount"]) for b in shown["budget_lines"] if not b["bound"]), Decimal(0)
    )
    assert [(e["name"], e["source_kind"]) for e in plan["envelopes"]] == [("NAP", "loan")]
    indicators = get(client, world.users["officer"], "api:indicator-list").json()["results"]
    assert "more_than" in {i["baseline_qualifier"] for i in indicators}
    schema = get(client, world.users["officer"], "api:schema", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    assert "ceiling" in components["BudgetLine"]["properties"]["bound"]["description"]
    assert "responsible_count" in components["Measure"]["properties"]
    assert {"envelopes"} <= set(components["Plan"]["properties"])
