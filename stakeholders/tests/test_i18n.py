"""Serbian in both scripts and English: which language a person gets, their saved choice, reference
names in each script, search across scripts and diacritics, and Serbian alphabetical order."""

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from jmu_planner import i18n
from jmu_planner.access import GlobalRole
from jmu_planner.text import search_key
from plans.models import FundingSource, ThematicArea
from stakeholders.filters import LSGFilter
from stakeholders.models import LSG, District, MemberRole
from stakeholders.selectors import lsg_list
from stakeholders.tests.factories import PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _product_default(settings):
    """The suite runs in English (conftest.py); these tests are about the product's own default."""
    settings.LANGUAGE_CODE = "sr-latn"


def test_the_product_default_is_serbian_latin():
    from jmu_planner import settings as project_settings

    assert project_settings.LANGUAGE_CODE == "sr-latn"
    assert [code for code, _name in project_settings.LANGUAGES] == ["sr-latn", "sr", "en"]


def officer(language: str = ""):
    user = user_with_role(GlobalRole.PROGRAMME_OFFICER)
    user.language = language
    user.save(update_fields=["language"])
    return user


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


# --- Which language a request gets ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", None),
        ("sr", "sr"),
        ("sr-RS", "sr"),
        ("sr-Cyrl-RS,sr;q=0.9", "sr"),
        ("sr-Latn-RS,sr;q=0.9,en;q=0.5", "sr-latn"),
        ("sr-Latn", "sr-latn"),
        ("sr-ME", "sr-latn"),
        ("sh", "sr-latn"),
        ("en-GB,en;q=0.9", "en"),
        ("de-DE,de;q=0.9,en;q=0.5", "en"),
        ("en;q=0.4,sr;q=0.8", "sr"),  # quality, not position, decides
        ("de-DE,fr;q=0.8", None),
    ],
)
def test_accept_language_is_read_with_the_script(header, expected):
    assert i18n.language_from_header(header) == expected


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "sr-Latn"),  # no preference: Serbian in Latin script
        ("de-DE,de;q=0.9", "sr-Latn"),  # none of ours: the default
        ("sr-RS,sr;q=0.9,en;q=0.5", "sr-Cyrl"),
        ("sr-Latn-RS", "sr-Latn"),
        ("en-US,en;q=0.9", "en"),
    ],
)
def test_the_login_page_follows_the_browser_and_defaults_to_latin(client, header, lang):
    extra = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}
    response = client.get(reverse("login"), **extra)
    assert response.status_code == 200
    assert html_lang(response) == lang
    assert response["Content-Language"] == {"sr-Latn": "sr-latn", "sr-Cyrl": "sr", "en": "en"}[lang]


def test_the_login_page_has_the_language_menu_with_names_in_their_own_script(client):
    page = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    for name in ["Srpski (latinica)", "Српски (ћирилица)", "English"]:
        assert name in page
    assert "onchange" not in page  # no inline script under the CSP: static/js/autosubmit.js
    assert "data-autosubmit" in page


def test_choosing_on_the_login_page_sets_a_cookie_and_becomes_the_profile_language(client):
    response = client.post(reverse("set_language"), {"language": "sr", "next": reverse("login")})
    assert response.status_code == 302 and response.url == reverse("login")
    assert html_lang(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")) == "sr-Cyrl"

    user = UserFactory(language="en")
    client.force_login(user)  # signing in right after choosing: the choice is kept
    user.refresh_from_db()
    assert user.language == "sr"


def test_the_menu_saves_the_profile_and_survives_logout_and_login(client):
    user = user_with_role(GlobalRole.PROGRAMME_OFFICER)
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "sr", "next": "/"})
    user.refresh_from_db()
    assert user.language == "sr"
    assert html_lang(client.get(reverse("home"))) == "sr-Cyrl"

    client.post(reverse("logout"))
    client.cookies.clear()  # another computer: no cookie, a browser asking for English
    client.force_login(user)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB")
    assert html_lang(response) == "sr-Cyrl"


def test_a_language_cookie_left_by_someone_else_does_not_overwrite_a_saved_choice(client):
    user = UserFactory(language="sr")
    client.cookies["django_language"] = "en"
    client.force_login(user)
    user.refresh_from_db()
    assert user.language == "sr"
    assert html_lang(client.get(reverse("home"))) == "sr-Cyrl"


def test_a_new_user_keeps_the_language_they_signed_in_with(client):
    user = UserFactory(username="nova", language="")
    user.set_password(PASSWORD)
    user.save()
    response = client.post(
        reverse("login"), {"username": "nova", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="sr-RS,sr"
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "sr"
    assert i18n.user_language(user) == "sr"


def test_user_language_for_notifications():
    assert i18n.user_language(UserFactory(language="en")) == "en"
    assert i18n.user_language(UserFactory(language="")) == "sr-latn"


def test_an_unknown_language_is_refused_and_nothing_saved(client):
    user = UserFactory(language="en")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_set_language_does_not_redirect_off_site(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.status_code in (204, 302)
    assert "evil.example" not in response.get("Location", "")


# --- Reference data and names in the reader's script ---------------------------------------------------


@pytest.mark.parametrize(
    ("language", "area", "source", "role", "lsg", "district"),
    [
        (
            "sr-latn",
            "Obrazovanje",
            "Sufinansiranje SKGO",
            "Zdravstvena medijatorka",
            "Čačak",
            "Moravički okrug",
        ),
        ("sr", "Образовање", "Суфинансирање СКГО", "Здравствена медијаторка", "Чачак", "Моравички округ"),
        ("en", "Education", "SCTM co-financing", "Health mediator", "Čačak", "Moravički okrug"),
    ],
)
def test_reference_names_follow_the_script(language, area, source, role, lsg, district):
    cacak = LSG.objects.select_related("district").get(code="71242")
    with translation.override(language):
        assert ThematicArea.objects.get(code="education").name == area
        assert str(FundingSource.objects.get(code="sctm")) == source
        assert MemberRole.objects.get(code="health-mediator").name == role
        assert cacak.name == str(cacak) == lsg
        assert cacak.district.name == district


def test_the_lsg_list_page_shows_names_in_the_readers_script(client):
    client.force_login(officer(language="sr"))
    page = client.get(reverse("stakeholders:lsg-list"), {"q": "Čačak"}).content.decode()
    assert '">Чачак</a> <span class="cyr small" translate="no">Čačak</span>' in page
    assert "Моравички округ" in page


# --- Search ignores script, case and diacritics ---------------------------------------------------


def search(query: str) -> set[str]:
    return {lsg.name_lat for lsg in LSGFilter({"q": query}, queryset=LSG.objects.all()).qs}


@pytest.mark.parametrize("query", ["Cacak", "Čačak", "Чачак", "cacak", "CACAK", "čačak", "ЧАЧАК", " cac "])
def test_search_finds_cacak_in_any_script_case_or_diacritics(query):
    assert search(query) == {"Čačak"}


@pytest.mark.parametrize("query", ["Ljig", "Љиг", "ljig", "LJIG"])
def test_search_handles_the_digraphs(query):
    assert search(query) == {"Ljig", "Svrljig"}


def test_search_nis_finds_the_city_municipalities_of_nis():
    found = search("Nis")
    assert {"Niška Banja", "Medijana", "Palilula", "Pantelej", "Crveni Krst"} <= found
    assert search("Ниш") >= {"Niška Banja", "Medijana"}


@pytest.mark.parametrize("query", ["Aranđelovac", "Arandjelovac", "Arandelovac", "Аранђеловац"])
def test_search_writes_dj_either_way(query):
    assert search(query) == {"Aranđelovac"}


def test_search_by_code_and_the_list_page(client):
    assert search("71242") == {"Čačak"}
    client.force_login(user_with_role(GlobalRole.PROGRAMME_OFFICER))
    response = client.get(reverse("stakeholders:lsg-list"), {"q": "cacak"})
    assert [lsg.name_lat for lsg in response.context["object_list"]] == ["Čačak"]


def test_search_key():
    assert search_key("Čačak") == search_key("Чачак") == search_key("CACAK") == "cacak"
    assert search_key("Đurđevo") == "djurdjevo"
    assert search_key("Đurđevo", dj="d") == "durdevo"


# --- Serbian alphabetical order in each script --------------------------------------------------------

ORDER_SAMPLE = ["Crna Trava", "Čačak", "Čajetina", "Ćićevac", "Ćuprija", "Despotovac", "Žitorađa", "Zaječar"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ICU collations are PostgreSQL's")
def test_lsg_list_sorts_in_serbian_order_in_each_script():
    admin = user_with_role(GlobalRole.ADMINISTRATOR)
    with translation.override("sr-latn"):
        latin = [lsg.name for lsg in lsg_list(user=admin).filter(name_lat__in=ORDER_SAMPLE)]
    # Latin: c č ć d ... z ž
    assert latin == [
        "Crna Trava",
        "Čačak",
        "Čajetina",
        "Ćićevac",
        "Ćuprija",
        "Despotovac",
        "Zaječar",
        "Žitorađa",
    ]
    with translation.override("sr"):
        cyrillic = [lsg.name for lsg in lsg_list(user=admin).filter(name_lat__in=ORDER_SAMPLE)]
    # Cyrillic: д ж з ... ћ ... ц ч
    assert cyrillic == [
        "Деспотовац",
        "Житорађа",
        "Зајечар",
        "Ћићевац",
        "Ћуприја",
        "Црна Трава",
        "Чајетина",
        "Чачак",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ICU collations are PostgreSQL's")
def test_district_dropdown_sorts_in_the_readers_script(client):
    client.force_login(officer(language="sr"))
    form = client.get(reverse("stakeholders:lsg-list")).context["filter"].form
    names = [str(d) for d in form.fields["district"].queryset]
    assert names[:3] == ["Борски округ", "Браничевски округ", "Град Београд"]
    # З comes before Ј and К in Cyrillic; Z comes last in Latin.
    assert names.index("Зајечарски округ") < names.index("Јабланички округ")
    assert names.index("Шумадијски округ") == len(names) - 1
    assert District.objects.count() == len(names)
