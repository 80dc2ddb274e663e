"""Backup and restore: the database and the media folder as one consistent pair, with a manifest.

A backup is a folder holding
- `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite's online
  backup API): the whole database at one moment;
- `media.tar`: every file under MEDIA_ROOT (PDF documents, scanned decisions);
- `manifest.json`: when, which database engine, the SHA-256 of both files, the SHA-256 of every
  media file and the row count of every table, counted in the very snapshot that was dumped.

Consistency: the database is dumped first, from an exported snapshot, and the media archived after.
Files are only ever added (documents of record are never replaced), so every file a dumped row
names is already on disk when the archive is made; a file added meanwhile is merely extra.

`restore` checks the checksums before touching anything, refuses a database that has tables or a
media folder that has files, restores both and compares the row counts with the manifest.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
MEDIA_TAR = "media.tar"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    pass


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_checksums(root: Path) -> dict[str, str]:
    """Every file under the media folder, by its path relative to it."""
    if not root.exists():
        return {}
    return {str(path.relative_to(root)): sha256(path) for path in sorted(root.rglob("*")) if path.is_file()}


def _tables(cursor) -> list[str]:
    return sorted(connection.introspection.table_names(cursor, include_views=False))


def _counts(cursor, tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from introspection
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore (the password through the environment)."""
    db = connection.settings_dict
    args = [
        "--host",
        db["HOST"] or "127.0.0.1",
        "--port",
        str(db["PORT"] or 5432),
        "--username",
        db["USER"] or "postgres",
        "--dbname",
        db["NAME"],
    ]
    env = os.environ | ({"PGPASSWORD": db["PASSWORD"]} if db["PASSWORD"] else {})
    return args, env


def _dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump of the snapshot the row counts are taken in (one moment for both)."""
    args, env = _pg_env()
    connection.ensure_connection()
    raw = connection.connection
    previous_autocommit = raw.autocommit
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _counts(cursor, _tables(cursor))
            command = [
                "pg_dump",
                *args,
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ]
            subprocess.run(  # noqa: S603 - the PostgreSQL client on PATH, arguments from settings
                command,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
        raw.rollback()
    except subprocess.CalledProcessError as error:
        raw.rollback()
        raise BackupError(f"pg_dump failed: {error.stderr.strip()}") from error
    finally:
        raw.autocommit = previous_autocommit
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)  # SQLite's online backup: one consistent copy
    finally:
        destination.close()
    copy = sqlite3.connect(target)
    try:
        names = [r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: copy.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in sorted(names)}  # noqa: S608
    finally:
        copy.close()


def backup(*, output: Path) -> Path:
    """Write a backup folder under `output`; returns it."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = output / f"jmu-backup-{stamp}"
    folder.mkdir(parents=True)
    vendor = connection.vendor
    if vendor == "postgresql":
        database, counts = folder / PG_DUMP, _dump_postgresql(folder / PG_DUMP)
    elif vendor == "sqlite":
        database, counts = folder / SQLITE_COPY, _dump_sqlite(folder / SQLITE_COPY)
    else:
        raise BackupError(f"No backup for the {vendor} database engine.")
    media_root = Path(settings.MEDIA_ROOT)
    media = media_checksums(media_root)  # after the database: every file it names is there
    with tarfile.open(folder / MEDIA_TAR, "w") as archive:
        for name in media:
            archive.add(media_root / name, arcname=name, recursive=False)
    manifest = {
        "created_at": stamp,
        "vendor": vendor,
        "files": {database.name: sha256(database), MEDIA_TAR: sha256(folder / MEDIA_TAR)},
        "media": media,
        "row_counts": counts,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return folder


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest, once every file it names has the checksum it records."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} has no readable {MANIFEST}: {error}") from error
    for name, expected in manifest["files"].items():
        if not (folder / name).exists() or sha256(folder / name) != expected:
            raise BackupError(f"{name} is missing or does not match its checksum: not restoring.")
    return manifest


def restore(*, folder: Path) -> dict[str, Any]:
    """Restore a backup into an empty database and an empty media folder; returns the manifest."""
    manifest = read_manifest(folder)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(f"The backup is of a {manifest['vendor']} database, this one is {vendor}.")
    with connection.cursor() as cursor:
        if _tables(cursor):
            raise BackupError("The database is not empty: restore only into a new, empty database.")
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"The media folder {media_root} is not empty.")

    if vendor == "postgresql":
        args, env = _pg_env()
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [  # noqa: S607 - pg_restore from the PATH, as pg_dump
                "pg_restore",
                *args,
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                str(folder / PG_DUMP),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        source = sqlite3.connect(folder / SQLITE_COPY)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()

    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA_TAR) as archive:
        archive.extractall(media_root, filter="data")  # no absolute paths, no links out
    restored = media_checksums(media_root)
    if restored != manifest["media"]:
        raise BackupError("The restored media files do not match the manifest's checksums.")
    connection.close()  # the restored schema, seen afresh
    with connection.cursor() as cursor:
        counts = _counts(cursor, _tables(cursor))
    if counts != manifest["row_counts"]:
        different = sorted(t for t in manifest["row_counts"] if counts.get(t) != manifest["row_counts"][t])
        raise BackupError(f"Row counts differ from the manifest in: {', '.join(different)}")
    return manifest
