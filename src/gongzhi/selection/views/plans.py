"""A selection plan and one view per step of it: publishing, the panel, the
ranking, the presentation and the contract; the public ranking, contract and report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.core.errors import ApplicationError
from gongzhi.core.permissions import require
from gongzhi.core.views import XLSX, attempt, download
from gongzhi.registry.models import PropertyCompany
from gongzhi.voting.models import Decision

from .. import selectors, services
from ..forms import (
    ContractForm,
    MemberForm,
    PlanForm,
    PresentationForm,
    RankingForm,
    fees_from,
    service_items,
)
from ..models import (
    PlanStatus,
    SelectionPlan,
    ServiceContract,
)
from ..report import report_pdf, report_xlsx
from ..scoring import FORMULA

# --- hiring -------------------------------------------------------------------


def plan_or_404(pk: int) -> SelectionPlan:
    """The plan with its residents' area and decision, or 404."""
    return get_object_or_404(
        SelectionPlan.objects.select_related("neighbourhood", "decision"), pk=pk
    )


def require_plan_visible(request, plan: SelectionPlan) -> None:
    """Refused unless the plan is published or the user organises it."""
    require(
        request,
        "selection.view_plan",
        plan,
        reason=_("This selection plan has not been published."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request):
    require(
        request,
        "selection.manage_plan",
        reason=_("The residents' committee and the sub-district organise the selection."),
    )
    compounds = selectors.compounds_requestable_by(request.user).order_by("name")
    decisions = Decision.objects.filter(
        compounds__in=compounds, status="final", results__stage="final", results__passed=True
    ).distinct()
    form = PlanForm(request.POST or None, compounds=compounds, decisions=decisions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data.pop("compounds"))
        try:
            plan = services.plan_create(
                neighbourhood=chosen[0].neighbourhood, compounds=chosen, actor=request.user, **data
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("selection:plan", pk=plan.pk)
    return render(request, "selection/plan_new.html", {"form": form})


def plan(request, pk: int):
    plan = plan_or_404(pk)
    require_plan_visible(request, plan)
    user = request.user
    manage = user.is_authenticated and user.has_perm("selection.manage_plan", plan)
    panel = getattr(plan, "panel", None)
    context = {
        "plan": plan,
        "criteria": selectors.criteria_of(plan),
        "manage": manage,
        "formula": _(FORMULA),
        "panel": panel,
        "members": panel.members.all() if panel else [],
        "bids": selectors.bids_visible_to(plan, user) if user.is_authenticated else [],
        "member": selectors.member_of(plan, user) if user.is_authenticated else None,
        "can_bid": user.is_authenticated
        and user.has_perm("selection.bid", plan)
        and plan.status == PlanStatus.PUBLISHED,
        "ranking": getattr(plan, "ranking", None),
        "presentations": plan.presentations.all(),
        "contracts": plan.contracts.select_related("company", "management_area").prefetch_related(
            "compounds"
        ),
        "member_form": MemberForm(),
        "ranking_form": RankingForm(),
        "presentation_form": PresentationForm(),
        "contract_form": ContractForm(
            companies=PropertyCompany.objects.filter(
                name__in=[
                    c["company"] for c in getattr(getattr(plan, "ranking", None), "candidates", [])
                ]
            ),
            compounds=plan.compounds.all(),
        ),
    }
    return render(request, "selection/plan.html", context)


def _managed(request, pk: int) -> SelectionPlan:
    plan = plan_or_404(pk)
    require(request, "selection.manage_plan", plan, reason=_("You do not organise this selection."))
    return plan


@login_required
@require_POST
def plan_publish(request, pk: int):
    plan = _managed(request, pk)
    attempt(
        request,
        lambda: services.plan_publish(plan=plan, actor=request.user),
        _("Published: bids are invited."),
    )
    return redirect("selection:plan", pk=pk)


@login_required
@require_POST
def panel_member_add(request, pk: int):
    plan = _managed(request, pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        member_user = get_user_model().objects.filter(username=data["username"]).first()
        if member_user is None:
            messages.error(request, _("No user is named “%(name)s”.") % {"name": data["username"]})
        else:
            attempt(
                request,
                lambda: services.panel_add_member(
                    plan=plan,
                    user=member_user,
                    name=data["name"],
                    affiliation=data["affiliation"],
                    is_expert=data["is_expert"],
                    actor=request.user,
                ),
                _("Member added."),
            )
    return redirect("selection:plan", pk=pk)


@login_required
@require_POST
def panel_open(request, pk: int):
    plan = _managed(request, pk)
    attempt(
        request, lambda: services.panel_open(plan=plan, actor=request.user), _("Scoring is open.")
    )
    return redirect("selection:plan", pk=pk)


@login_required
@require_POST
def panel_close(request, pk: int):
    plan = _managed(request, pk)
    attempt(
        request,
        lambda: services.panel_close(plan=plan, actor=request.user),
        _("Scoring is closed; the ranking is computed."),
    )
    return redirect("selection:plan", pk=pk)


@login_required
@require_POST
def ranking_publish(request, pk: int):
    plan = _managed(request, pk)
    form = RankingForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.ranking_publish(plan=plan, actor=request.user, **form.cleaned_data),
            _("The ranking is published."),
        )
    return redirect("selection:plan", pk=pk)


@login_required
@require_POST
def presentation_record(request, pk: int):
    plan = _managed(request, pk)
    form = PresentationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        questions = [
            {"question": q.strip(), "answer": a.strip()}
            for q, _sep, a in (line.partition("|") for line in data["questions"].splitlines())
        ]
        attempt(
            request,
            lambda: services.presentation_record(
                plan=plan,
                held_at=data["held_at"],
                place=data["place"],
                attendance=data["attendance"],
                questions=questions,
                actor=request.user,
            ),
            _("The presentation is recorded."),
        )
    return redirect("selection:plan", pk=pk)


@login_required
@require_POST
def contract_record(request, pk: int):
    plan = _managed(request, pk)
    contract_form = ContractForm(
        request.POST, companies=PropertyCompany.objects.all(), compounds=plan.compounds.all()
    )
    if contract_form.is_valid():
        data = contract_form.cleaned_data
        attempt(
            request,
            lambda: services.contract_record(
                plan=plan,
                company=data["company"],
                compounds=list(data["compounds"]),
                fees=fees_from(data),
                service_items=service_items(data["service_items"]),
                public_revenue_share=data["public_revenue_share"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                signed_on=data["signed_on"],
                actor=request.user,
            ),
            _("The contract is recorded and its public part disclosed."),
        )
    else:
        messages.error(
            request,
            _("Give the company, the compounds, the fees, the term and the signing date."),
        )
    return redirect("selection:plan", pk=pk)


def ranking(request, pk: int):
    plan = plan_or_404(pk)
    ranking = getattr(plan, "ranking", None)
    if ranking is None:
        raise Http404
    return render(
        request,
        "selection/ranking.html",
        {"plan": plan, "ranking": ranking, "formula": _(FORMULA), "now": timezone.now()},
    )


def contract(request, pk: int):
    """The public part of a service contract (Civil Code Art. 943; Shanghai Art. 48)."""
    contract = get_object_or_404(ServiceContract.objects.select_related("company"), pk=pk)
    return render(request, "selection/contract.html", {"contract": contract})


@login_required
def report(request, pk: int, kind: str):
    plan = plan_or_404(pk)
    require(
        request,
        "selection.manage_plan",
        plan,
        reason=_("The evaluation report is for the organisers."),
    )
    panel = getattr(plan, "panel", None)
    if panel is None or panel.status != "closed" or kind not in ("pdf", "xlsx"):
        raise Http404
    if kind == "pdf":
        return download(report_pdf(plan), f"evaluation-{plan.pk}.pdf", "application/pdf")
    return download(report_xlsx(plan), f"evaluation-{plan.pk}.xlsx", XLSX)
