"""The former ministries and bodies real plans adopted in 2012-2022 name, each pointing to the body
that took over its work (stakeholders.services.FORMER_NATIONAL_BODIES). Into a database that has
the register only: an empty one gets them from load_reference_data. Reversible: the added bodies go
again unless something names them."""

import datetime

from django.db import migrations

# As in stakeholders.services.FORMER_NATIONAL_BODIES when this migration was written.
FORMER = [
    ("Ministarstvo prosvete, nauke i tehnološkog razvoja", "2012-07-27", "2022-10-26", "Ministarstvo prosvete"),
    ("Ministarstvo rada, zapošljavanja i socijalne politike", "2012-07-27", "2014-04-27",
     "Ministarstvo za rad, zapošljavanje, boračka i socijalna pitanja"),
    ("Ministarstvo građevinarstva i urbanizma", "2012-07-27", "2014-04-27",
     "Ministarstvo građevinarstva, saobraćaja i infrastrukture"),
    ("Tim za socijalno uključivanje i smanjenje siromaštva Vlade Republike Srbije", None, None, None),
]


def day(text):
    return datetime.date.fromisoformat(text) if text else None


def forwards(apps, schema_editor):
    Institution = apps.get_model("stakeholders", "Institution")
    InstitutionType = apps.get_model("stakeholders", "InstitutionType")
    national = InstitutionType.objects.filter(code="national").first()
    if national is None:
        return  # an empty database: load_reference_data seeds them
    for name, start, end, successor_name in FORMER:
        successor = Institution.objects.filter(lsg=None, name=successor_name).first() if successor_name else None
        if successor is not None and end and successor.valid_from is None:
            successor.valid_from = day(end)
            successor.save(update_fields=["valid_from"])
        Institution.objects.get_or_create(
            lsg=None, name=name,
            defaults={"type": national, "successor": successor, "valid_from": day(start), "valid_until": day(end)},
        )


def backwards(apps, schema_editor):
    Institution = apps.get_model("stakeholders", "Institution")
    for name, *_rest in FORMER:
        body = Institution.objects.filter(lsg=None, name=name).first()
        if body is None:
            continue
        try:
            body.delete()
        except Exception:  # noqa: BLE001 - still named by a plan: kept (its fields go with the schema)
            pass


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0008_national_bodies_in_force_and_successors")]

    operations = [migrations.RunPython(forwards, backwards)]
