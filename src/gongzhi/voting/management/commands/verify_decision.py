"""gongzhi verify_decision ID: recompute the hash chain and the tally from the ledger."""

from django.core.management.base import BaseCommand, CommandError

from gongzhi.voting.models import Decision
from gongzhi.voting.verification import verify_decision


class Command(BaseCommand):
    help = (
        "Recompute a decision's ledger hash chain, replay its ballot events against the "
        "ballots in the database, and recount its published results. Exit 1 and list "
        "every difference if anything does not hold."
    )

    def add_arguments(self, parser):
        parser.add_argument("decision", type=int, help="the decision's number")

    def handle(self, *args, decision, **options):
        found = Decision.objects.filter(pk=decision).first()
        if found is None:
            raise CommandError(f"no decision {decision}")
        report = verify_decision(found)
        for problem in report.problems:
            self.stderr.write(f"  {problem}")
        if not report.ok:
            raise CommandError(f"decision {decision}: {len(report.problems)} problem(s) found")
        self.stdout.write(
            f"decision {decision} “{found.title}”: "
            f"ledger of {report.entries} entries intact; "
            f"{report.ballots} effective ballots match the ledger; "
            "published results match a recount"
        )
