import datetime

import pytest
from django.urls import reverse

from stakeholders.models import JMU, LSG, Institution, JMUMembership, MemberRole, Settlement
from stakeholders.tests.factories import JMUFactory, MembershipFactory, SettlementFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "coordinator",
    "other_coordinator",
    "member",
    "expert",
    "unassigned_expert",
    "officer",
    "administrator",
]

# Expected answer per role: 200 shown, 404 not found (another LSG's), 403 seen but refused,
# "login" a redirect to the login page.
READ = {
    "anonymous": "login",
    "coordinator": 200,
    "other_coordinator": 404,
    "member": 200,
    "expert": 200,
    "unassigned_expert": 404,
    "officer": 200,
    "administrator": 200,
}
EDIT_REGISTRY = {
    "anonymous": "login",
    "coordinator": 200,
    "other_coordinator": 404,
    "member": 403,
    "expert": 403,
    "unassigned_expert": 404,
    "officer": 403,
    "administrator": 200,
}
EDIT_LSG = {
    "anonymous": "login",
    "coordinator": 403,
    "other_coordinator": 404,
    "member": 403,
    "expert": 403,
    "unassigned_expert": 404,
    "officer": 403,
    "administrator": 200,
}

PAGES = [
    ("stakeholders:lsg-detail", "lsg", READ),
    ("stakeholders:lsg-update", "lsg", EDIT_LSG),
    ("stakeholders:jmu-create", "lsg", EDIT_REGISTRY),
    ("stakeholders:jmu-update", "jmu", EDIT_REGISTRY),
    ("stakeholders:membership-create", "jmu", EDIT_REGISTRY),
    ("stakeholders:membership-update", "membership", EDIT_REGISTRY),
    ("stakeholders:settlement-create", "lsg", EDIT_REGISTRY),
    ("stakeholders:settlement-update", "settlement", EDIT_REGISTRY),
    ("stakeholders:institution-create", "lsg", EDIT_REGISTRY),
    ("stakeholders:institution-update", "institution", EDIT_REGISTRY),
]


def as_user(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "target", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access_per_role(client, users, request, role, name, target, expected):
    obj = request.getfixturevalue(target)
    url = reverse(name, args=[obj.pk])
    response = as_user(client, users, role).get(url)
    want = expected[role]
    if want == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == want


@pytest.mark.parametrize("role", ["member", "expert", "officer", "other_coordinator"])
def test_read_only_roles_cannot_post_to_edit_urls(client, users, jmu, role):
    response = as_user(client, users, role).post(
        reverse("stakeholders:membership-create", args=[jmu.pk]),
        {"person_name": "Uljez", "role": MemberRole.objects.get(code="csw").pk, "since": "2024-01-01"},
    )
    assert response.status_code == (404 if role == "other_coordinator" else 403)
    assert not JMUMembership.objects.filter(person_name="Uljez").exists()


def test_read_only_roles_see_no_edit_buttons(client, users, membership, settlement, institution):
    page = reverse("stakeholders:lsg-detail", args=[membership.jmu.lsg.pk])
    for role in ["member", "expert", "officer"]:
        client.force_login(users[role])
        html = client.get(page).content.decode()
        assert membership.person_name in html
        assert "Add member" not in html and "Edit JMU" not in html and ">Edit<" not in html
    client.force_login(users["coordinator"])
    html = client.get(page).content.decode()
    assert "Add member" in html and "Edit JMU" in html


# --- The LSG list ----------------------------------------------------------------------------


def test_lsg_list_for_an_officer_shows_all_169_lsgs_on_pages(client, users):
    client.force_login(users["officer"])
    response = client.get(reverse("stakeholders:lsg-list"))
    # 171 real LSGs (169 rows, Belgrade and Niš) plus the two the fixtures made.
    assert response.context["paginator"].count == 173
    assert len(response.context["object_list"]) == 25


def test_lsg_list_of_a_coordinator_shows_only_their_lsgs(client, users, lsg):
    client.force_login(users["coordinator"])
    response = client.get(reverse("stakeholders:lsg-list"))
    assert list(response.context["object_list"]) == [lsg]


def test_lsg_list_is_in_serbian_alphabetical_order(client, users):
    client.force_login(users["officer"])
    response = client.get(reverse("stakeholders:lsg-list"), {"district": _district("71242")})
    names = [lsg.name_lat for lsg in response.context["object_list"]]
    # Moravički okrug: Č sorts after C and before D, not after Z.
    assert names == ["Čačak", "Gornji Milanovac", "Ivanjica", "Lučani"]


def _district(code: str) -> int:
    return LSG.objects.get(code=code).district_id


@pytest.mark.parametrize("query", ["Čačak", "Чачак", "чачак", "čačak", "Чач", "71242"])
def test_lsg_search_finds_a_name_in_either_script(client, users, query):
    client.force_login(users["officer"])
    response = client.get(reverse("stakeholders:lsg-list"), {"q": query})
    names = [lsg.name_lat for lsg in response.context["object_list"]]
    assert "Čačak" in names


def test_lsg_search_transliterates_latin_digraphs(client, users):
    client.force_login(users["officer"])
    response = client.get(reverse("stakeholders:lsg-list"), {"q": "Ljubovija"})
    assert [lsg.code for lsg in response.context["object_list"]] == ["70777"]
    response = client.get(reverse("stakeholders:lsg-list"), {"q": "Љубовија"})
    assert [lsg.code for lsg in response.context["object_list"]] == ["70777"]


def test_lsg_list_filters_by_type_and_jmu(client, users):
    JMUFactory(lsg=LSG.objects.get(code="71242"))
    JMUFactory(lsg=LSG.objects.get(code="70645"), status=JMU.Status.INACTIVE)
    client.force_login(users["officer"])
    response = client.get(reverse("stakeholders:lsg-list"), {"has_jmu": "true"})
    assert [lsg.code for lsg in response.context["object_list"]] == ["71242"]
    response = client.get(reverse("stakeholders:lsg-list"), {"type": "city_municipality"})
    assert response.context["paginator"].count == 26


def test_lsg_list_query_count_is_pinned(client, users, django_assert_num_queries):
    """The whole list (173 rows, 7 pages of 25) costs the same at any page.

    1 session + 1 user (authentication), 1 user's LSG roles (navigation, cached per request),
    1 COUNT for the paginator, 1 page of LSGs with district and has_jmu (JOIN + EXISTS),
    1 district choices for the filter form = 6, plus the SAVEPOINT and RELEASE of
    ATOMIC_REQUESTS (inside a test the request's transaction nests in the test's) = 8.
    """
    client.force_login(users["officer"])
    url = reverse("stakeholders:lsg-list")
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["object_list"]) == 25
    with django_assert_num_queries(8):
        response = client.get(url, {"page": 7})
    assert len(response.context["object_list"]) == 173 - 6 * 25


def test_lsg_page_query_count_is_pinned(client, users, lsg, jmu, django_assert_num_queries):
    """Rows do not add queries: 12 members, 10 settlements, 12 institutions cost the same as 1.

    1 session + 1 user, 1 user's LSG roles (navigation and permissions, cached per request),
    1 LSG with district, 1 JMUs, 1 their memberships with role and institution (prefetch),
    1 settlements, 1 institutions with type = 8, plus ATOMIC_REQUESTS' SAVEPOINT and RELEASE = 10.
    """
    client.force_login(users["coordinator"])
    url = reverse("stakeholders:lsg-detail", args=[lsg.pk])
    MembershipFactory(jmu=jmu)
    SettlementFactory(lsg=lsg)
    with django_assert_num_queries(10):
        client.get(url)
    MembershipFactory.create_batch(11, jmu=jmu)
    SettlementFactory.create_batch(9, lsg=lsg)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["page"].members) == 12
    assert len(response.context["page"].institutions) == 12


# --- Forms: the happy path and a message at the field ------------------------------------------


def test_coordinator_adds_a_member(client, users, jmu, institution):
    client.force_login(users["coordinator"])
    response = client.post(
        reverse("stakeholders:membership-create", args=[jmu.pk]),
        {
            "person_name": "Svetlana Nikolić",
            "role": MemberRole.objects.get(code="health-mediator").pk,
            "institution": institution.pk,
            "phone": "064/111-2233",
            "email": "svetlana@example.rs",
            "since": "2024-02-01",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("stakeholders:lsg-detail", args=[jmu.lsg.pk])
    member = JMUMembership.objects.get(person_name="Svetlana Nikolić")
    assert member.jmu == jmu and member.institution == institution
    page = client.get(response.url).content.decode()
    assert "Svetlana Nikolić" in page and "added to the JMU" in page


def test_membership_form_shows_the_error_at_the_field_and_keeps_the_input(client, users, jmu):
    client.force_login(users["coordinator"])
    response = client.post(
        reverse("stakeholders:membership-create", args=[jmu.pk]),
        {
            "person_name": "Zoran Kratki",
            "role": MemberRole.objects.get(code="csw").pk,
            "since": "2024-05-01",
            "until": "2024-04-01",
            "email": "bad@",
            "phone": "abc",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"until", "email", "phone"}
    html = response.content.decode()
    assert 'value="Zoran Kratki"' in html
    assert "cannot end before it starts" in html
    assert not JMUMembership.objects.filter(person_name="Zoran Kratki").exists()


def test_membership_form_offers_only_institutions_of_the_lsg(client, users, jmu, institution):
    from stakeholders.tests.factories import InstitutionFactory

    foreign = InstitutionFactory()
    client.force_login(users["coordinator"])
    response = client.get(reverse("stakeholders:membership-create", args=[jmu.pk]))
    choices = list(response.context["form"].fields["institution"].queryset)
    assert institution in choices and foreign not in choices


def test_second_coordinator_is_refused_at_the_role_field(client, users, jmu):
    coordinator = MemberRole.objects.get(code=MemberRole.COORDINATOR)
    MembershipFactory(jmu=jmu, role=coordinator, person_name="Prva")
    client.force_login(users["coordinator"])
    response = client.post(
        reverse("stakeholders:membership-create", args=[jmu.pk]),
        {"person_name": "Druga", "role": coordinator.pk, "since": "2024-06-01"},
    )
    assert response.status_code == 200
    assert "already this JMU" in response.context["form"].errors["role"][0]


def test_second_active_jmu_is_refused_at_the_status_field(client, users, jmu):
    client.force_login(users["coordinator"])
    response = client.post(
        reverse("stakeholders:jmu-create", args=[jmu.lsg.pk]),
        {
            "founding_body": "assembly",
            "decision_number": "2/2025",
            "decision_date": "2025-02-01",
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert "already has an active JMU" in str(response.context["form"].errors["status"])
    assert JMU.objects.filter(lsg=jmu.lsg).count() == 1


def test_coordinator_registers_a_jmu(client, users, lsg):
    client.force_login(users["coordinator"])
    response = client.post(
        reverse("stakeholders:jmu-create", args=[lsg.pk]),
        {
            "name": "Mobilni tim",
            "founding_body": "municipal_council",
            "decision_number": "1/2025",
            "decision_date": "2025-02-01",
            "mou_date": "2025-03-01",
            "status": "active",
        },
    )
    assert response.status_code == 302
    jmu = JMU.objects.get(lsg=lsg)
    assert jmu.decision_date == datetime.date(2025, 2, 1)


def test_settlement_outside_serbia_is_refused_at_the_field(client, users, lsg):
    client.force_login(users["coordinator"])
    response = client.post(
        reverse("stakeholders:settlement-create", args=[lsg.pk]),
        {"name": "Beč", "kind": "informal", "latitude": "48.2", "longitude": "16.37"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"latitude", "longitude"}
    assert not Settlement.objects.filter(name="Beč").exists()


def test_settlement_edit_saves(client, users, settlement):
    client.force_login(users["coordinator"])
    response = client.post(
        reverse("stakeholders:settlement-update", args=[settlement.pk]),
        {
            "name": settlement.name,
            "kind": "formal",
            "latitude": "43.89",
            "longitude": "20.35",
            "households": "50",
            "people": "210",
        },
    )
    assert response.status_code == 302
    settlement.refresh_from_db()
    assert (settlement.kind, settlement.people) == ("formal", 210)


def test_institution_overlong_name_is_refused_at_the_field(client, users, lsg):
    client.force_login(users["coordinator"])
    response = client.post(
        reverse("stakeholders:institution-create", args=[lsg.pk]),
        {"type": Institution._meta.get_field("type").related_model.objects.first().pk, "name": "x" * 201},
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_administrator_cannot_give_an_lsg_a_duplicate_code(client, users):
    zvezdara = LSG.objects.get(name_lat="Zvezdara")
    client.force_login(users["administrator"])
    response = client.post(
        reverse("stakeholders:lsg-update", args=[zvezdara.pk]),
        {
            "code": "71242",
            "name_lat": "Zvezdara",
            "name_cyr": "Звездара",
            "type": "city_municipality",
            "district": zvezdara.district_id,
        },
    )
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert LSG.objects.get(pk=zvezdara.pk).code == "70149"
