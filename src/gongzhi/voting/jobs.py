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


def compound_ballots(decision: Decision, compound_id: int, actor) -> tuple[bytes, int]:
    """Fresh one-time codes for the compound's units (when the decision votes online)
    and one ballot page each, by building and room; the PDF and its page count. The
    page's job and ``gongzhi print_ballots`` both print this way."""
    entries = list(
        decision.register.filter(compound_id=compound_id, excluded=False)
        .select_related("compound")
        .order_by("building_name", "unit_number")
    )
    codes = (
        services.codes_issue(decision=decision, entries=entries, actor=actor)
        if decision.online_voting
        else {}
    )
    return ballots_pdf(decision=decision, entries=entries, codes=codes, vote_url=vote_url()), len(
        entries
    )


@background("voting.print_ballots")
def print_ballots(job, *, decision_id: int, compound_id: int, actor_id: int) -> None:
    """Issue fresh one-time codes for the compound's units and print one ballot each."""
    decision = Decision.objects.get(pk=decision_id)
    actor = User.objects.get(pk=actor_id)
    job_total(job, 1)
    pdf, count = compound_ballots(decision, compound_id, actor)
    job_advance(job)
    job_note(job, _("%(count)d ballots printed.") % {"count": count})
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
