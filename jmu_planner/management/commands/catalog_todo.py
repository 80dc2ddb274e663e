"""List the Serbian Latin entries that still need a translator, as JSON to fill in.

Topping up after new strings: `manage.py makemessages ...`, then `manage.py catalog_todo -o
todo.json`, translate the "msgstr" values in todo.json, `manage.py catalog_fill todo.json`, and
`manage.py translit_catalog` for the Cyrillic catalogue.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from ._po import read


def catalogue_path(locale: str, domain: str = "django") -> Path:
    return Path(settings.LOCALE_PATHS[0]) / locale / "LC_MESSAGES" / f"{domain}.po"


class Command(BaseCommand):
    help = "Write the untranslated or fuzzy entries of a catalogue as JSON, for catalog_fill."

    def add_arguments(self, parser):
        parser.add_argument("--locale", default="sr_Latn")
        parser.add_argument("-o", "--output", help="a file to write (default: standard output)")

    def handle(self, *args, **options):
        todo = []
        for entry in read(catalogue_path(options["locale"]))[1:]:
            if entry.translated:
                continue
            where = [c[3:] for c in entry.comments if c.startswith("#: ")]
            item = {"msgid": entry.msgid}
            if entry.msgctxt is not None:
                item["msgctxt"] = entry.msgctxt
            if entry.msgid_plural is not None:
                item["msgid_plural"] = entry.msgid_plural
                item["msgstr"] = entry.translations
            else:
                item["msgstr"] = entry.msgstr
            item["where"] = " ".join(where)
            todo.append(item)
        text = json.dumps(todo, ensure_ascii=False, indent=1) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"{len(todo)} entries to translate in {options['output']}")
        else:
            self.stdout.write(text, ending="")
