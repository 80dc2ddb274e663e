"""The Serbian catalogues: every string of the code translated in both, none fuzzy, placeholders
kept; the Cyrillic catalogue is the transliteration of the Latin one.

The code's strings are collected as a developer would, by makemessages on a copy of the project
(the working tree is left alone). A failure names the strings; to top up:
    DJANGO_DEBUG=true .venv/bin/python manage.py makemessages <MAKEMESSAGES_ARGS below>
    .venv/bin/python manage.py catalog_todo -o todo.json   # translate its "msgstr" values
    .venv/bin/python manage.py catalog_fill todo.json
    .venv/bin/python manage.py translit_catalog
"""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command, get_commands

from jmu_planner.management.commands._po import Entry, dump, parse, placeholders, read
from jmu_planner.management.commands.makemessages import Command as MakeMessages
from jmu_planner.management.commands.translit_catalog import cyrillic_catalogue, transliterate

LOCALES = ["sr_Latn", "sr"]
MAKEMESSAGES_ARGS = [
    "-l",
    "sr_Latn",
    "-l",
    "sr",
    "--no-obsolete",
    "-i",
    ".venv/*",
    "-i",
    "node_modules/*",
    "-i",
    "static/vendor/*",
]
ROOT = Path(settings.BASE_DIR)
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "node_modules",
    "vendor",
    "media",
    "staticfiles",
    "test-artifacts",
    "__pycache__",
    ".make",
    "*.mo",
    "db.sqlite3",
    ".pytest_cache",
    ".ruff_cache",
)


def catalogue(root: Path, locale: str) -> list[Entry]:
    return read(root / "locale" / locale / "LC_MESSAGES" / "django.po")


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory) -> dict[str, list[Entry]]:
    """Both catalogues as makemessages leaves them after collecting the code's strings now."""
    copy = tmp_path_factory.mktemp("catalogues") / "project"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCE)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-v0", *MAKEMESSAGES_ARGS],
        cwd=copy,
        env={**os.environ, "DJANGO_DEBUG": "true"},
        check=True,
        capture_output=True,
        timeout=120,
    )
    return {locale: catalogue(copy, locale) for locale in LOCALES}


def _describe(entries: list[Entry]) -> str:
    return "\n".join(f"  {entry.msgid!r}" for entry in entries[:40]) + (
        f"\n  ... and {len(entries) - 40} more" if len(entries) > 40 else ""
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_every_string_of_the_code_is_translated(refreshed, locale):
    entries = refreshed[locale]
    assert len(entries) > 700  # the header and the ~750 strings of templates and Python
    missing = [entry for entry in entries[1:] if not all(entry.translations)]
    assert not missing, (
        f"{len(missing)} strings of the code have no {locale} translation "
        f"(see this module's docstring to top up):\n{_describe(missing)}"
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_no_entry_is_fuzzy(refreshed, locale):
    # The header too: msgfmt drops a fuzzy header, and the plural forms with it.
    fuzzy = [entry for entry in refreshed[locale] if entry.fuzzy]
    assert not fuzzy, f"Fuzzy entries in {locale}:\n{_describe(fuzzy)}"


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_entries_have_the_three_serbian_forms(locale):
    entries = catalogue(ROOT, locale)
    assert "nplurals=3;" in entries[0].msgstr
    plurals = [entry for entry in entries[1:] if entry.msgid_plural is not None]
    assert plurals
    assert [entry.msgid for entry in plurals if len(entry.translations) != 3] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_are_kept(locale):
    wrong = []
    for entry in catalogue(ROOT, locale)[1:]:
        expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        for text in entry.translations:
            if text and placeholders(text) != expected:
                wrong.append(f"  {entry.msgid!r} -> {text!r}")
    assert not wrong, "Placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_compiles_with_format_checks(locale):
    po = ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", os.devnull, str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_cyrillic_catalogue_is_the_transliteration_of_the_latin_one():
    def shape(entries: list[Entry]) -> list[tuple]:
        return [(e.key, e.msgid_plural, e.translations, e.fuzzy) for e in entries[1:]]

    expected = cyrillic_catalogue(catalogue(ROOT, "sr_Latn"))
    actual = catalogue(ROOT, "sr")
    assert "Language: sr\n" in actual[0].msgstr
    assert shape(actual) == shape(expected), "Run `manage.py translit_catalog` after editing sr_Latn."


def test_transliteration_keeps_what_must_stay_latin():
    latin = (
        'Ljubav i <a href="https://skgo.org/nj">njiva</a> %(name)s {count} %d 70 %% '
        "PDF, XLSX, RSD, EUR, JMU Planner, IV grupa, .xlsx, pisati na mti@skgo.org, Wi-Fi, DOCX, "
        "nadživeti, NADŽIVETI, DŽEP i Džep, „već finansirana (lokalni budžet)“ ili nova"
    )
    assert transliterate(latin) == (
        'Љубав и <a href="https://skgo.org/nj">њива</a> %(name)s {count} %d 70 %% '
        "PDF, XLSX, RSD, EUR, JMU Planner, IV група, .xlsx, писати на mti@skgo.org, Wi-Fi, DOCX, "
        "надживети, НАДЖИВЕТИ, ЏЕП и Џеп, „već finansirana (lokalni budžet)“ или нова"
    )


def test_makemessages_adds_new_strings_empty_rather_than_fuzzy():
    # The project's makemessages must be the one that runs, and it turns fuzzy matching off.
    assert get_commands()["makemessages"] == "jmu_planner"
    assert "--no-fuzzy-matching" in MakeMessages.msgmerge_options


def _small_catalogue(path: Path) -> None:
    entries = [
        Entry(msgid="", msgstr="Content-Type: text/plain; charset=UTF-8\n", flags=["fuzzy"]),
        Entry(msgid="Measure %(code)s saved.", flags=["python-format"], comments=["#: plans/views.py:1"]),
        Entry(
            msgid="%(counter)s measure",
            msgid_plural="%(counter)s measures",
            msgstr_plural={0: "", 1: "", 2: ""},
            flags=["python-format"],
        ),
        Entry(msgid="Adoption", msgstr="Usvajanje"),
        Entry(msgid="May", msgctxt="month"),
    ]
    path.parent.mkdir(parents=True)
    path.write_text(dump(entries), encoding="utf-8")


def test_topping_up_lists_fills_and_transliterates(tmp_path, settings):
    settings.LOCALE_PATHS = [tmp_path]
    latin = tmp_path / "sr_Latn" / "LC_MESSAGES" / "django.po"
    _small_catalogue(latin)
    todo = tmp_path / "todo.json"

    call_command("catalog_todo", output=str(todo), stderr=io.StringIO())
    items = json.loads(todo.read_text(encoding="utf-8"))
    assert [item["msgid"] for item in items] == ["Measure %(code)s saved.", "%(counter)s measure", "May"]
    assert items[2]["msgctxt"] == "month"
    assert items[0]["where"] == "plans/views.py:1" and items[1]["msgstr"] == ["", "", ""]

    items[0]["msgstr"] = "Mera %(code)s je sačuvana."
    items[1]["msgstr"] = ["%(counter)s mera", "%(counter)s mere", "%(counter)s mera"]
    items[2]["msgstr"] = "maj"
    todo.write_text(json.dumps(items), encoding="utf-8")
    call_command("catalog_fill", str(todo), stdout=io.StringIO())
    filled = read(latin)
    assert all(entry.translated for entry in filled)
    assert "Language: sr_Latn\n" in filled[0].msgstr and not filled[0].fuzzy

    call_command("translit_catalog", stdout=io.StringIO())
    cyrillic = read(tmp_path / "sr" / "LC_MESSAGES" / "django.po")
    assert [entry.translations for entry in cyrillic[1:]] == [
        ["Мера %(code)s је сачувана."],
        ["%(counter)s мера", "%(counter)s мере", "%(counter)s мера"],
        ["Усвајање"],
        ["мај"],
    ]
    out = io.StringIO()
    call_command("catalog_todo", stdout=out)
    assert json.loads(out.getvalue()) == []


def test_fill_refuses_a_translation_that_loses_a_placeholder(tmp_path, settings):
    settings.LOCALE_PATHS = [tmp_path]
    latin = tmp_path / "sr_Latn" / "LC_MESSAGES" / "django.po"
    _small_catalogue(latin)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(
        json.dumps(
            {
                "Measure %(code)s saved.": "Mera %(kod)s je sačuvana.",
                "%(counter)s measure": ["%(counter)s mera", "%(counter)s mere"],
                "Adoption": "",  # left for later: not an error
                "A string the code no longer has": "Nešto",
            }
        ),
        encoding="utf-8",
    )
    errors = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("catalog_fill", str(wrong), stdout=io.StringIO(), stderr=errors)
    assert "placeholders differ" in str(refused.value) and "wrong number of forms" in str(refused.value)
    assert "A string the code no longer has" in errors.getvalue()
    assert not read(latin)[1].translated


def test_po_reader_and_writer_agree():
    text = (
        'msgid ""\nmsgstr ""\n"Language: sr\\n"\n\n'
        '#: a.py:1\nmsgctxt "month"\nmsgid ""\n"May"\nmsgstr "Maj"\n\n'
        '#, python-format\nmsgid "%(n)s row"\nmsgid_plural "%(n)s rows"\n'
        'msgstr[0] "%(n)s "\n"red"\nmsgstr[1] "%(n)s reda"\nmsgstr[2] "%(n)s redova"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Nema"\n'
    )
    entries = parse(text)
    assert [(entry.msgctxt, entry.msgid) for entry in entries] == [
        (None, ""),
        ("month", "May"),
        (None, "%(n)s row"),
    ]
    assert entries[0].msgstr == "Language: sr\n"
    assert entries[2].translations == ["%(n)s red", "%(n)s reda", "%(n)s redova"]
    two_lines = Entry(msgid='Line one\n"two"\tend', msgstr="Red jedan\n„dva“\tkraj")
    assert parse(dump([*entries, two_lines])) == [*entries, two_lines]
    with pytest.raises(ValueError, match="Unreadable"):
        parse('msgid "x"\nnonsense\n')
