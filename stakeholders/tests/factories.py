"""Factories that keep related rows consistent (a membership's institution is in the JMU's LSG)."""

import datetime

import factory
from django.db.models import Max

from jmu_planner.access import GlobalRole, Role
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

PASSWORD = "a-Strong-test-passw0rd"


def _next_code() -> str:
    # Test LSGs get codes above the real ones (70017..80519), so they never collide.
    highest = LSG.objects.aggregate(top=Max("code"))["top"] or "89999"
    return str(max(int(highest), 89999) + 1)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    code = "TST"
    name_lat = "Test okrug"
    name_cyr = "Тест округ"
    region = "Test region"


class LSGFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LSG

    code = factory.LazyFunction(_next_code)
    name_lat = factory.Sequence(lambda n: f"Testovo {n}")
    name_cyr = factory.Sequence(lambda n: f"Тестово {n}")
    type = LSG.Type.MUNICIPALITY
    district = factory.SubFactory(DistrictFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role: str, lsg: LSG | None = None) -> User:
    """A user holding `role`: an LSG role (needs `lsg`) or a global role."""
    if role in GlobalRole.values:
        return UserFactory(global_role=role, is_staff=role == GlobalRole.ADMINISTRATOR)
    user = UserFactory()
    RoleAssignment.objects.create(user=user, lsg=lsg, role=Role(role))
    return user


class JMUFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JMU

    lsg = factory.SubFactory(LSGFactory)
    name = factory.LazyAttribute(lambda j: f"Mobilni tim {j.lsg.name_lat}")
    founding_body = JMU.FoundingBody.MUNICIPAL_COUNCIL
    decision_number = factory.Sequence(lambda n: f"06-{n}/2024")
    decision_date = datetime.date(2024, 3, 1)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    lsg = factory.SubFactory(LSGFactory)
    type = factory.LazyFunction(lambda: InstitutionType.objects.get(code="csw"))
    name = factory.Sequence(lambda n: f"Centar za socijalni rad {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JMUMembership

    jmu = factory.SubFactory(JMUFactory)
    person_name = factory.Sequence(lambda n: f"Član Tima {n}")
    role = factory.LazyFunction(lambda: MemberRole.objects.get(code="csw"))
    institution = factory.SubFactory(InstitutionFactory, lsg=factory.SelfAttribute("..jmu.lsg"))
    since = datetime.date(2024, 3, 1)


class SettlementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Settlement

    lsg = factory.SubFactory(LSGFactory)
    name = factory.Sequence(lambda n: f"Naselje {n}")
    kind = Settlement.Kind.SUBSTANDARD
    households = 40
    people = 160
