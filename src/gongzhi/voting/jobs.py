"""Long work of owners' decisions, done by the background worker: printing a
compound's ballots (fresh one-time codes), and the export bundle."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from gongzhi.accounts.models import User
from gongzhi.core.jobs import background, job_advance, job_note, job_result, job_total

from . import services
from .ballot_pdf import ballots_pdf
from .bundle import export_bundle
from .models import Decision


def vote_url() -> str:
    """The address printed in each ballot's QR code, ``{code}`` where the code goes."""
    return settings.BASE_URL + reverse("voting:code", args=["CODE"]).replace("CODE", "{code}")


@background("voting.print_ballots")
def print_ballots(job, *, decision_id: int, compound_id: int, actor_id: int) -> None:
    """Issue fresh one-time codes for the compound's units and print one ballot each."""
    decision = Decision.objects.get(pk=decision_id)
    actor = User.objects.get(pk=actor_id)
    entries = list(
        decision.register.filter(compound_id=compound_id, excluded=False)
        .select_related("compound")
        .order_by("building_name", "unit_number")
    )
    job_total(job, len(entries))
    codes = (
        services.codes_issue(decision=decision, entries=entries, actor=actor)
        if decision.online_voting
        else {}
    )
    pdf = ballots_pdf(decision=decision, entries=entries, codes=codes, vote_url=vote_url())
    job_advance(job, len(entries))
    job_note(job, _("%(count)d ballots printed.") % {"count": len(entries)})
    job_result(job, pdf, f"ballots-{decision.pk}-{compound_id}.pdf", "application/pdf")


@background("voting.bundle")
def bundle(job, *, decision_id: int, named: list[int]) -> None:
    """The export bundle, with names only for the compounds the starter may see named
    (decided when the job was started, by the same rule as every export)."""
    decision = Decision.objects.get(pk=decision_id)
    job_total(job, 1)
    data = export_bundle(decision, named=set(named))
    job_advance(job)
    job_result(job, data, f"decision-{decision.pk}-bundle.zip", "application/zip")
