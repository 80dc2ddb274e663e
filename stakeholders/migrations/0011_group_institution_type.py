"""Groups as a kind of party ("Roma CSOs", "health mediators of the district"): an institution type
of their own. Into a database that has the register only (an empty one gets it from
load_reference_data); reversible while no institution is of the type."""

from django.db import migrations


def forwards(apps, schema_editor):
    InstitutionType = apps.get_model("stakeholders", "InstitutionType")
    if not InstitutionType.objects.exists():
        return
    position = max(InstitutionType.objects.values_list("position", flat=True)) + 1
    InstitutionType.objects.get_or_create(
        code="group",
        defaults={"name_en": "Group of people or organisations", "name_sr": "Grupa ljudi ili organizacija",
                  "position": position},
    )


def backwards(apps, schema_editor):
    InstitutionType = apps.get_model("stakeholders", "InstitutionType")
    InstitutionType.objects.filter(code="group", institutions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0010_institution_member_count")]

    operations = [migrations.RunPython(forwards, backwards)]
