"""The register starts with the programme's own foreign names and the abbreviations a Serbian
Cyrillic text writes in Latin (those the catalogues keep: translit_catalog.KEEP_LATIN)."""

from django.db import migrations

SEED = [
    ("JMU Planner", "the product's name"),
    ("EU", "European Union"), ("IPA", "Instrument for Pre-accession Assistance"),
    ("UNICEF", ""), ("OSCE", "Organization for Security and Co-operation in Europe"),
    ("SCTM", "Standing Conference of Towns and Municipalities, in English text"),
    ("UNDP", ""), ("GIZ", ""), ("OEBS", ""), ("USAID", ""), ("SDC", "Swiss Agency for Development and Cooperation"),
    ("RSD", "currency"), ("EUR", "currency"), ("USD", "currency"), ("IBAN", ""), ("ID", ""),
    ("PDF", "file type"), ("CSV", "file type"), ("DOCX", "file type"), ("DOC", "file type"),
    ("ODT", "file type"), ("PNG", "file type"), ("JPEG", "file type"), ("JPG", "file type"),
    ("GIF", "file type"), ("SVG", "file type"), ("ZIP", "file type"), ("HTML", "file type"),
    ("JSON", "file type"), ("TXT", "file type"), ("Word", "the word processor"),
]


def seed(apps, schema_editor):
    KeptTerm = apps.get_model("jmu_planner", "KeptTerm")
    for term, note in SEED:
        KeptTerm.objects.get_or_create(term=term, defaults={"note": note})


def unseed(apps, schema_editor):
    KeptTerm = apps.get_model("jmu_planner", "KeptTerm")
    KeptTerm.objects.filter(term__in=[term for term, _note in SEED]).delete()


class Migration(migrations.Migration):
    dependencies = [("jmu_planner", "0001_kept_terms")]

    operations = [migrations.RunPython(seed, unseed)]
