"""`gongzhi restore`: put a backup archive back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongzhi.core.backup import restore
from gongzhi.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Replace the database and the stored files with those of a backup archive made by "
        "gongzhi backup. Stop the web server and the worker first. The archive's checksums "
        "are verified, and an archive from another database engine or a newer version is "
        "refused. Asks for confirmation unless --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive, yes=False, **options):
        if not yes:
            answer = input(
                f"Replace ALL data of this installation with {archive.name}? Type 'yes': "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was restored.")
        try:
            manifest = restore(path=archive)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Restored {archive.name} (made {manifest['created_at']}, "
            f"{len(manifest['files'])} files). Run `gongzhi migrate` if the code is newer."
        )
