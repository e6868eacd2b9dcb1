"""What the decision pages share: finding the decision, the permissions they ask,
and the paper trail's helpers."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from gongzhi.core.permissions import require

from .. import services as paper
from ..models import (
    Decision,
    Evidence,
)

MANAGE = "voting.manage_decision"


ENTER = "voting.enter_ballots"


def decision_or_404(pk: int) -> Decision:
    """The decision with its sub-district, or 404."""
    return get_object_or_404(Decision.objects.select_related("neighbourhood__sub_district"), pk=pk)


def require_visible(decision: Decision, request) -> None:
    """Drafts and cancelled decisions are seen only by their organisers."""
    require(
        request, "voting.view_decision", decision, reason=_("This decision has not been announced.")
    )


def organised_decision(request, pk: int) -> Decision:
    """The decision, refused unless the user organises it."""
    decision = decision_or_404(pk)
    require(request, MANAGE, decision, reason=_("You do not organise this decision."))
    return decision


RUN = "voting.run_paper_trail"


def require_run(request, decision: Decision) -> None:
    """Refused unless the user keeps the decision's paper trail."""
    require(request, RUN, decision, reason=_("Only the organisers keep the paper trail."))


def evidence_upload(request, decision: Decision, field: str, kind: str) -> Evidence | None:
    """The file uploaded in ``field`` stored as evidence of ``kind``, or None."""
    upload = request.FILES.get(field)
    if not upload:
        return None
    return paper.evidence_store(decision=decision, kind=kind, upload=upload, actor=request.user)


def back_to(request, name: str, *args):
    """Redirect to the page named ``name``."""
    return redirect(reverse(name, args=args))
