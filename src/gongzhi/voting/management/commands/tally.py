"""gongzhi tally, as a Django command too (``gongzhi help`` lists it).

Run from the console script, ``gongzhi tally`` starts without Django at all; see
``voting/cli_tally.py``, which both call.
"""

from django.core.management.base import BaseCommand

from gongzhi.voting import cli_tally


class Command(BaseCommand):
    help = cli_tally.build_parser().description or ""
    requires_system_checks: list[str] = []

    def run_from_argv(self, argv):
        raise SystemExit(cli_tally.main(argv[2:]))

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="*")

    def handle(self, *args, **options):
        status = cli_tally.main(list(args), out=self.stdout.write, err=self.stderr.write)
        if status:
            raise SystemExit(status)
