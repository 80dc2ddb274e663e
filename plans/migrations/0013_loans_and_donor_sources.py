"""Funding sources by type, and the loans and donors real plans name (issue 27). Reversible: the
added sources go again unless a budget line or envelope uses them; the types are left as set."""

from django.db import migrations

KINDS = {"lsg-budget": "budget", "republic-budget": "budget", "province-budget": "budget", "in-kind": "in_kind"}
ADDED = [
    ("loan", "Loan or credit", "Zajam ili kredit", "loan"),
    ("ibrd-loan", "World Bank loan (IBRD)", "Zajam Svetske banke (IBRD)", "loan"),
    ("ceb-loan", "Council of Europe Development Bank loan (CEB)", "Zajam Razvojne banke Saveta Evrope (CEB)", "loan"),
    ("sdc", "Swiss Agency for Development and Cooperation (SDC)", "Švajcarska agencija za razvoj i saradnju (SDC)",
     "grant"),
    ("osce", "OSCE Mission to Serbia", "Misija OEBS-a u Srbiji", "grant"),
    ("undp", "UNDP", "UNDP", "grant"),
    ("unicef", "UNICEF", "UNICEF", "grant"),
    ("ref", "Roma Education Fund", "Romski obrazovni fond", "grant"),
]


def forwards(apps, schema_editor):
    FundingSource = apps.get_model("plans", "FundingSource")
    for code, kind in KINDS.items():
        FundingSource.objects.filter(code=code).update(kind=kind)
    if not FundingSource.objects.exists():
        return  # an empty database: load_reference_data adds every source
    position = max(FundingSource.objects.values_list("position", flat=True)) + 1
    for offset, (code, name_en, name_sr, kind) in enumerate(ADDED):
        FundingSource.objects.get_or_create(
            code=code,
            defaults={"name_en": name_en, "name_sr": name_sr, "kind": kind, "share": "other",
                      "position": position + offset},
        )


def backwards(apps, schema_editor):
    FundingSource = apps.get_model("plans", "FundingSource")
    FundingSource.objects.filter(
        code__in=[code for code, *_rest in ADDED], budget_lines__isnull=True, envelopes__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0012_budget_bounds_and_allocations")]

    operations = [migrations.RunPython(forwards, backwards)]
