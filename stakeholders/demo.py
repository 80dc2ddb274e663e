"""Demo data for `make run`: three real LSGs with fictional JMUs, people and settlements.

The LSGs are real (from the reference data); every person, settlement, institution address,
decision number and phone number here is invented for the demo. Kragujevac's census figures are
the example values shown by the national Roma inclusion monitoring site (RIMS).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from jmu_planner.access import GlobalRole, Role
from plans.demo import plan_demo_seed
from reporting.demo import reports_demo_seed
from stakeholders import services
from stakeholders.engagements.demo import engagements_demo_seed
from stakeholders.models import (
    JMU,
    LSG,
    Institution,
    InstitutionType,
    JMUMembership,
    MemberRole,
    RoleAssignment,
    Settlement,
    User,
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    who: str


DEMO_LSGS = {
    # code: (founding body, decision no., decision date,
    #        settlements [(name, kind, lat, lon, households, people)])
    "70645": (
        JMU.FoundingBody.CITY_COUNCIL,
        "06-118/2019-II",
        datetime.date(2019, 3, 14),
        [
            ("Naselje Istok", Settlement.Kind.SUBSTANDARD, "44.01920", "20.94310", 85, 340),
            ("Naselje Reka", Settlement.Kind.INFORMAL, "44.00410", "20.89250", 40, 170),
        ],
    ),
    "70726": (
        JMU.FoundingBody.CITY_COUNCIL,
        "020-45/2018-I",
        datetime.date(2018, 6, 5),
        [
            ("Naselje Podvorce", Settlement.Kind.SUBSTANDARD, "42.99510", "21.95520", 210, 900),
            ("Naselje Sever", Settlement.Kind.FORMAL, "43.00840", "21.94010", 120, 480),
        ],
    ),
    "71242": (
        JMU.FoundingBody.CITY_COUNCIL,
        "I-06-77/2018",
        datetime.date(2018, 9, 20),
        [("Naselje Zapad", Settlement.Kind.INFORMAL, "43.88760", "20.33120", 60, 250)],
    ),
}
DEMO_CENSUS = {
    "70645": {
        "census_year": 2011,
        "population_male": 87334,
        "population_female": 92083,
        "roma_male": 751,
        "roma_female": 731,
        "development_level": 1,
    },
}
DEMO_MEMBERS = [
    ("coordinator", "Jelena Marković", "lsg-department"),
    ("pedagogical-assistant", "Dragan Jovanović", "school"),
    ("health-mediator", "Sanja Demirović", "health-centre"),
    ("csw", "Marija Petrović", "csw"),
    ("nes", "Nenad Ilić", "nes"),
]
DEMO_INSTITUTIONS = [
    ("lsg-department", "Odeljenje za društvene delatnosti {city}"),
    ("school", "OŠ „Vuk Karadžić“ {city}"),
    ("preschool", "Predškolska ustanova {city}"),
    ("health-centre", "Dom zdravlja {city}"),
    ("csw", "Centar za socijalni rad {city}"),
    ("nes", "NSZ – filijala {city}"),
    ("cso", "Udruženje Roma „Napredak“ {city}"),
]
DEMO_USERS = [
    # username, password, first, last, global role, [(lsg code, role)], description
    (
        "coordinator",
        "demo-coordinator",
        "Jelena",
        "Marković",
        GlobalRole.NONE,
        [("70645", Role.COORDINATOR)],
        "Local coordinator, Kragujevac",
    ),
    (
        "coordinator.leskovac",
        "demo-coordinator",
        "Ivana",
        "Stanković",
        GlobalRole.NONE,
        [("70726", Role.COORDINATOR)],
        "Local coordinator, Leskovac",
    ),
    (
        "member",
        "demo-member",
        "Dragan",
        "Jovanović",
        GlobalRole.NONE,
        [("70645", Role.MEMBER)],
        "JMU member (read-only), Kragujevac",
    ),
    (
        "expert",
        "demo-expert",
        "Milica",
        "Nikolić",
        GlobalRole.NONE,
        [("70645", Role.EXPERT), ("71242", Role.EXPERT)],
        "Expert assigned to Kragujevac and Čačak",
    ),
    (
        "officer",
        "demo-officer",
        "Ana",
        "Popović",
        GlobalRole.PROGRAMME_OFFICER,
        [],
        "SCTM programme officer (reads everything)",
    ),
    (
        "admin",
        "demo-admin",
        "Administrator",
        "sistema",
        GlobalRole.ADMINISTRATOR,
        [],
        "Administrator (Django admin at /admin/)",
    ),
]


def _seed_lsg(lsg: LSG) -> None:
    body, number, decided, settlements = DEMO_LSGS[lsg.code]
    if lsg.code in DEMO_CENSUS:
        services.lsg_update(lsg=lsg, actor=None, data=DEMO_CENSUS[lsg.code])
    types = {t.code: t for t in InstitutionType.objects.all()}
    institutions = {}
    for type_code, pattern in DEMO_INSTITUTIONS:
        name = pattern.format(city=lsg.name_lat)
        institution = Institution.objects.filter(lsg=lsg, name=name).first()
        if institution is None:
            institution = services.institution_create(
                lsg=lsg, actor=None, data={"type": types[type_code], "name": name}
            )
        institutions[type_code] = institution
    for name, kind, lat, lon, households, people in settlements:
        if not Settlement.objects.filter(lsg=lsg, name=name).exists():
            services.settlement_create(
                lsg=lsg,
                actor=None,
                data={
                    "name": name,
                    "kind": kind,
                    "households": households,
                    "people": people,
                    "latitude": Decimal(lat),
                    "longitude": Decimal(lon),
                    "infrastructure_notes": "Nema kanalizacije; voda se donosi sa javne česme.",
                },
            )
    jmu = JMU.objects.filter(lsg=lsg, status=JMU.Status.ACTIVE).first()
    if jmu is None:
        jmu = services.jmu_create(
            lsg=lsg,
            actor=None,
            data={
                "name": f"Mobilni tim za inkluziju Roma – {lsg.name_lat}",
                "founding_body": body,
                "decision_number": number,
                "decision_date": decided,
                "mou_date": decided + datetime.timedelta(days=30),
            },
        )
    roles = {r.code: r for r in MemberRole.objects.all()}
    for role_code, person, type_code in DEMO_MEMBERS:
        if not JMUMembership.objects.filter(jmu=jmu, person_name=person).exists():
            services.membership_create(
                jmu=jmu,
                actor=None,
                data={
                    "person_name": person,
                    "role": roles[role_code],
                    "institution": institutions[type_code],
                    "since": decided,
                    "email": f"{person.split()[0].lower()}@example.org",
                },
            )


@transaction.atomic
def demo_seed() -> list[DemoLogin]:
    """Create (or refresh) the demo LSGs' registry and one user per role; return the logins."""
    lsgs = {lsg.code: lsg for lsg in LSG.objects.filter(code__in=DEMO_LSGS)}
    if len(lsgs) != len(DEMO_LSGS):
        raise LookupError("Load the reference data first: python manage.py load_reference_data")
    for code in DEMO_LSGS:
        _seed_lsg(lsgs[code])
    kragujevac = JMU.objects.get(lsg=lsgs["70645"], status=JMU.Status.ACTIVE)
    plan_demo_seed(kragujevac)  # next year's plan, a draft
    reports_demo_seed(kragujevac)  # this year's plan, adopted, with its monthly reports
    logins = []
    for username, password, first, last, global_role, lsg_roles, who in DEMO_USERS:
        user, _created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.global_role = first, last, global_role
        user.email = f"{username}@example.org"
        user.is_staff = user.is_superuser = global_role == GlobalRole.ADMINISTRATOR
        user.set_password(password)
        user.save()
        for code, role in lsg_roles:
            RoleAssignment.objects.get_or_create(user=user, lsg=lsgs[code], role=role)
        logins.append(DemoLogin(username=username, password=password, who=who))
    engagements_demo_seed(lsgs["70645"], User.objects.get(username="expert"))  # the experts' work
    return logins
