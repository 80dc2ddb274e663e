"""The settlements map: the user's settlements only, filters by LSG and type, data for the script."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from jmu_planner.access import GlobalRole, Role
from stakeholders.models import Settlement
from stakeholders.tests.factories import LSGFactory, SettlementFactory, user_with_role

URL = reverse("stakeholders:settlement-map")


@pytest.fixture
def places(db):
    home, away = LSGFactory(), LSGFactory()
    return {
        "home": home,
        "away": away,
        "istok": SettlementFactory(
            lsg=home,
            name="Istok",
            kind=Settlement.Kind.SUBSTANDARD,
            latitude=Decimal("44.01920"),
            longitude=Decimal("20.94310"),
            households=85,
            people=340,
        ),
        "reka": SettlementFactory(
            lsg=home, name="Reka", kind=Settlement.Kind.INFORMAL, latitude=None, longitude=None
        ),
        "sever": SettlementFactory(
            lsg=away,
            name="<b>Sever</b>",
            kind=Settlement.Kind.FORMAL,
            latitude=Decimal("43.00840"),
            longitude=Decimal("21.94010"),
        ),
    }


def map_data(response):
    return json.loads(
        response.content.decode()
        .split('id="settlement-data" type="application/json">')[1]
        .split("</script>")[0]
    )


def test_a_coordinator_sees_only_their_lsgs_settlements(client, places):
    client.force_login(user_with_role(Role.COORDINATOR, places["home"]))
    response = client.get(URL)
    assert [s.name for s in response.context["settlements"]] == ["Istok", "Reka"]
    data = map_data(response)
    # Reka has no location: in the list, not on the map.
    assert data["points"] == [
        {
            "id": places["istok"].pk,
            "name": "Istok",
            "lsg": places["home"].name,
            "kind": "Substandard",
            "households": 85,
            "people": 340,
            "lat": 44.0192,
            "lon": 20.9431,
        }
    ]
    assert "no location" in response.content.decode()
    assert list(response.context["filter"].form.fields["lsg"].queryset) == [places["home"]]
    # Another LSG's id in the filter is not a way in: the choice is refused, nothing is listed.
    response = client.get(URL, {"lsg": places["away"].pk})
    assert "Sever" not in response.content.decode() and not map_data(response)["points"]


def test_an_officer_sees_every_settlement_and_filters_by_lsg_and_type(client, places):
    client.force_login(user_with_role(GlobalRole.PROGRAMME_OFFICER))
    names = {s.name for s in client.get(URL).context["settlements"]}
    assert {"Istok", "Reka", "<b>Sever</b>"} <= names
    assert [s.name for s in client.get(URL, {"lsg": places["home"].pk}).context["settlements"]] == [
        "Istok",
        "Reka",
    ]
    by_kind = client.get(URL, {"kind": Settlement.Kind.FORMAL, "lsg": places["away"].pk})
    assert [p["name"] for p in map_data(by_kind)["points"]] == ["<b>Sever</b>"]


def test_names_reach_the_script_as_data_not_markup(client, places):
    client.force_login(user_with_role(Role.COORDINATOR, places["away"]))
    page = client.get(URL).content.decode()
    assert "<b>Sever</b>" not in page and "\\u003Cb\\u003ESever" in page
    assert "<script>" not in page  # the drawing is in static/js/settlement_map.js


def test_the_map_page_reads_a_constant_number_of_queries(client, places, django_assert_num_queries):
    user = user_with_role(Role.COORDINATOR, places["home"])
    client.force_login(user)
    # session, user, roles, savepoint + release, the LSG choices, the settlements with their LSG
    # (plus what the navigation bar reads): the same for 2 settlements or 40.
    with django_assert_num_queries(7) as first:
        client.get(URL)
    SettlementFactory.create_batch(
        38, lsg=places["home"], latitude=Decimal("44.1"), longitude=Decimal("20.9")
    )
    with django_assert_num_queries(len(first)):
        assert len(map_data(client.get(URL))["points"]) == 39
