"""gongzhi import_roll FILE: import an owners' roll (CSV or XLSX), all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from gongzhi.core.errors import ApplicationError
from gongzhi.core.progress import Progress
from gongzhi.registry.models import Neighbourhood
from gongzhi.registry.services import RollImportError, roll_import, roll_read


class Command(BaseCommand):
    help = (
        "Import an owners' roll into a residents' area. Columns: compound, unit, area, owners "
        "(required); building, status, area_source, use, owner_names, phones, id_numbers, "
        "owner_kinds (optional). CSV in UTF-8 or GBK, or XLSX. One bad row and nothing is "
        "written; every bad row is listed with its row number and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the roll, .csv or .xlsx")
        parser.add_argument(
            "--neighbourhood",
            help="name of the residents' area (needed when there is more than one)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but save nothing"
        )
        parser.add_argument(
            "--progress", action="store_true", help="draw the progress bar even when piped"
        )

    def handle(self, *args, file, neighbourhood=None, dry_run=False, progress=False, **options):
        target = self._neighbourhood(neighbourhood)
        bar = Progress(label="reading", total=None, stream=self.stderr._out, force=progress)

        def with_progress(rows, total):
            bar.total = total
            for item in rows:
                bar.advance()
                yield item
            bar.finish()

        try:
            roll = roll_read(file, rows_wrapper=with_progress)
            if bar.enabled:
                self.stderr.write("writing …")
            report = roll_import(
                rows=roll.rows,
                neighbourhood=target,
                actor=None,
                file_name=roll.name,
                file_sha256=roll.sha256,
                labels=roll.labels,
                dry_run=dry_run,
            )
        except RollImportError as exc:
            for line in exc.lines():
                self.stderr.write(f"  {line}")
            raise CommandError(exc.message) from None
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        if report.compounds_created:
            self.stdout.write("new compounds: " + ", ".join(report.compounds_created))
        self.stdout.write(f"{roll.name} ({report.rows} rows) → {target.name}: {report.summary()}")

    def _neighbourhood(self, name):
        if name:
            found = list(Neighbourhood.objects.filter(name=name))
            if not found:
                raise CommandError(f"no residents' area is named “{name}”")
            if len(found) > 1:
                raise CommandError(f"several residents' areas are named “{name}”")
            return found[0]
        found = list(Neighbourhood.objects.all()[:2])
        if len(found) == 1:
            return found[0]
        if not found:
            raise CommandError("no residents' area exists yet; run seed_demo or create one")
        raise CommandError("there are several residents' areas: name one with --neighbourhood")
