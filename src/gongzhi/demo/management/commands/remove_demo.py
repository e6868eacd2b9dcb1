"""`gongzhi remove_demo`: delete the demo, leave real data untouched."""

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from gongzhi.demo.removal import remove_demo


class Command(BaseCommand):
    help = (
        "Delete everything marked as demo (the demo sub-district and all that hangs from it, "
        "the persona accounts, the demo companies and pool) and the audit events about it. "
        "Real sub-districts are untouched; a demo account or company that real data uses is "
        "kept and named. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would go, delete nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        try:
            report = remove_demo(dry_run=dry_run)
        except IntegrityError as exc:
            raise CommandError(
                f"Nothing was removed: real data still refers to demo data ({exc})."
            ) from exc
        if not report.removed:
            self.stdout.write("No demo data: nothing to remove.")
            return
        for label, count in sorted(report.removed.items()):
            if options["verbosity"] > 1:
                self.stdout.write(f"  {label}: {count}")
        for name in report.kept:
            self.stdout.write(f"kept (real data uses it): {name}")
        verb = "would remove" if dry_run else "removed"
        self.stdout.write(f"Demo {verb}: {report.total} rows in {len(report.removed)} tables.")
