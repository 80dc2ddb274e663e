"""`manage.py backup --output /var/backups/jmu`: the database and the media folder as one pair."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jmu_planner import backup


class Command(BaseCommand):
    help = "Back up the database and MEDIA_ROOT into a new folder with a manifest of checksums."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="folder to write the backup under")

    def handle(self, *args, output: Path, **options):
        try:
            folder = backup.backup(output=output)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
