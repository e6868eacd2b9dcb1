"""The selection's start page, the pool, and custody (托管): requests, the ranked
candidates and the pick, the handover and extensions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongzhi.core.errors import ApplicationError
from gongzhi.core.params import object_or_404
from gongzhi.core.permissions import require
from gongzhi.core.views import attempt
from gongzhi.registry.models import Owner, PropertyCompany

from .. import selectors, services
from ..forms import (
    CustodyRequestForm,
    ExtendCustodyForm,
    PickForm,
    PoolStatusForm,
)
from ..models import (
    Custody,
    CustodyRequest,
    HandoverItem,
    PoolEntry,
    SelectionPlan,
    ServiceContract,
)
from ..proximity import Point
from ..svgmap import candidates_map


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
            "can_request": user.is_authenticated
            and selectors.compounds_requestable_by(user).exists(),
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


@login_required
@require_http_methods(["GET", "POST"])
def custody_new(request):
    compounds = selectors.compounds_requestable_by(request.user)
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
