"""Incidents (a lift out of service, a burst main) and the shared assets they touch."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongzhi.core.params import parse_id
from gongzhi.core.views import attempt
from gongzhi.registry.models import Building
from gongzhi.registry.selectors import compounds_visible_to

from .. import selectors
from ..models import (
    Asset,
    Incident,
    IncidentKind,
)
from ..services import care

# --- incidents ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def incidents(request):
    visible = compounds_visible_to(request.user)
    managed = [c for c in visible if request.user.has_perm("servicedesk.manage_assets", c)]
    if request.method == "POST":
        compound = next(
            (c for c in managed if c.pk == parse_id(request.POST.get("compound", ""))), None
        )
        if compound is None:
            raise PermissionDenied(_("You do not act for this compound."))
        building = Building.objects.filter(
            compound=compound, pk=parse_id(request.POST.get("building", "")) or 0
        ).first()
        attempt(
            request,
            lambda: care.incident_open(
                compound=compound,
                kind=request.POST.get("kind", ""),
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                building=building,
                actor=request.user,
            ),
            _("The incident is posted; the owners concerned are told."),
        )
        return redirect("servicedesk:incidents")
    rows = Incident.objects.filter(compound__in=visible).select_related("compound", "building")[
        :100
    ]
    return render(
        request,
        "servicedesk/incidents.html",
        {
            "incidents": rows,
            "managed": managed,
            "buildings": Building.objects.filter(compound__in=managed).select_related("compound"),
            "kinds": IncidentKind.choices,
        },
    )


@login_required
@require_GET
def incident(request, pk: int):
    item = get_object_or_404(Incident.objects.select_related("compound", "building"), pk=pk)
    concerned = item.compound in compounds_visible_to(request.user) or any(
        i.pk == item.pk for i in selectors.incidents_for_owner(request.user)
    )
    if not concerned:
        raise Http404
    return render(
        request,
        "servicedesk/incident.html",
        {
            "incident": item,
            "can_end": request.user.has_perm("servicedesk.manage_assets", item.compound),
            "requests": selectors.visible_to(request.user).filter(incident=item),
        },
    )


@login_required
@require_POST
def incident_end(request, pk: int):
    item = get_object_or_404(Incident, pk=pk)
    attempt(
        request,
        lambda: care.incident_end(incident=item, actor=request.user),
        _("Ended; the owners are told."),
    )
    return redirect("servicedesk:incident", pk)


# --- assets and coverage ---------------------------------------------------------------


@login_required
@require_GET
def assets(request):
    compounds = compounds_visible_to(request.user)
    return render(
        request,
        "servicedesk/assets.html",
        {
            "coverage": selectors.coverage(compounds),
            "assets": Asset.objects.filter(compound__in=compounds).select_related(
                "compound", "building", "organisation"
            ),
        },
    )


@login_required
@require_GET
def asset(request, pk: int):
    item = get_object_or_404(
        Asset.objects.select_related("compound", "building", "organisation"), pk=pk
    )
    if item.compound not in compounds_visible_to(request.user):
        raise Http404
    return render(
        request,
        "servicedesk/asset.html",
        {"asset": item, "requests": selectors.visible_to(request.user).filter(asset=item)[:100]},
    )
