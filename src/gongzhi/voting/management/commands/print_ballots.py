"""`gongzhi print_ballots DECISION --compound NAME -o FILE`: a compound's ballots as one
PDF, one page per unit, with fresh one-time codes when the decision votes online
(earlier printed codes of those units stop working)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongzhi.core.errors import ApplicationError
from gongzhi.voting.jobs import compound_ballots
from gongzhi.voting.models import Decision


class Command(BaseCommand):
    help = (
        "Print a compound's paper ballots of a decision into a PDF, one page per unit, "
        "with fresh one-time codes when the decision votes online. Example: gongzhi "
        "print_ballots 12 --compound 水霞小区 -o ballots.pdf"
    )

    def add_arguments(self, parser):
        parser.add_argument("decision", type=int)
        parser.add_argument("--compound", required=True)
        parser.add_argument("-o", "--output", required=True, type=Path)

    def handle(self, *args, decision, compound, output, **options):
        found = Decision.objects.filter(pk=decision).first()
        if found is None:
            raise CommandError(_("No decision numbered %(id)d.") % {"id": decision})
        compounds = list(found.compounds.filter(name=compound))
        if not compounds:
            raise CommandError(
                _("The decision does not cover a compound named %(name)s.") % {"name": compound}
            )
        started = time.perf_counter()
        try:
            pdf, pages = compound_ballots(found, compounds[0].pk, None)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        seconds = time.perf_counter() - started
        output.write_bytes(pdf)
        self.stdout.write(
            _(
                "%(pages)d ballots of %(compound)s in %(file)s "
                "(%(seconds).1f s, %(rate).0f pages/s)."
            )
            % {
                "pages": pages,
                "compound": compound,
                "file": output,
                "seconds": seconds,
                "rate": pages / seconds if seconds else 0,
            }
        )
