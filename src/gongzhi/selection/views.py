"""Pages of provider selection. Thin: ask the permission, call a service or a
selector, render; refusals say why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongzhi.accounts.scopes import scopes_for
from gongzhi.core.errors import ApplicationError
from gongzhi.core.params import object_or_404
from gongzhi.core.permissions import require
from gongzhi.core.views import XLSX, attempt, download
from gongzhi.registry.models import Compound, Owner, PropertyCompany
from gongzhi.registry.selectors import compounds_organised_by
from gongzhi.voting.models import Decision

from . import selectors, services
from .forms import (
    BidForm,
    ContractForm,
    CustodyRequestForm,
    ExtendCustodyForm,
    MemberForm,
    PickForm,
    PlanForm,
    PoolStatusForm,
    PresentationForm,
    RankingForm,
    fees_from,
    service_items,
)
from .models import (
    Custody,
    CustodyRequest,
    HandoverItem,
    PlanStatus,
    PoolEntry,
    SelectionPlan,
    ServiceContract,
)
from .proximity import Point
from .report import report_pdf, report_xlsx
from .scoring import FORMULA
from .svgmap import candidates_map


def index(request):
    user = request.user
    plans = selectors.plans_visible_to(user)
    seats = []
    if user.is_authenticated:
        seats = list(SelectionPlan.objects.filter(panel__members__user=user))
    return render(
        request,
        "selection/index.html",
        {
            "plans": plans.order_by("-bids_close_at"),
            "requests": selectors.requests_visible_to(user)[:50] if user.is_authenticated else [],
            "can_request": user.is_authenticated and _request_compounds(user).exists(),
            "can_pool": user.is_authenticated and user.has_perm("selection.manage_pool"),
            "can_plan": user.is_authenticated and user.has_perm("selection.manage_plan"),
            "seats": seats,
            "contracts": ServiceContract.objects.select_related("company").prefetch_related(
                "compounds"
            )[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pool(request):
    require(request, "selection.manage_pool", reason=_("The pool is kept by the sub-district."))
    if request.method == "POST":
        entry = object_or_404(PoolEntry, request.POST.get("entry"))
        require(
            request,
            "selection.manage_pool",
            entry,
            reason=_("This pool is kept by another district."),
        )
        form = PoolStatusForm(request.POST)
        if form.is_valid():
            attempt(
                request,
                lambda: services.pool_entry_set_status(
                    entry=entry,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                ),
                _("Recorded."),
            )
        return redirect("selection:pool")
    entries = selectors.pool_entries_visible_to(request.user)
    return render(
        request,
        "selection/pool.html",
        {"entries": entries, "form": PoolStatusForm(), "today": timezone.localdate()},
    )


def _request_compounds(user):
    """Compounds the user may ask custody for: those they organise, or their committee's."""
    committee = Compound.objects.filter(pk__in=scopes_for(user).committee_compounds)
    return compounds_organised_by(user) | committee


@login_required
@require_http_methods(["GET", "POST"])
def custody_new(request):
    compounds = _request_compounds(request.user)
    if not compounds.exists():
        raise PermissionDenied(
            _("Only a compound's owners' committee or its residents' committee asks for custody.")
        )
    form = CustodyRequestForm(request.POST or None, compounds=compounds.order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        compound = data["compound"]
        require(
            request,
            "selection.request_custody",
            compound,
            reason=_("You do not act for this compound."),
        )
        identifiers = [line.strip() for line in data["supporters"].splitlines() if line.strip()]
        supporters = list(
            Owner.objects.filter(
                sub_district=compound.neighbourhood.sub_district, identifier__in=identifiers
            )
        )
        unknown = sorted(set(identifiers) - {o.identifier for o in supporters})
        try:
            if unknown:
                raise ApplicationError(_("Unknown owners: %(ids)s.") % {"ids": "、".join(unknown)})
            custody_request = services.custody_request_create(
                compound=compound,
                requested_by=data["requested_by"],
                reason=data["reason"],
                exiting_company=data["exiting_company"],
                exit_notice_date=data["exit_notice_date"],
                supporters=supporters,
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("selection:custody", pk=custody_request.pk)
    return render(request, "selection/custody_new.html", {"form": form})


@login_required
@require_GET
def custody(request, pk: int):
    custody_request = get_object_or_404(
        CustodyRequest.objects.select_related("compound__neighbourhood"), pk=pk
    )
    require(
        request,
        "selection.view_request",
        custody_request,
        reason=_("This request is not one you act for."),
    )
    can_assign = request.user.has_perm("selection.assign_custody", custody_request)
    on = timezone.localdate()
    ranked, excluded = selectors.custody_candidates(custody_request.compound, on=on)
    custodies = list(
        custody_request.custodies.select_related("company", "picked_by").order_by("starts_on")
    )
    compound = custody_request.compound
    svg = ""
    if custodies:  # what the sub-district saw when it picked, not today's pool
        return render(
            request,
            "selection/custody.html",
            {
                "req": custody_request,
                "picked": custodies[0],
                "snapshot": _snapshot(custodies[0].candidates),
                "can_assign": can_assign,
                "extend_form": ExtendCustodyForm(),
                "custodies": custodies,
                "handover": custody_request.handover.order_by("pk"),
            },
        )
    if compound.latitude is not None and compound.longitude is not None:
        target = Point(float(compound.latitude), float(compound.longitude))
        svg = candidates_map(compound.name, target, ranked, excluded)
    eligible = PropertyCompany.objects.filter(pk__in=[r.candidate.key for r in ranked])
    return render(
        request,
        "selection/custody.html",
        {
            "req": custody_request,
            "ranked": ranked,
            "excluded": [(e, e.reason(_)) for e in excluded],
            "map": mark_safe(svg),  # noqa: S308 - built by svgmap, every text escaped
            "can_assign": can_assign,
            "pick_form": PickForm(
                companies=eligible,
                initial={"starts_on": on, "company": ranked[0].candidate.key if ranked else None},
            ),
            "handover": custody_request.handover.order_by("pk"),
        },
    )


def _assigned(request, pk: int) -> CustodyRequest:
    """The custody request, for the sub-district that picks the custodian."""
    custody_request = get_object_or_404(CustodyRequest, pk=pk)
    require(
        request,
        "selection.assign_custody",
        custody_request,
        reason=_("The sub-district picks the custodian."),
    )
    return custody_request


@login_required
@require_POST
def custody_pick(request, pk: int):
    custody_request = _assigned(request, pk)
    form = PickForm(request.POST, companies=PropertyCompany.objects.all())
    if form.is_valid():
        data = form.cleaned_data
        attempt(
            request,
            lambda: services.custody_assign(
                request=custody_request,
                company=data["company"],
                starts_on=data["starts_on"],
                months=data["months"],
                reason=data["reason"],
                actor=request.user,
            ),
            _("The custodian is recorded."),
        )
    else:
        messages.error(request, _("Give the company, the start and the months."))
    return redirect("selection:custody", pk=pk)


@login_required
@require_POST
def custody_handover(request, pk: int, item_pk: int):
    custody_request = _assigned(request, pk)
    item = get_object_or_404(HandoverItem, pk=item_pk, request=custody_request)
    attempt(
        request,
        lambda: services.handover_mark(
            item=item, note=request.POST.get("note", ""), actor=request.user
        ),
        _("Recorded."),
    )
    return redirect("selection:custody", pk=pk)


@login_required
@require_POST
def custody_extend(request, pk: int):
    custody_request = _assigned(request, pk)
    latest = object_or_404(Custody, request.POST.get("custody"), request=custody_request)
    extend = ExtendCustodyForm(request.POST)
    if extend.is_valid():
        attempt(
            request,
            lambda: services.custody_extend(
                custody=latest,
                months=extend.cleaned_data["months"],
                reason=extend.cleaned_data["reason"],
                actor=request.user,
            ),
            _("The extension is recorded."),
        )
    else:
        messages.error(request, _("Give the months and the reason."))
    return redirect("selection:custody", pk=pk)


def _snapshot(rows: list[dict]) -> dict[str, list]:
    """The candidates recorded at the pick, exclusions in the reader's language."""
    ranked = [row for row in rows if "rank" in row]
    excluded = []
    for row in rows:
        if "rank" in row:
            continue
        template = row.get("template")
        text = _(template) % row.get("params", {}) if template else row.get("excluded", "")
        excluded.append((row["company"], text))
    return {"ranked": ranked, "excluded": excluded}


# --- hiring -------------------------------------------------------------------


def _plan(pk: int) -> SelectionPlan:
    return get_object_or_404(
        SelectionPlan.objects.select_related("neighbourhood", "decision"), pk=pk
    )


def _visible(request, plan: SelectionPlan) -> None:
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
    compounds = _request_compounds(request.user).order_by("name")
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
    plan = _plan(pk)
    _visible(request, plan)
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
    plan = _plan(pk)
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


@login_required
@require_http_methods(["GET", "POST"])
def bid(request, pk: int):
    """A company's own bid, only before bids close."""
    plan = _plan(pk)
    _visible(request, plan)
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
    plan = _plan(pk)
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


def ranking(request, pk: int):
    plan = _plan(pk)
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
    plan = _plan(pk)
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


@login_required
@require_POST
def score_declare(request, pk: int):
    """A panel member declares that they have no conflict of interest."""
    plan = _plan(pk)
    member = selectors.member_of(plan, request.user)
    if member is None:
        raise PermissionDenied(_("Only the members of this plan's panel score it."))
    services.panel_declare(member=member, user=request.user)
    messages.success(request, _("Your declaration is recorded."))
    return redirect("selection:score", pk=pk)
