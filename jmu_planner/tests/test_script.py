"""What people typed, in the reader's script: a Cyrillic reader's plan page, report page, inbox and
plan PDF hold no Latin word except those the rules keep (jmu_planner.script)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from jmu_planner import script
from jmu_planner.models import KeptTerm
from jmu_planner.notifications.delivery import notification_email
from jmu_planner.notifications.events import bilingual
from jmu_planner.notifications.models import Notification
from jmu_planner.tests.access_world import build_world
from jmu_planner.tests.visible import visible_text
from plans.models import OperationalPlan
from plans.tests.factories import IndicatorFactory, MeasureFactory
from reporting.documents import document_html
from reporting.models import Document, IndicatorValue
from stakeholders.models import Institution

pytestmark = [pytest.mark.serbian, pytest.mark.django_db]

LATIN_WORD = re.compile(r"[A-Za-zČĆŽŠĐčćžšđ][\wČĆŽŠĐčćžšđ-]*")
# What a Cyrillic text may write in Latin: URLs, e-mail addresses, codes (a digit in the word),
# Roman numerals, words with q, w, x or y, and the register's words.
KEPT = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w./-]*\d[\w./-]*\b|\b[IVX]+\b|\b[\w-]*[qwxyQWXY][\w-]*\b"
)


# The language menu names each language in itself ("Srpski (latinica)", "English"), marked so.
_OWN_LANGUAGE = re.compile(r'(<[^>]*\stranslate="no"[^>]*>)[^<]*')


def shown(html: str) -> str:
    return visible_text(_OWN_LANGUAGE.sub(r"\1", html))


def latin_words(text: str) -> list[str]:
    register = sorted(KeptTerm.objects.values_list("term", flat=True), key=len, reverse=True)
    text = KEPT.sub(" ", text)
    text = re.sub(r"(?<!\w)(?:" + "|".join(map(re.escape, register)) + r")(?!\w)", " ", text)
    return sorted(set(LATIN_WORD.findall(text)))


@pytest.fixture
def typed(settings):
    """A world whose people typed in Latin: plan, measures, institutions, indicators, a note."""
    world = build_world()
    for plan in OperationalPlan.objects.filter(jmu=world.jmu):
        plan.title = f"Operativni plan za inkluziju Roma {plan.period_start.year}"
        plan.save(update_fields=["title"])
    for number, institution in enumerate(Institution.objects.filter(lsg=world.lsg), start=1):
        institution.name = f"Centar za socijalni rad Šabac, ogranak {number}"
        institution.save(update_fields=["name"])
    world.measure.title = "Upis romske dece u predškolsko uz podršku UNICEF (www.unicef.org/serbia)"
    world.measure.save(update_fields=["title"])
    measure = MeasureFactory(plan=world.adopted, title="Pomoć u pribavljanju ličnih dokumenata")
    indicator = IndicatorFactory(measure=measure, name="Broj upisane dece", unit="osoba")
    IndicatorValue.objects.create(report=world.report, indicator=indicator, value=3)
    coordinator = world.users["coordinator"]
    coordinator.language = "sr"
    coordinator.email = "koordinator@example.org"
    coordinator.save(update_fields=["language", "email"])
    Notification.objects.create(
        recipient=coordinator,
        event="report.returned",
        params={
            "who": "Jelena Marković",
            "report": bilingual("Mesečni 11/2026 – Kragujevac", "Mesečni 11/2026 – Крагујевац"),
            "note": "Dopunite opis aktivnosti (Plan u celini)",
        },
        url="/",
    )
    return world


def cyrillic_page(client, world, url) -> str:
    client.force_login(world.users["coordinator"])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_rule_finds_latin_words():
    assert latin_words("План Mera 1 „Upis“ EU www.x.org a@b.rs II XLSX 2027. OP-12") == ["Mera", "Upis"]


def test_a_cyrillic_plan_page_has_no_latin_words(client, typed):
    html = cyrillic_page(client, typed, reverse("plans:plan-detail", args=[typed.plan.pk]))
    assert latin_words(shown(html)) == []
    assert "Центар за социјални рад Шабац, огранак 1" in html
    assert "UNICEF (www.unicef.org/serbia)" in html  # the register's word and the URL, as written


def test_a_cyrillic_report_page_has_no_latin_words(client, typed):
    html = cyrillic_page(client, typed, reverse("reporting:report-detail", args=[typed.report.pk]))
    assert latin_words(shown(html)) == []
    assert "Број уписане деце" in html


def test_a_cyrillic_inbox_and_e_mail_have_no_latin_words(client, typed):
    html = cyrillic_page(client, typed, reverse("notifications:inbox"))
    assert latin_words(shown(html)) == []
    assert "Месечни 11/2026 – Крагујевац" in html
    notification = Notification.objects.get(event="report.returned")
    notification_email(notification)
    (sent,) = mail.outbox
    assert latin_words(sent.subject + "\n" + sent.body.split("http")[0]) == []
    assert "Допуните опис активности" in sent.body


def test_a_cyrillic_plan_pdf_has_no_latin_words(typed):
    with translation.override("sr"):
        html = document_html(Document(plan=typed.plan, language="sr"))
    assert latin_words(shown(html)) == []
    assert "Оперативни план за инклузију Рома" in html


def test_edit_forms_keep_what_was_typed(client, typed):
    """Stored text is never rewritten: a form's field shows it as typed, whatever the script."""
    html = cyrillic_page(client, typed, reverse("plans:plan-update", args=[typed.plan.pk]))
    typed.plan.refresh_from_db()
    assert f'value="{typed.plan.title}"' in html


def test_a_latin_reader_reads_cyrillic_typing_in_latin(client, typed):
    Institution.objects.filter(pk=typed.measure.responsible_id).update(name="Дом здравља Шабац")
    typed.users["coordinator"].language = "sr-latn"
    typed.users["coordinator"].save(update_fields=["language"])
    html = cyrillic_page(client, typed, reverse("plans:plan-detail", args=[typed.plan.pk]))
    assert "Dom zdravlja Šabac" in html
    assert "Дом здравља" not in html


def test_the_register_is_extended_by_an_administrator(client, typed):
    KeptTerm.objects.create(term="Roma Education Fund")
    script.forget_kept_terms()
    with translation.override("sr"):
        assert script.for_reader("Projekat Roma Education Fund i EU") == "Пројекат Roma Education Fund и EU"
    admin = typed.users["administrator"]
    client.force_login(admin)
    response = client.post(reverse("admin:jmu_planner_keptterm_add"), {"term": "Ilinden", "note": ""})
    assert response.status_code == 302
    with translation.override("sr"):
        assert script.for_reader("Ilinden") == "Ilinden"  # the admin's save cleared the cache
