"""The register and the participation drive: corrections, canvassing, visit lists,
and the exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.errors import ApplicationError
from gongzhi.core.params import parse_id
from gongzhi.core.permissions import require
from gongzhi.core.views import XLSX, download

from .. import selectors, services
from ..export import ballots_csv, decision_workbook, roll_csv
from ..forms import (
    CanvassForm,
    CorrectionForm,
)
from ..models import (
    CanvassStatus,
    Decision,
    DecisionStatus,
    RegisterEntry,
)
from .common import ENTER, MANAGE, decision_or_404, require_visible


def register(request, pk: int):
    """The frozen register, published: unit numbers and areas, no names."""
    decision = decision_or_404(pk)
    require_visible(decision, request)
    if decision.status == DecisionStatus.DRAFT:
        raise Http404
    totals = selectors.register_totals(decision)
    counts = dict(
        decision.register.filter(excluded=False)
        .order_by()
        .values("compound_id")
        .annotate(n=Count("id"))
        .values_list("compound_id", "n")
    )
    compound_id = parse_id(request.GET.get("compound"))
    entries = selectors.register_entries(decision).order_by(
        "compound__name", "building_name", "unit_number"
    )
    if compound_id is not None:
        entries = entries.filter(compound_id=compound_id)
    building = request.GET.get("building", "").strip()[:40]
    unit = request.GET.get("unit", "").strip()[:40]
    if building:
        entries = entries.filter(building_name__icontains=building)
    if unit:
        entries = entries.filter(unit_number__icontains=unit)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    correction_form = None
    if request.user.has_perm(MANAGE, decision) and decision.status == DecisionStatus.ANNOUNCED:
        correction_form = CorrectionForm(compounds=decision.compounds.all())
    from ..models import RegisterCorrection

    return render(
        request,
        "voting/register.html",
        {
            "decision": decision,
            "compounds": [
                (c, totals.get(c.pk), counts.get(c.pk, 0))
                for c in decision.compounds.order_by("name")
            ],
            "page": page,
            "entries": page.object_list,
            "entry_count": page.paginator.count,
            "compound_filter": compound_id,
            "building_filter": building,
            "unit_filter": unit,
            "corrections": RegisterCorrection.objects.filter(
                entry__decision=decision
            ).select_related("entry__compound"),
            "correction_form": correction_form,
        },
    )


@login_required
@require_POST
def register_correct(request, pk: int):
    decision = decision_or_404(pk)
    require(request, MANAGE, decision, reason=_("You do not organise this decision."))
    form = CorrectionForm(request.POST, compounds=decision.compounds.all())
    if not form.is_valid():
        messages.error(
            request, _("Give the compound, the unit, the corrected area and the reason.")
        )
        return redirect("voting:register", pk=pk)
    try:
        entry = selectors.entry_named(
            decision, compound=form.cleaned_data["compound"], text=form.cleaned_data["unit_number"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("voting:register", pk=pk)
    if entry is None:
        messages.error(request, _("No such unit on this register."))
        return redirect("voting:register", pk=pk)
    try:
        services.register_correct(
            entry=entry,
            field="area",
            value=form.cleaned_data["area"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The correction is recorded and published with its reason."))
    return redirect("voting:register", pk=pk)


@login_required
def drive(request, pk: int):
    """The participation drive: what has been cast, what is missing, who to visit."""
    decision = _drive_decision(request, pk)
    filters = _drive_filters(request)
    missing = selectors.missing_units(decision, request.user, **filters)
    page = Paginator(missing, 100).get_page(request.GET.get("page"))
    with_phones = _sees_phones(request, decision)
    return render(
        request,
        "voting/drive.html",
        {
            "decision": decision,
            "rows": selectors.progress(decision),
            "page": page,
            "visits": selectors.visit_rows(page.object_list, with_phones=with_phones),
            "with_phones": with_phones,
            "missing_count": page.paginator.count,
            "compound_filter": request.GET.get("compound", ""),
            "building_filter": filters["building"],
            "canvass_filter": filters["canvass"],
            "canvass_choices": [(selectors.CANVASS_NONE, _("not canvassed yet"))]
            + list(CanvassStatus.choices),
            "can_canvass": request.user.has_perm(ENTER, decision),
            "canvass_form": CanvassForm(),
            "rule": decision.items.first(),
        },
    )


def _drive_decision(request, pk: int) -> Decision:
    decision = decision_or_404(pk)
    require(
        request,
        "voting.view_drive",
        decision,
        reason=_("The drive is for the organisers and the owners' committees."),
    )
    if decision.status in (DecisionStatus.DRAFT, DecisionStatus.CANCELLED):
        raise Http404
    return decision


def _drive_filters(request) -> dict:
    canvass = request.GET.get("canvass", "")
    if canvass not in {selectors.CANVASS_NONE, *CanvassStatus.values}:
        canvass = ""
    return {
        "compound_id": parse_id(request.GET.get("compound", "")),
        "building": request.GET.get("building", "")[:50].strip(),
        "canvass": canvass,
    }


def _sees_phones(request, decision: Decision) -> bool:
    return all(
        request.user.has_perm("registry.view_owner_contact", compound)
        for compound in decision.compounds.select_related("neighbourhood")
    )


@login_required
def visit_list(request, pk: int):
    """A printable list of the units still to visit, one building (or compound) at a
    time, with owners' names and, for those allowed, phones; blank columns to write
    the outcome of each visit."""
    decision = _drive_decision(request, pk)
    filters = _drive_filters(request)
    if not filters["compound_id"]:
        raise Http404
    missing = selectors.missing_units(decision, request.user, **filters)[:2000]
    rows = selectors.visit_rows(missing, with_phones=_sees_phones(request, decision))
    from ..paper_pdf import visit_list_pdf

    compound = get_object_or_404(decision.compounds, pk=filters["compound_id"])
    title = f"{decision.title} · {compound.name} {filters['building']}".strip()
    return download(
        visit_list_pdf(title=title, rows=rows),
        f"visits-{decision.pk}-{compound.pk}.pdf",
        "application/pdf",
        inline=True,
    )


@login_required
@require_POST
def canvass(request, pk: int, entry_pk: int):
    decision = decision_or_404(pk)
    require(request, ENTER, decision, reason=_("Only the organisers record canvassing."))
    entry = get_object_or_404(RegisterEntry, pk=entry_pk, decision=decision)
    form = CanvassForm(request.POST)
    if form.is_valid():
        services.canvass_update(
            entry=entry,
            status=form.cleaned_data["status"],
            notes=form.cleaned_data["notes"],
            actor=request.user,
        )
    return redirect(f"{reverse('voting:drive', args=[pk])}?{request.GET.urlencode()}")


@login_required
def export_xlsx(request, pk: int):
    decision = decision_or_404(pk)
    require(request, "voting.export", decision, reason=_("Only the organisers export."))
    workbook = decision_workbook(
        decision, named=selectors.compounds_named_for(decision, request.user)
    )
    return download(workbook, f"decision-{decision.pk}.xlsx", XLSX)


@login_required
def export_roll(request, pk: int):
    decision = decision_or_404(pk)
    require(request, "voting.export", decision, reason=_("Only the organisers export."))
    return download(roll_csv(decision), f"roll-{decision.pk}.csv", "text/csv; charset=utf-8")


@login_required
def export_ballots(request, pk: int, item_pk: int):
    decision = decision_or_404(pk)
    require(request, "voting.export", decision, reason=_("Only the organisers export."))
    item = get_object_or_404(decision.items, pk=item_pk)
    option = request.GET.get("option")
    return download(
        ballots_csv(item, option=option),
        f"ballots-{decision.pk}-{item.position}.csv",
        "text/csv; charset=utf-8",
    )
