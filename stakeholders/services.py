"""Writes to the registry. Every write validates the whole row before it touches the database."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jmu_planner import i18n
from jmu_planner.services import model_save, model_update
from jmu_planner.text import to_cyrillic
from plans.models import FundingSource, ThematicArea
from stakeholders.models import (
    JMU,
    LSG,
    District,
    Institution,
    InstitutionType,
    JMUMembership,
    MemberRole,
    Settlement,
    User,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
LSG_CSV = DATA_DIR / "serbia_lsgs.csv"

_LSG_TYPES = {
    "opština": LSG.Type.MUNICIPALITY,
    "grad": LSG.Type.CITY,
    "gradska opština": LSG.Type.CITY_MUNICIPALITY,
}


# --- LSGs --------------------------------------------------------------------------------------


def lsg_update(*, lsg: LSG, actor: User, data: Mapping[str, Any]) -> LSG:
    return model_update(lsg, actor=actor, data=data)


# --- JMUs and members --------------------------------------------------------------------------


def jmu_create(*, lsg: LSG, actor: User, data: Mapping[str, Any]) -> JMU:
    return model_save(JMU(lsg=lsg, **data), actor=actor)


def jmu_update(*, jmu: JMU, actor: User, data: Mapping[str, Any]) -> JMU:
    return model_update(jmu, actor=actor, data=data)


def membership_create(*, jmu: JMU, actor: User, data: Mapping[str, Any]) -> JMUMembership:
    return model_save(JMUMembership(jmu=jmu, **data), actor=actor)


def membership_update(*, membership: JMUMembership, actor: User, data: Mapping[str, Any]) -> JMUMembership:
    return model_update(membership, actor=actor, data=data)


# --- Users --------------------------------------------------------------------------------------


def user_set_language(*, user: User, language: str) -> User:
    """The language the user reads the product, its e-mails and notifications in."""
    if language not in i18n.LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


# --- Settlements and institutions --------------------------------------------------------------


def settlement_create(*, lsg: LSG, actor: User, data: Mapping[str, Any]) -> Settlement:
    return model_save(Settlement(lsg=lsg, **data), actor=actor)


def settlement_update(*, settlement: Settlement, actor: User, data: Mapping[str, Any]) -> Settlement:
    return model_update(settlement, actor=actor, data=data)


def institution_create(*, lsg: LSG, actor: User, data: Mapping[str, Any]) -> Institution:
    return model_save(Institution(lsg=lsg, **data), actor=actor)


def institution_update(*, institution: Institution, actor: User, data: Mapping[str, Any]) -> Institution:
    return model_update(institution, actor=actor, data=data)


# --- Reference data ----------------------------------------------------------------------------

THEMATIC_AREAS = [
    (1, "education", "Education", "Obrazovanje"),
    (2, "employment", "Employment", "Zapošljavanje"),
    (3, "health", "Health", "Zdravlje"),
    (4, "social-protection", "Social protection", "Socijalna zaštita"),
    (5, "housing", "Housing", "Stanovanje"),
    (6, "civil-status", "Civil status and basic rights", "Lična dokumenta i osnovna prava"),
    (
        7,
        "participation",
        "Participation and non-discrimination",
        "Participacija i nediskriminacija",
    ),
]
MEMBER_ROLES = [
    ("coordinator", "Coordinator for Roma issues", "Koordinator za romska pitanja"),
    ("pedagogical-assistant", "Pedagogical assistant", "Pedagoški asistent"),
    ("health-mediator", "Health mediator", "Zdravstvena medijatorka"),
    ("csw", "Centre for Social Work representative", "Predstavnik centra za socijalni rad"),
    ("nes", "National Employment Service representative", "Predstavnik NSZ"),
    ("civil-registry", "Civil registry officer", "Matičar"),
    ("housing", "Housing officer", "Službenik za stambena pitanja"),
    ("other", "Other", "Drugo"),
]
INSTITUTION_TYPES = [
    ("csw", "Centre for Social Work", "Centar za socijalni rad"),
    ("nes", "National Employment Service branch", "Filijala Nacionalne službe za zapošljavanje"),
    ("school", "School", "Škola"),
    ("preschool", "Pre-school institution", "Predškolska ustanova"),
    ("health-centre", "Health centre", "Dom zdravlja"),
    ("cso", "Civil society organisation", "Organizacija civilnog društva"),
    ("lsg-department", "LSG department", "Odeljenje lokalne samouprave"),
    ("other", "Other", "Drugo"),
]
FUNDING_SOURCES = [
    ("lsg-budget", "LSG budget", "Budžet JLS", FundingSource.Share.LSG),
    ("republic-budget", "Republic budget", "Republički budžet", FundingSource.Share.OTHER),
    ("province-budget", "Province budget", "Pokrajinski budžet", FundingSource.Share.OTHER),
    ("eu-ipa", "EU / IPA", "EU / IPA", FundingSource.Share.OTHER),
    ("sctm", "SCTM co-financing", "Sufinansiranje SKGO", FundingSource.Share.SCTM),
    ("donor", "Donor", "Donator", FundingSource.Share.OTHER),
    ("in-kind", "In kind (LSG)", "U naturi (JLS)", FundingSource.Share.LSG),
]


@dataclass(frozen=True)
class ReferenceDataResult:
    districts: int
    lsgs: int
    thematic_areas: int
    member_roles: int
    institution_types: int
    funding_sources: int


def _lsg_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        # Kosovo's LSGs are in the source but outside the programme and the Serbian census.
        return [row for row in csv.DictReader(handle) if row["kosovo"] == "no"]


@transaction.atomic
def reference_data_load(*, lsg_csv: Path = LSG_CSV) -> ReferenceDataResult:
    """Create or refresh the reference tables. Safe to run again: editable fields are kept."""
    rows = _lsg_rows(lsg_csv)
    districts: dict[str, District] = {}
    for row in rows:
        code = row["okrug_code_src"]
        if code not in districts:
            districts[code], _created = District.objects.update_or_create(
                code=code,
                defaults={
                    "name_lat": row["okrug_lat"],
                    # The source spells Cyrillic district names in capitals and without "округ";
                    # the Latin name is exact, and Serbian Latin transliterates one to one.
                    "name_cyr": to_cyrillic(row["okrug_lat"]),
                    "region": row["region"],
                },
            )
    existing = {lsg.code: lsg for lsg in LSG.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        fields = {
            "name_lat": row["name_lat"],
            "name_cyr": row["name_cyr"],
            "type": _LSG_TYPES[row["lsg_type"]],
            "district": districts[row["okrug_code_src"]],
            "parent_city": row["parent_city"],
        }
        lsg = existing.get(row["municipality_code"])
        if lsg is None:
            to_create.append(LSG(code=row["municipality_code"], **fields))
        else:
            for name, value in fields.items():
                setattr(lsg, name, value)
            to_update.append(lsg)
    LSG.objects.bulk_create(to_create)
    LSG.objects.bulk_update(to_update, ["name_lat", "name_cyr", "type", "district", "parent_city"])

    for number, code, name_en, name_sr in THEMATIC_AREAS:
        ThematicArea.objects.get_or_create(
            code=code, defaults={"number": number, "name_en": name_en, "name_sr": name_sr}
        )
    for position, (code, name_en, name_sr) in enumerate(MEMBER_ROLES):
        MemberRole.objects.get_or_create(
            code=code, defaults={"position": position, "name_en": name_en, "name_sr": name_sr}
        )
    for position, (code, name_en, name_sr) in enumerate(INSTITUTION_TYPES):
        InstitutionType.objects.get_or_create(
            code=code, defaults={"position": position, "name_en": name_en, "name_sr": name_sr}
        )
    for position, (code, name_en, name_sr, share) in enumerate(FUNDING_SOURCES):
        FundingSource.objects.get_or_create(
            code=code,
            defaults={"position": position, "name_en": name_en, "name_sr": name_sr, "share": share},
        )
    return ReferenceDataResult(
        districts=District.objects.count(),
        lsgs=LSG.objects.count(),
        thematic_areas=ThematicArea.objects.count(),
        member_roles=MemberRole.objects.count(),
        institution_types=InstitutionType.objects.count(),
        funding_sources=FundingSource.objects.count(),
    )
