"""The plans' reference tables: the Strategy's thematic areas and the funding sources. Safe to load
again: rows an administrator edited keep their names (`manage.py load_reference_data` loads them
after the registry's)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from plans.models import FundingSource, ThematicArea

# The areas of the Strategy for Social Inclusion of Roma (2022-2030) and a cross-cutting one.
THEMATIC_AREAS = [
    (1, "education", "Education", "Obrazovanje"),
    (2, "employment", "Employment", "Zapošljavanje"),
    (3, "health", "Health", "Zdravlje"),
    (4, "social-protection", "Social protection", "Socijalna zaštita"),
    (5, "housing", "Housing", "Stanovanje"),
    (
        6,
        "civil-status",
        "Civil registration and personal documents",
        "Upis u matične knjige i lična dokumenta",
    ),
    (7, "participation", "Participation", "Participacija"),
    (8, "culture-media", "Culture and media", "Kultura i mediji"),
    (9, "anti-discrimination", "Anti-discrimination", "Borba protiv diskriminacije"),
    (10, "cross-cutting", "Cross-cutting", "Međusektorske mere"),
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
class PlanReferenceResult:
    thematic_areas: int
    funding_sources: int


@transaction.atomic
def plan_reference_load() -> PlanReferenceResult:
    for number, code, name_en, name_sr in THEMATIC_AREAS:
        ThematicArea.objects.get_or_create(
            code=code, defaults={"number": number, "name_en": name_en, "name_sr": name_sr}
        )
    for position, (code, name_en, name_sr, share) in enumerate(FUNDING_SOURCES):
        FundingSource.objects.get_or_create(
            code=code,
            defaults={"position": position, "name_en": name_en, "name_sr": name_sr, "share": share},
        )
    return PlanReferenceResult(
        thematic_areas=ThematicArea.objects.count(), funding_sources=FundingSource.objects.count()
    )
