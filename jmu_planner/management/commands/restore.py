"""`manage.py restore /var/backups/jmu/jmu-backup-...`: into an empty database and media folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jmu_planner import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty database (no tables: a new database, "
        "not migrated) and an empty MEDIA_ROOT; checksums and row counts are verified."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="the backup folder (holds manifest.json)")

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = backup.restore(folder=folder)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"Restored {rows} rows in {len(manifest['row_counts'])} tables and "
            f"{len(manifest['media'])} media files from {folder}."
        )
