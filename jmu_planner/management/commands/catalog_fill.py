"""Put translations from JSON files (catalog_todo's format) into the Serbian Latin catalogue.

Each file holds a list of {"msgid", "msgctxt"?, "msgstr": str | [str, str, str]} objects, or a
mapping {msgid: msgstr}. An entry whose placeholders differ from its msgid is refused, so a
typo in %(name)s is caught here rather than by a KeyError on a page.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ._po import placeholders, read, set_header, write
from .catalog_todo import catalogue_path


def _items(data) -> list[dict]:
    if isinstance(data, dict):
        return [{"msgid": msgid, "msgstr": msgstr} for msgid, msgstr in data.items()]
    return data


HEADER_COMMENT = """Serbian (Latin script) catalogue of JMU Planner, translated by hand.
The Cyrillic catalogue (locale/sr) is made from this one by `manage.py translit_catalog`."""


class Command(BaseCommand):
    help = "Fill the Serbian Latin catalogue from JSON files of translations."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--locale", default="sr_Latn")

    def handle(self, *args, **options):
        path = catalogue_path(options["locale"])
        entries = read(path)
        by_key = {entry.key: entry for entry in entries[1:]}
        nplurals = 3
        problems, filled, unknown = [], 0, []
        for name in options["files"]:
            for item in _items(json.loads(Path(name).read_text(encoding="utf-8"))):
                entry = by_key.get((item.get("msgctxt"), item["msgid"]))
                if entry is None:
                    unknown.append(item["msgid"])
                    continue
                msgstr = item["msgstr"]
                expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
                forms = msgstr if isinstance(msgstr, list) else [msgstr]
                if not all(forms):
                    continue  # left for later
                if (entry.msgid_plural is None) != isinstance(msgstr, str) or (
                    entry.msgid_plural is not None and len(forms) != nplurals
                ):
                    problems.append(f"{entry.msgid!r}: wrong number of forms")
                    continue
                wrong = [form for form in forms if placeholders(form) != expected]
                if wrong:
                    problems.append(f"{entry.msgid!r}: placeholders differ in {wrong[0]!r}")
                    continue
                if entry.msgid_plural is None:
                    entry.msgstr = msgstr
                else:
                    entry.msgstr_plural = dict(enumerate(forms))
                entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
                filled += 1
        set_header(entries[0], language=options["locale"], comment=HEADER_COMMENT)
        write(path, entries)
        left = sum(1 for entry in entries[1:] if not entry.translated)
        self.stdout.write(f"{filled} entries filled in {path}; {left} still untranslated.")
        for msgid in unknown:
            self.stderr.write(f"not in the catalogue (changed or removed in the code?): {msgid!r}")
        if problems:
            raise CommandError("Refused:\n" + "\n".join(problems))
