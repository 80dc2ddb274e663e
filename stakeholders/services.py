"""Writes to the registry. Every write validates the whole row before it touches the database."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ManyToManyRel
from django.utils.translation import gettext_lazy as _

from jmu_planner import i18n
from jmu_planner.services import model_save, model_update
from jmu_planner.text import to_cyrillic
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

if TYPE_CHECKING:
    from django.http import HttpRequest

DATA_DIR = Path(__file__).resolve().parent / "data"
LSG_CSV = DATA_DIR / "serbia_lsgs.csv"

_LSG_TYPES = {
    "opština": LSG.Type.MUNICIPALITY,
    "grad": LSG.Type.CITY,
    "gradska opština": LSG.Type.CITY_MUNICIPALITY,
}


# --- LSGs --------------------------------------------------------------------------------------


def lsg_update(*, lsg: LSG, actor: User, data: Mapping[str, Any]) -> LSG:
    """The LSG's data; a new coat of arms is checked by its content (LSG.clean), a cleared one removed."""
    data = dict(data)
    if data.get("coat_of_arms") is False:  # the form's "clear" box
        data["coat_of_arms"] = ""
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


def remember_language_on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """On signing in (user_logged_in): a language just chosen on the log-in page becomes the
    user's; a user who never chose one keeps the language they signed in with. A language cookie
    left by someone else on a shared computer does not overwrite a saved choice."""
    chosen = request.session.pop(i18n.CHOSEN_SESSION_KEY, None) if request is not None else None
    if chosen in i18n.LANGUAGE_CODES:
        user_set_language(user=user, language=chosen)
    elif not i18n.normalise(user.language):
        language = i18n.request_language(request) if request is not None else i18n.default_language()
        user_set_language(user=user, language=language)


def settlement_create(*, lsg: LSG, actor: User, data: Mapping[str, Any]) -> Settlement:
    return model_save(Settlement(lsg=lsg, **data), actor=actor)


def settlement_update(*, settlement: Settlement, actor: User, data: Mapping[str, Any]) -> Settlement:
    return model_update(settlement, actor=actor, data=data)


def institution_create(*, lsg: LSG, actor: User, data: Mapping[str, Any]) -> Institution:
    return model_save(Institution(lsg=lsg, **data), actor=actor)


def national_bodies_seed_former(institution_model: type[Institution], national_type: InstitutionType) -> None:
    """The former national bodies, each pointing to the body that took over its work; the
    successor's `in force from` is the day its predecessor ended. Safe to run again."""
    import datetime

    for name, start, end, successor_name in FORMER_NATIONAL_BODIES:
        successor = None
        if successor_name:
            successor = institution_model.objects.filter(lsg=None, name=successor_name).first()
            if successor is not None and end and successor.valid_from is None:
                successor.valid_from = datetime.date.fromisoformat(end)
                successor.save(update_fields=["valid_from"])
        institution_model.objects.get_or_create(
            lsg=None,
            name=name,
            defaults={
                "type": national_type,
                "successor": successor,
                "valid_from": datetime.date.fromisoformat(start) if start else None,
                "valid_until": datetime.date.fromisoformat(end) if end else None,
            },
        )


@transaction.atomic
def institution_merge(*, keep: Institution, merged: Sequence[Institution], actor: User) -> Institution:
    """National bodies registered twice become one: whatever named a merged body (a plan's measures,
    envelopes, members' institutions...) names `keep`, and the merged rows go. Every relation
    to Institution is followed, so the registry need not know the apps that name bodies."""
    others = [m for m in merged if m.pk != keep.pk]
    if any(m.lsg_id != keep.lsg_id for m in others):
        raise ValidationError(_("Only bodies of the same register can be merged (national, or one LSG's)."))
    ids = [m.pk for m in others]
    for relation in Institution._meta.related_objects:
        if relation.many_to_many:
            m2m = cast(ManyToManyRel, relation)  # many_to_many: the ManyToManyRel of a ManyToManyField
            # Set when the models load (auto-created or declared); its `objects` is the plugin's
            # per-model manager, unknown to `type[Model]`.
            through = cast(Any, m2m.through)
            source = m2m.field.m2m_field_name()
            target = m2m.field.m2m_reverse_field_name()
            rows = list(through.objects.filter(**{f"{target}__in": ids}))
            owners = {getattr(r, f"{source}_id") for r in rows}
            taken = set(
                through.objects.filter(**{target: keep, f"{source}__in": owners}).values_list(
                    f"{source}_id", flat=True
                )
            )
            through.objects.filter(**{f"{target}__in": ids}).delete()
            through.objects.bulk_create(
                through(**{f"{source}_id": owner, f"{target}_id": keep.pk}) for owner in owners - taken
            )
        elif relation.one_to_many and relation.related_model is not Institution.history.model:
            relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": ids}).update(
                **{relation.field.name: keep}
            )
    Institution.objects.filter(pk__in=ids).delete()
    return keep


def institution_update(*, institution: Institution, actor: User, data: Mapping[str, Any]) -> Institution:
    return model_update(institution, actor=actor, data=data)


# --- Reference data ----------------------------------------------------------------------------

# The two cities whose territory is wholly city municipalities: the source file has no row of
# their own, so their codes are the project's (99xxx: outside the official 70000-80999 range).
# (code, Latin name = the `parent_city` their city municipalities carry, Cyrillic, source district).
CITIES_OF_CITY_MUNICIPALITIES = [
    ("99001", "Beograd", "Београд", "БГД"),
    ("99002", "Niš", "Ниш", "НШВ"),
]
# The national bodies every LSG's plans may name (Institution.lsg NULL): (type code, Serbian name).
NATIONAL_BODIES = [
    ("national", "Kancelarija za ljudska i manjinska prava"),
    ("national", "Ministarstvo za ljudska i manjinska prava i društveni dijalog"),
    ("national", "Ministarstvo prosvete"),
    ("national", "Ministarstvo zdravlja"),
    ("national", "Ministarstvo za rad, zapošljavanje, boračka i socijalna pitanja"),
    ("national", "Ministarstvo građevinarstva, saobraćaja i infrastrukture"),
    ("national", "Ministarstvo državne uprave i lokalne samouprave"),
    ("national", "Ministarstvo unutrašnjih poslova"),
    ("national", "Ministarstvo za brigu o porodici i demografiju"),
    ("national", "Ministarstvo kulture"),
    ("national", "Ministarstvo informisanja i telekomunikacija"),
    ("nes", "Nacionalna služba za zapošljavanje"),
    ("national", "Republički zavod za socijalnu zaštitu"),
    ("national", "Institut za javno zdravlje Srbije „Dr Milan Jovanović Batut”"),
    ("national", "Republički fond za zdravstveno osiguranje"),
    ("national", "Zaštitnik građana"),
    ("national", "Poverenik za zaštitu ravnopravnosti"),
    ("national", "Nacionalni savet romske nacionalne manjine"),
    ("national", "Stalna konferencija gradova i opština (SKGO)"),
    ("donor", "Delegacija Evropske unije u Republici Srbiji"),
    ("donor", "Misija OEBS-a u Srbiji"),
    ("donor", "UNICEF Srbija"),
    ("donor", "UNDP Srbija"),
    ("donor", "Nemačka organizacija za međunarodnu saradnju (GIZ)"),
]
# National bodies renamed or closed, as plans adopted in their time name them:
# (name, in force from, in force until, the body that took over its work). Also seeded by
# stakeholders' migration 0007 into a database that has the register.
FORMER_NATIONAL_BODIES = [
    (
        "Ministarstvo prosvete, nauke i tehnološkog razvoja",
        "2012-07-27",
        "2022-10-26",
        "Ministarstvo prosvete",
    ),
    (
        "Ministarstvo rada, zapošljavanja i socijalne politike",
        "2012-07-27",
        "2014-04-27",
        "Ministarstvo za rad, zapošljavanje, boračka i socijalna pitanja",
    ),
    (
        "Ministarstvo građevinarstva i urbanizma",
        "2012-07-27",
        "2014-04-27",
        "Ministarstvo građevinarstva, saobraćaja i infrastrukture",
    ),
    ("Tim za socijalno uključivanje i smanjenje siromaštva Vlade Republike Srbije", None, None, None),
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
    ("national", "National body", "Republički organ"),
    ("donor", "Donor or international organisation", "Donator ili međunarodna organizacija"),
    ("group", "Group of people or organisations", "Grupa ljudi ili organizacija"),
]


@dataclass(frozen=True)
class ReferenceDataResult:
    districts: int
    lsgs: int
    member_roles: int
    institution_types: int


def _cities_of_city_municipalities(districts: dict[str, District]) -> None:
    """Belgrade and Niš as cities, and every city municipality pointing to its city."""
    for code, name_lat, name_cyr, district_code in CITIES_OF_CITY_MUNICIPALITIES:
        LSG.objects.update_or_create(
            code=code,
            defaults={
                "name_lat": name_lat,
                "name_cyr": name_cyr,
                "type": LSG.Type.CITY,
                "district": districts[district_code],
                "parent_city": "",
            },
        )
    # Every city municipality (Belgrade's, Niš's, Kostolac, Petrovaradin, ...) to its city.
    cities = {c.name_lat: c for c in LSG.objects.filter(type=LSG.Type.CITY)}
    for part in LSG.objects.filter(type=LSG.Type.CITY_MUNICIPALITY):
        city = cities.get(part.parent_city)
        if city is not None and part.parent_id != city.pk:
            LSG.objects.filter(pk=part.pk).update(parent=city)


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
            # Names only for a new district: an administrator's correction of a name is kept.
            districts[code], _created = District.objects.update_or_create(
                code=code,
                defaults={"region": row["region"]},
                create_defaults={
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
            # The names are the administrators' once the LSG exists (the README says so): only
            # the classification follows the source file.
            for name in ("type", "district", "parent_city"):
                setattr(lsg, name, fields[name])
            to_update.append(lsg)
    LSG.objects.bulk_create(to_create)
    LSG.objects.bulk_update(to_update, ["type", "district", "parent_city"])
    _cities_of_city_municipalities(districts)

    for position, (code, name_en, name_sr) in enumerate(MEMBER_ROLES):
        MemberRole.objects.get_or_create(
            code=code, defaults={"position": position, "name_en": name_en, "name_sr": name_sr}
        )
    for position, (code, name_en, name_sr) in enumerate(INSTITUTION_TYPES):
        InstitutionType.objects.get_or_create(
            code=code, defaults={"position": position, "name_en": name_en, "name_sr": name_sr}
        )
    types = {t.code: t for t in InstitutionType.objects.all()}
    for type_code, name in NATIONAL_BODIES:
        Institution.objects.get_or_create(lsg=None, name=name, defaults={"type": types[type_code]})
    national_bodies_seed_former(Institution, types["national"])
    return ReferenceDataResult(
        districts=District.objects.count(),
        lsgs=LSG.objects.count(),
        member_roles=MemberRole.objects.count(),
        institution_types=InstitutionType.objects.count(),
    )
