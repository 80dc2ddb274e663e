"""`load_reference_data` is safe to repeat: names corrected in the admin stay corrected."""

import pytest
from django.core.management import call_command

from stakeholders.models import LSG, District

pytestmark = pytest.mark.django_db


def test_reloading_keeps_lsg_and_district_names_edited_in_the_admin():
    lsg = LSG.objects.get(code="70645")
    district = lsg.district
    LSG.objects.filter(pk=lsg.pk).update(name_lat="Ispravljeno ime", name_cyr="Исправљено име")
    District.objects.filter(pk=district.pk).update(name_lat="Ispravljen okrug", name_cyr="Исправљен округ")

    call_command("load_reference_data", verbosity=0)

    lsg.refresh_from_db()
    district.refresh_from_db()
    assert (lsg.name_lat, lsg.name_cyr) == ("Ispravljeno ime", "Исправљено име")
    assert (district.name_lat, district.name_cyr) == ("Ispravljen okrug", "Исправљен округ")
    assert lsg.district_id == district.pk  # the classification still follows the source file


def test_a_new_lsg_in_the_source_gets_the_source_names():
    lsg = LSG.objects.get(code="70645")
    names = (lsg.name_lat, lsg.name_cyr)
    lsg.delete()
    call_command("load_reference_data", verbosity=0)
    assert (LSG.objects.get(code="70645").name_lat, LSG.objects.get(code="70645").name_cyr) == names
