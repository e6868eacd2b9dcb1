"""A company's bid and a panel member's blind scoring."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.accounts.scopes import scopes_for
from gongzhi.core.errors import ApplicationError
from gongzhi.core.permissions import require
from gongzhi.core.views import attempt
from gongzhi.registry.models import PropertyCompany

from .. import selectors, services
from ..forms import (
    BidForm,
    fees_from,
    service_items,
)
from .plans import plan_or_404, require_plan_visible


@login_required
@require_http_methods(["GET", "POST"])
def bid(request, pk: int):
    """A company's own bid, only before bids close."""
    plan = plan_or_404(pk)
    require_plan_visible(request, plan)
    require(request, "selection.bid", plan, reason=_("Property companies bid, each for itself."))
    company = (
        PropertyCompany.objects.filter(pk__in=scopes_for(request.user).companies)
        .order_by("pk")
        .first()
    )
    if company is None:
        raise PermissionDenied(_("Property companies bid, each for itself."))
    existing = plan.bids.filter(company=company).first()
    initial = {}
    if existing:
        initial = {
            "fee_residential": existing.fees.get("residential"),
            "fee_commercial": existing.fees.get("commercial"),
            "fee_parking": existing.fees.get("parking"),
            "staff": existing.staff,
            "staffing_note": existing.staffing_note,
            "service_items": "\n".join(
                f"{i['item']}: {i.get('level', '')}" for i in existing.service_items
            ),
            "public_revenue_share": existing.public_revenue_share,
            "term_months": existing.term_months,
        }
    form = BidForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = (
                services.document_store(plan=plan, upload=data["document"], actor=request.user)
                if data["document"]
                else None
            )
            services.bid_submit(
                plan=plan,
                company=company,
                fees=fees_from(data),
                staff=data["staff"],
                staffing_note=data["staffing_note"],
                service_items=service_items(data["service_items"]),
                public_revenue_share=data["public_revenue_share"],
                term_months=data["term_months"],
                document=document,
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your bid is saved; you may change it until bids close."))
            return redirect("selection:bid", pk=pk)
    return render(
        request,
        "selection/bid.html",
        {"plan": plan, "form": form, "bid": existing, "company": company},
    )


@login_required
@require_http_methods(["GET", "POST"])
def score(request, pk: int):
    """A panel member's own page: declare, then score every bid, blind."""
    plan = plan_or_404(pk)
    member = selectors.member_of(plan, request.user)
    if member is None:
        raise PermissionDenied(_("Only the members of this plan's panel score it."))
    criteria = [c for c in selectors.criteria_of(plan) if not c.price]
    bids = (
        list(plan.bids.select_related("company", "document"))
        if plan.panel.status != "forming"
        else []
    )
    if request.method == "POST":
        values = {
            b.pk: {c.key: request.POST.get(f"score-{b.pk}-{c.key}", "") for c in criteria}
            for b in bids
        }
        attempt(
            request,
            lambda: services.score_submit(member=member, values=values, user=request.user),
            _("Your scores are submitted."),
        )
        return redirect("selection:score", pk=pk)
    own = {(s.bid_id, s.criterion): s.value for s in member.scores.all()}
    visible = selectors.scores_visible_to(plan, request.user)
    matrix = []  # per bid: each member's row of scores, once all may be seen
    if visible.exclude(member=member).exists():
        table: dict[tuple[int, int], dict[str, object]] = {}
        for score in visible:
            table.setdefault((score.bid_id, score.member_id), {})[score.criterion] = score.value
        members = list(plan.panel.members.order_by("pk"))
        matrix = [
            (
                b,
                [
                    (m.name, [table.get((b.pk, m.pk), {}).get(c.key, "") for c in criteria])
                    for m in members
                ],
            )
            for b in bids
        ]
    return render(
        request,
        "selection/score.html",
        {
            "plan": plan,
            "member": member,
            "criteria": criteria,
            "rows": [(b, [(c, own.get((b.pk, c.key))) for c in criteria]) for b in bids],
            "matrix": matrix,
        },
    )


@login_required
@require_POST
def score_declare(request, pk: int):
    """A panel member declares that they have no conflict of interest."""
    plan = plan_or_404(pk)
    member = selectors.member_of(plan, request.user)
    if member is None:
        raise PermissionDenied(_("Only the members of this plan's panel score it."))
    services.panel_declare(member=member, user=request.user)
    messages.success(request, _("Your declaration is recorded."))
    return redirect("selection:score", pk=pk)
