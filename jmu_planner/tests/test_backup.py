"""Backup and restore: a dump restored into an empty database brings back every row, and the media
archive every file byte for byte; a damaged backup or a non-empty target is refused."""

import hashlib
import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from jmu_planner import backup
from plans.tests.factories import BudgetLineFactory, IndicatorFactory, MeasureFactory, PlanFactory
from reporting.models import Document
from stakeholders.tests.factories import JMUFactory, LSGFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="pg_dump and pg_restore")


def _url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _counts(dsn: str) -> dict[str, int]:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def empty_database():
    name = f"jmu_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _restore(folder: Path, database: str, media: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {
        "DATABASE_URL": _url(database),
        "MEDIA_ROOT": str(media),
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": "restore-in-tests-" + "k" * 40,
        "REDIS_URL": "",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_brings_back_every_row_and_file(
    reference_data, settings, tmp_path, empty_database
):
    plan = PlanFactory(jmu=JMUFactory(lsg=LSGFactory()))
    for _ in range(3):
        measure = MeasureFactory(plan=plan)
        IndicatorFactory(measure=measure)
        BudgetLineFactory(measure=measure)
    document = Document.objects.create(plan=plan, status="done")
    document.file.save("plan.pdf", ContentFile(b"%PDF-1.4 " + os.urandom(4096)))
    plan.adoption_file.save("decision.pdf", ContentFile(b"%PDF-1.4 decision " + os.urandom(1024)))
    source_counts = _counts(_url(connection.settings_dict["NAME"]))
    source_files = _files(Path(settings.MEDIA_ROOT))
    assert len(source_files) == 2 and source_counts["plans_measure"] == 3

    call_command("backup", output=tmp_path / "backups", stdout=io.StringIO())
    (folder,) = (tmp_path / "backups").iterdir()
    manifest = backup.read_manifest(folder)
    assert manifest["row_counts"] == source_counts and manifest["media"] == source_files

    restored_media = tmp_path / "restored-media"
    result = _restore(folder, empty_database, restored_media)
    assert result.returncode == 0, result.stderr
    assert _counts(_url(empty_database)) == source_counts
    assert _files(restored_media) == source_files

    # Again into the now full database: refused, nothing touched.
    again = _restore(folder, empty_database, tmp_path / "other-media")
    assert again.returncode != 0 and "not empty" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_restored(
    reference_data, settings, tmp_path, empty_database
):
    folder = backup.backup(output=tmp_path)
    with (folder / backup.MEDIA_TAR).open("ab") as archive:
        archive.write(b"bit rot")
    result = _restore(folder, empty_database, tmp_path / "restored-media")
    assert result.returncode != 0 and "checksum" in result.stderr
    assert _counts(_url(empty_database)) == {}
