"""`gongzhi backup`: the database and the stored files in one archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongzhi.core.backup import backup
from gongzhi.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Write gongzhi-backup-<time>.tar.gz: the database (SQLite online backup, or pg_dump "
        "for PostgreSQL) and every stored file, with a manifest of checksums. Safe while "
        "the server runs. Default folder: $GONGZHI_DATA_DIR/backups."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="folder for the archive")

    def handle(self, *args, output=None, **options):
        directory = output or Path(settings.DATA_DIR) / "backups"
        try:
            report = backup(directory=directory)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Backup written: {report.path} ({report.files} files, {report.size / 1e6:.1f} MB)"
        )
