"""A small reader and writer for gettext .po catalogues (polib is not a dependency).

Only what the project's catalogues use: comments, flags, msgctxt, msgid, msgid_plural, msgstr and
msgstr[n]. Obsolete (#~) entries are dropped: makemessages runs with --no-obsolete.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}


@dataclass
class Entry:
    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)  # "#:", "#.", "#|" and "# " lines, raw
    flags: list[str] = field(default_factory=list)  # from "#," lines: fuzzy, python-format...

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]

    @property
    def translated(self) -> bool:
        return not self.fuzzy and all(self.translations)


def _unquote(literal: str) -> str:
    body = literal.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def parse(text: str) -> list[Entry]:
    """The entries of a catalogue, the header (msgid "") first."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        comments: list[str] = []
        flags: list[str] = []
        fields: dict[str, str] = {}
        plural: dict[int, str] = {}
        current: tuple[str, int | None] | None = None
        for line in block.splitlines():
            line = line.rstrip()
            if line.startswith("#,"):
                flags += [flag.strip() for flag in line[2:].split(",") if flag.strip()]
            elif line.startswith("#"):
                comments.append(line)
            elif match := _KEYWORD.match(line):
                name, index, literal = match.groups()
                if index is not None:
                    current = ("msgstr", int(index))
                    plural[int(index)] = _unquote(literal)
                else:
                    current = (name, None)
                    fields[name] = _unquote(literal)
            elif line.startswith('"') and current is not None:
                name, index = current
                if index is not None:
                    plural[index] += _unquote(line)
                else:
                    fields[name] += _unquote(line)
            elif line:
                raise ValueError(f"Unreadable .po line: {line!r}")
        if "msgid" not in fields:
            continue  # an obsolete (#~) entry: only comment lines
        entries.append(
            Entry(
                msgid=fields["msgid"],
                msgstr=fields.get("msgstr", ""),
                msgctxt=fields.get("msgctxt"),
                msgid_plural=fields.get("msgid_plural"),
                msgstr_plural=plural,
                comments=comments,
                flags=flags,
            )
        )
    return entries


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return '"' + escaped.replace("\r", "\\r").replace("\n", "\\n") + '"'


def _field(name: str, value: str) -> list[str]:
    # Multi-line values are written one source line per quoted line, as gettext does.
    if "\n" not in value.rstrip("\n"):
        return [f"{name} {_quote(value)}"]
    pieces = value.splitlines(keepends=True)
    return [f'{name} ""', *(_quote(piece) for piece in pieces)]


def dump(entries: list[Entry]) -> str:
    blocks = []
    for entry in entries:
        lines = list(entry.comments)
        if entry.flags:
            lines.append("#, " + ", ".join(entry.flags))
        if entry.msgctxt is not None:
            lines += _field("msgctxt", entry.msgctxt)
        lines += _field("msgid", entry.msgid)
        if entry.msgid_plural is not None:
            lines += _field("msgid_plural", entry.msgid_plural)
            for index in sorted(entry.msgstr_plural):
                lines += _field(f"msgstr[{index}]", entry.msgstr_plural[index])
        else:
            lines += _field("msgstr", entry.msgstr)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def read(path: Path) -> list[Entry]:
    return parse(path.read_text(encoding="utf-8"))


def write(path: Path, entries: list[Entry]) -> None:
    """Write the catalogue, then let msgcat wrap it as makemessages does, so diffs stay small."""
    path.write_text(dump(entries), encoding="utf-8")
    msgcat = shutil.which("msgcat")
    if msgcat:
        # Fixed arguments on the project's own catalogue: nothing untrusted reaches the command.
        subprocess.run([msgcat, "--use-first", "-o", str(path), str(path)], check=True)  # noqa: S603


PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
HEADER = {
    "Project-Id-Version": "JMU Planner",
    "Language-Team": "Serbian",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": PLURAL_FORMS,
}


def set_header(header: Entry, *, language: str, comment: str) -> None:
    """The project's header fields on a catalogue's header entry (msgid ""), no longer fuzzy."""
    fields = {}
    for line in header.msgstr.splitlines():
        name, _, value = line.partition(":")
        if name.strip():
            fields[name.strip()] = value.strip()
    # Revised whenever the code's strings were last collected; msgfmt -c wants both fields.
    fields["PO-Revision-Date"] = fields.get("POT-Creation-Date", "")
    fields["Last-Translator"] = "JMU Planner"
    fields.update(HEADER, Language=language)
    header.msgstr = "".join(f"{name}: {value}\n" for name, value in fields.items())
    header.comments = [f"# {line}" if line else "#" for line in comment.splitlines()]
    header.flags = [flag for flag in header.flags if flag != "fuzzy"]


# Placeholders that must survive translation unchanged: %(name)s, %s, %d, %%, {name}, {0}.
PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[-#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]"
    r"|\{\w*(?:\.\w+)*(?:![rsa])?(?::[^{}]*)?\}"
)


def placeholders(text: str) -> set[str]:
    """The placeholders of a string (a translation may reorder them)."""
    return set(PLACEHOLDER.findall(text))
