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

Share, Kind = FundingSource.Share, FundingSource.Kind
# (code, English, Serbian, side of the co-financing rule, type). After the first seven, the loans
# and the programme's donors as real plans name them (also added by plans' migration 0012).
FUNDING_SOURCES = [
    ("lsg-budget", "LSG budget", "Budžet JLS", Share.LSG, Kind.BUDGET),
    ("republic-budget", "Republic budget", "Republički budžet", Share.OTHER, Kind.BUDGET),
    ("province-budget", "Province budget", "Pokrajinski budžet", Share.OTHER, Kind.BUDGET),
    ("eu-ipa", "EU / IPA", "EU / IPA", Share.OTHER, Kind.GRANT),
    ("sctm", "SCTM co-financing", "Sufinansiranje SKGO", Share.SCTM, Kind.GRANT),
    ("donor", "Donor", "Donator", Share.OTHER, Kind.GRANT),
    ("in-kind", "In kind (LSG)", "U naturi (JLS)", Share.LSG, Kind.IN_KIND),
    ("loan", "Loan or credit", "Zajam ili kredit", Share.OTHER, Kind.LOAN),
    ("ibrd-loan", "World Bank loan (IBRD)", "Zajam Svetske banke (IBRD)", Share.OTHER, Kind.LOAN),
    (
        "ceb-loan",
        "Council of Europe Development Bank loan (CEB)",
        "Zajam Razvojne banke Saveta Evrope (CEB)",
        Share.OTHER,
        Kind.LOAN,
    ),
    (
        "sdc",
        "Swiss Agency for Development and Cooperation (SDC)",
        "Švajcarska agencija za razvoj i saradnju (SDC)",
        Share.OTHER,
        Kind.GRANT,
    ),
    ("osce", "OSCE Mission to Serbia", "Misija OEBS-a u Srbiji", Share.OTHER, Kind.GRANT),
    ("undp", "UNDP", "UNDP", Share.OTHER, Kind.GRANT),
    ("unicef", "UNICEF", "UNICEF", Share.OTHER, Kind.GRANT),
    ("ref", "Roma Education Fund", "Romski obrazovni fond", Share.OTHER, Kind.GRANT),
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
    for position, (code, name_en, name_sr, share, kind) in enumerate(FUNDING_SOURCES):
        FundingSource.objects.get_or_create(
            code=code,
            defaults={
                "position": position,
                "name_en": name_en,
                "name_sr": name_sr,
                "share": share,
                "kind": kind,
            },
        )
    return PlanReferenceResult(
        thematic_areas=ThematicArea.objects.count(), funding_sources=FundingSource.objects.count()
    )
