"""The field's words, once: the catalogues use the glossary's terms, never the words it avoids.

The glossary is docs/glossary.md; its table's third column lists the words to avoid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from jmu_planner.management.commands._po import read
from jmu_planner.text import to_cyrillic
from plans.spreadsheets.columns import COLUMNS, ENVELOPE_COLUMNS, ENVELOPE_SHEET

GLOSSARY = Path(settings.BASE_DIR) / "docs" / "glossary.md"
CATALOGUES = {
    "sr_Latn": Path(settings.BASE_DIR) / "locale" / "sr_Latn" / "LC_MESSAGES" / "django.po",
    "sr": Path(settings.BASE_DIR) / "locale" / "sr" / "LC_MESSAGES" / "django.po",
}


def glossary() -> list[tuple[str, str, list[str]]]:
    """(Serbian term, English term, words to avoid) of each row of the glossary's table."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("Serbian (sr_Latn)", "---"):
            continue
        rows.append((cells[0], cells[1], [word.strip() for word in cells[2].split(",") if word.strip()]))
    return rows


def kept_names() -> list[str]:
    """The names the glossary writes as they are (its "Names written as they are" section)."""
    text = GLOSSARY.read_text(encoding="utf-8").split("## Names written as they are", 1)[1]
    section = text.split("##", 1)[0]
    return [name.strip() for name in section.rsplit(":", 1)[1].strip().rstrip(".").split(",")]


PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|\{\{[^}]*\}\}")


def avoided_in(texts: list[str], script) -> list[str]:
    names = kept_names()
    found = []
    for _serbian, english, avoided in glossary():
        for word in avoided:
            # A capitalised avoided word (an abbreviation: JMU, LSG) is matched as written.
            pattern = re.compile(r"(?<!\w)" + re.escape(script(word)), 0 if word[0].isupper() else re.I)
            for text in texts:
                text = PLACEHOLDER.sub("", text)  # %(target)s names a value, it is not a word
                for name in names:
                    text = text.replace(script(name), "").replace(name, "")
                if pattern.search(text):
                    found.append(f"{word!r} (say the term for {english!r}) in {text[:80]!r}")
    return found


def test_the_glossary_has_the_field_terms():
    terms = {serbian.split(" (")[0].split(" —")[0] for serbian, _english, _avoid in glossary()}
    for term in (
        "pokazatelj",
        "mera",
        "nosilac",
        "sufinansiranje",
        "polazna vrednost",
        "ciljna vrednost",
        "mobilni tim za inkluziju Roma",
    ):
        assert term in terms
    avoided = {word for _serbian, _english, words in glossary() for word in words}
    assert {"indikator", "JMU"} <= avoided


def test_the_check_finds_an_avoided_word():
    assert avoided_in(["Broj indikatora", "Članovi JMU"], str) != []
    assert avoided_in(["Тип индикатора"], to_cyrillic) != []
    assert avoided_in(["JMU Planner: pokazatelji MTI"], str) == []


@pytest.mark.parametrize("locale", sorted(CATALOGUES))
def test_no_catalogue_uses_an_avoided_word(locale):
    script = to_cyrillic if locale == "sr" else str
    texts = [text for entry in read(CATALOGUES[locale])[1:] for text in entry.translations]
    found = avoided_in(texts, script)
    assert not found, f"{locale}: " + "\n".join(found)


def test_the_plan_matrix_headers_use_the_glossary():
    found = avoided_in([*COLUMNS, *ENVELOPE_COLUMNS, ENVELOPE_SHEET[0]], str)
    assert not found, "\n".join(found)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("sr-latn", "„Dopunite &lt;opis&gt;“"),
        ("sr", "„Допуните &lt;опис&gt;“"),
        ("en", "“Dopunite &lt;opis&gt;”"),
    ],
)
def test_quoted_user_text_takes_the_readers_quotation_marks(language, shown):
    from django.template import Context, Template

    from jmu_planner.script import html_for_reader

    with translation.override(language):
        html = Template("{% load jmu_i18n %}<p>{{ note|quoted }}</p>").render(
            Context({"note": "Dopunite <opis>"})
        )
        assert html_for_reader(html) == f"<p>{shown}</p>"
