import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings

from stakeholders import services
from stakeholders.demo import demo_seed
from stakeholders.models import (
    JMU,
    LSG,
    District,
    Institution,
    InstitutionType,
    JMUMembership,
    MemberRole,
    RoleAssignment,
    Settlement,
    User,
)
from stakeholders.tests.factories import JMUFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Reference data --------------------------------------------------------------------------


def test_reference_data_holds_every_lsg_outside_kosovo_with_both_scripts():
    # The 145 official LSGs (117 municipalities, 28 cities) plus 26 city municipalities.
    assert LSG.objects.count() == 171
    assert District.objects.count() == 25
    cacak = LSG.objects.get(code="71242")
    assert (cacak.name_lat, cacak.name_cyr, cacak.type) == ("Čačak", "Чачак", LSG.Type.CITY)
    assert cacak.district.name_lat == "Moravički okrug"
    zvezdara = LSG.objects.get(name_lat="Zvezdara")
    assert (zvezdara.type, zvezdara.parent_city) == (LSG.Type.CITY_MUNICIPALITY, "Beograd")
    counts = {t: LSG.objects.filter(type=t).count() for t in LSG.Type.values}
    # 117 municipalities, 28 cities (Belgrade and Niš added) and 26 city municipalities.
    assert counts == {"municipality": 117, "city": 28, "city_municipality": 26}
    belgrade, nis = LSG.objects.get(code="99001"), LSG.objects.get(code="99002")
    assert (belgrade.name_lat, belgrade.type, belgrade.district.code) == ("Beograd", LSG.Type.CITY, "БГД")
    assert zvezdara.parent == belgrade
    assert belgrade.city_municipalities.count() == 17
    assert set(nis.city_municipalities.values_list("name_lat", flat=True)) == {
        "Niška Banja",
        "Pantelej",
        "Crveni Krst",
        "Palilula",
        "Medijana",
    }
    assert not LSG.objects.filter(type=LSG.Type.CITY_MUNICIPALITY, parent__isnull=True).exists()


def test_reference_data_load_is_idempotent_and_keeps_edited_fields():
    lsg = LSG.objects.get(code="70645")
    services.lsg_update(lsg=lsg, actor=None, data={"development_level": 1, "roma_male": 5})
    area = MemberRole.objects.get(code="coordinator")
    area.name_en = "Roma coordinator"
    area.save()

    result = services.reference_data_load()

    assert result.lsgs == 171
    lsg.refresh_from_db()
    assert (lsg.development_level, lsg.roma_male) == (1, 5)
    assert MemberRole.objects.get(code="coordinator").name_en == "Roma coordinator"


def test_reference_tables_are_loaded():
    assert MemberRole.objects.filter(code=MemberRole.COORDINATOR).exists()
    assert InstitutionType.objects.filter(code="csw").exists()
    from plans.models import FundingSource, ThematicArea

    # The areas of the Strategy for Social Inclusion of Roma, and a cross-cutting one.
    assert list(ThematicArea.objects.values_list("code", flat=True)) == [
        "education",
        "employment",
        "health",
        "social-protection",
        "housing",
        "civil-status",
        "participation",
        "culture-media",
        "anti-discrimination",
        "cross-cutting",
    ]
    assert FundingSource.objects.get(code="sctm").share == FundingSource.Share.SCTM


def test_national_bodies_are_one_shared_register_without_an_lsg():
    from stakeholders.models import Institution

    national = Institution.objects.filter(lsg__isnull=True)
    names = set(national.values_list("name", flat=True))
    assert {
        "Nacionalna služba za zapošljavanje",
        "Kancelarija za ljudska i manjinska prava",
        "Stalna konferencija gradova i opština (SKGO)",
        "Ministarstvo prosvete",
    } <= names
    count = national.count()
    services.reference_data_load()  # loading again adds no twin
    assert Institution.objects.filter(lsg__isnull=True).count() == count


# --- Bad input: a message at the field, nothing saved ------------------------------------------


def test_membership_that_ends_before_it_starts_is_refused(jmu):
    role = MemberRole.objects.get(code="csw")
    with pytest.raises(ValidationError) as excinfo:
        services.membership_create(
            jmu=jmu,
            actor=None,
            data={
                "person_name": "Ana",
                "role": role,
                "since": datetime.date(2024, 5, 1),
                "until": datetime.date(2024, 4, 1),
            },
        )
    assert "until" in errors_of(excinfo)
    assert not JMUMembership.objects.filter(jmu=jmu).exists()


def test_second_active_jmu_in_one_lsg_is_refused(jmu):
    with pytest.raises(ValidationError) as excinfo:
        services.jmu_create(
            lsg=jmu.lsg,
            actor=None,
            data={
                "founding_body": JMU.FoundingBody.ASSEMBLY,
                "decision_number": "1/2025",
                "decision_date": datetime.date(2025, 1, 1),
            },
        )
    assert "already has an active JMU" in errors_of(excinfo)["status"][0]
    assert JMU.objects.filter(lsg=jmu.lsg).count() == 1


def test_an_inactive_former_jmu_does_not_block_a_new_one(jmu):
    services.jmu_update(jmu=jmu, actor=None, data={"status": JMU.Status.INACTIVE})
    new = services.jmu_create(
        lsg=jmu.lsg,
        actor=None,
        data={
            "founding_body": JMU.FoundingBody.ASSEMBLY,
            "decision_number": "1/2025",
            "decision_date": datetime.date(2025, 1, 1),
        },
    )
    assert new.status == JMU.Status.ACTIVE


def test_two_active_coordinators_in_one_jmu_are_refused(jmu):
    coordinator = MemberRole.objects.get(code=MemberRole.COORDINATOR)
    MembershipFactory(jmu=jmu, role=coordinator, person_name="Prva Koordinatorka")
    with pytest.raises(ValidationError) as excinfo:
        services.membership_create(
            jmu=jmu,
            actor=None,
            data={"person_name": "Drugi", "role": coordinator, "since": datetime.date(2024, 6, 1)},
        )
    assert "Prva Koordinatorka" in errors_of(excinfo)["role"][0]
    assert jmu.memberships.count() == 1


def test_a_coordinator_may_follow_one_whose_membership_ended(jmu):
    coordinator = MemberRole.objects.get(code=MemberRole.COORDINATOR)
    MembershipFactory(jmu=jmu, role=coordinator, until=datetime.date(2024, 5, 31))
    successor = services.membership_create(
        jmu=jmu,
        actor=None,
        data={"person_name": "Naslednica", "role": coordinator, "since": datetime.date(2024, 6, 1)},
    )
    assert successor.pk


def test_membership_institution_must_belong_to_the_jmu_lsg(jmu, other_lsg):
    from stakeholders.tests.factories import InstitutionFactory

    foreign = InstitutionFactory(lsg=other_lsg)
    with pytest.raises(ValidationError) as excinfo:
        services.membership_create(
            jmu=jmu,
            actor=None,
            data={
                "person_name": "Ana",
                "role": MemberRole.objects.get(code="csw"),
                "institution": foreign,
                "since": datetime.date(2024, 1, 1),
            },
        )
    assert "institution" in errors_of(excinfo)


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [("48.20000", "16.37000", "latitude"), ("44.80000", "14.00000", "longitude")],
)
def test_coordinates_outside_serbia_are_refused(lsg, latitude, longitude, field):
    with pytest.raises(ValidationError) as excinfo:
        services.settlement_create(
            lsg=lsg,
            actor=None,
            data={
                "name": "Daleko",
                "kind": Settlement.Kind.INFORMAL,
                "latitude": Decimal(latitude),
                "longitude": Decimal(longitude),
            },
        )
    assert "outside Serbia" in errors_of(excinfo)[field][0]
    assert not Settlement.objects.filter(lsg=lsg).exists()


def test_duplicate_lsg_code_is_refused():
    zvezdara = LSG.objects.get(name_lat="Zvezdara")
    with pytest.raises(ValidationError) as excinfo:
        services.lsg_update(lsg=zvezdara, actor=None, data={"code": "71242"})
    assert "code" in errors_of(excinfo)
    assert LSG.objects.get(pk=zvezdara.pk).code == "70149"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"phone": "call me maybe"}, "phone"),
        ({"phone": "12"}, "phone"),
        ({"name": "x" * 201}, "name"),
        ({"address": "y" * 201}, "address"),
    ],
)
def test_institution_with_bad_contact_or_overlong_text_is_refused(lsg, data, field):
    fields = {"type": InstitutionType.objects.get(code="school"), "name": "OŠ Test"} | data
    with pytest.raises(ValidationError) as excinfo:
        services.institution_create(lsg=lsg, actor=None, data=fields)
    assert field in errors_of(excinfo)
    assert not Institution.objects.filter(lsg=lsg).exists()


def test_overlong_settlement_notes_are_refused(lsg):
    with pytest.raises(ValidationError) as excinfo:
        services.settlement_create(
            lsg=lsg,
            actor=None,
            data={"name": "N", "kind": Settlement.Kind.FORMAL, "infrastructure_notes": "z" * 2001},
        )
    assert "infrastructure_notes" in errors_of(excinfo)


def test_phone_numbers_as_written_in_serbia_are_accepted(lsg):
    institution = services.institution_create(
        lsg=lsg,
        actor=None,
        data={
            "type": InstitutionType.objects.get(code="csw"),
            "name": "CSR",
            "phone": "+381 34 123-456",
            "email": "csr@example.rs",
        },
    )
    services.institution_update(institution=institution, actor=None, data={"phone": "064/123-4567"})
    assert Institution.objects.get(pk=institution.pk).phone == "064/123-4567"


def test_roma_population_cannot_exceed_the_total():
    lsg = LSG.objects.get(code="70645")
    with pytest.raises(ValidationError) as excinfo:
        services.lsg_update(lsg=lsg, actor=None, data={"population_female": 100, "roma_female": 101})
    assert "roma_female" in errors_of(excinfo)


def test_updates_are_kept_in_history_with_who_made_them(jmu):
    from stakeholders.tests.factories import UserFactory

    actor = UserFactory()
    services.jmu_update(jmu=jmu, actor=actor, data={"decision_number": "06-999/2024"})
    latest = jmu.history.latest()
    assert (latest.decision_number, latest.history_user) == ("06-999/2024", actor)


def test_membership_active_on_a_day():
    membership = MembershipFactory(since=datetime.date(2024, 1, 1), until=datetime.date(2024, 12, 31))
    assert membership.is_active_on(datetime.date(2024, 6, 1))
    assert not membership.is_active_on(datetime.date(2025, 1, 1))
    assert list(JMUMembership.objects.active_on(datetime.date(2024, 6, 1))) == [membership]
    assert not JMUMembership.objects.active_on(datetime.date(2023, 12, 31)).exists()


# --- Demo data -------------------------------------------------------------------------------


DEVELOPMENT = {
    "DEBUG": True,
    "SECRET_KEY": settings.DEVELOPMENT_SECRET_KEY,
    "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "testserver"],
}


@override_settings(**DEVELOPMENT)
def test_seed_demo_creates_three_jmus_with_five_members_and_a_user_per_role(capsys):
    call_command("seed_demo", "--yes-demo-data")
    call_command("seed_demo", "--yes-demo-data")  # a second run changes nothing
    out = capsys.readouterr().out
    assert "coordinator" in out and "demo-coordinator" in out
    jmus = JMU.objects.filter(lsg__code__in=["70645", "70726", "71242"])
    assert jmus.count() == 3
    assert all(jmu.memberships.count() == 5 for jmu in jmus)
    assert Settlement.objects.filter(lsg__code="70645").count() == 2
    assert set(User.objects.values_list("global_role", flat=True)) >= {
        "",
        "programme_officer",
        "administrator",
    }
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == {
        "coordinator",
        "member",
        "expert",
    }
    assert User.objects.get(username="coordinator").check_password("demo-coordinator")


@override_settings(**DEVELOPMENT)
def test_seed_demo_needs_its_explicit_flag_even_in_development():
    with pytest.raises(CommandError, match="--yes-demo-data"):
        call_command("seed_demo")
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.parametrize(
    ("production", "reason"),
    [
        ({"DEBUG": False}, "DEBUG is off"),
        # A production shell where manage.py defaulted DEBUG on: its own key gives it away.
        ({"SECRET_KEY": "prod-x7Gq2LmZ9vKd4RtW8yPb3NcJ6hFs1AeU5oIl0QwEzXrTnVgYk"}, "SECRET_KEY is set"),
        ({"ALLOWED_HOSTS": ["jmu.example.rs", "localhost"]}, "ALLOWED_HOSTS names jmu.example.rs"),
    ],
)
def test_seed_demo_refuses_settings_that_look_like_production(production, reason):
    with override_settings(**(DEVELOPMENT | production)), pytest.raises(CommandError, match=reason):
        call_command("seed_demo", "--yes-demo-data")
    assert not User.objects.filter(username="admin").exists()


def test_demo_seed_needs_reference_data():
    LSG.objects.filter(code="71242").delete()
    with pytest.raises(LookupError):
        demo_seed()


def test_factories_keep_membership_institution_in_the_jmu_lsg():
    membership = MembershipFactory(jmu=JMUFactory())
    assert membership.institution.lsg_id == membership.jmu.lsg_id
