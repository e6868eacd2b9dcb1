"""Registry pages. Thin: ask the permission, call a selector or service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongzhi.core.jobs import job_start
from gongzhi.core.permissions import require
from gongzhi.core.uploads import upload_limit
from gongzhi.core.views import XLSX, download

from . import jobs, selectors, template
from .forms import RollImportForm
from .models import Building, Compound, Unit
from .services import RollImportError, current_management_area, roll_import, roll_read


def public_home(request):
    """The sub-district's public page: compounds and aggregate figures only."""
    sub_districts = list(selectors.public_sub_districts())
    compounds = [
        c for sd in sub_districts for n in sd.neighbourhoods.all() for c in n.compounds.all()
    ]
    totals = selectors.compound_totals(compounds=compounds).compounds
    return render(
        request,
        "registry/public_home.html",
        {"sub_districts": sub_districts, "totals": totals},
    )


@login_required
def home_for_user(request):
    """Kept for old links: everyone's page is now where their work is."""
    return redirect("workspace:home")


@login_required
def compound_list(request):
    compounds = list(selectors.compounds_visible_to(request.user))
    totals = selectors.compound_totals(compounds=compounds)
    return render(
        request,
        "registry/compound_list.html",
        {"compounds": compounds, "totals": totals.compounds, "combined": totals.combined},
    )


@login_required
def compound_detail(request, pk: int):
    compound = get_object_or_404(
        Compound.objects.select_related("neighbourhood__sub_district", "property_company"), pk=pk
    )
    require(
        request,
        "registry.view_compound",
        compound,
        reason=_("You do not act for %(compound)s.") % {"compound": compound.name},
    )
    totals = selectors.compound_totals(compounds=[compound]).compounds.get(compound.pk)
    can_see_roll = request.user.has_perm("registry.view_compound_roll", compound)
    area = current_management_area(compound=compound)
    committee = area.committees.filter(status="active").first() if area else None
    context = {
        "compound": compound,
        "totals": totals,
        "profile": selectors.compound_profile(compound=compound),
        "management_area": area,
        "committee": committee,
        "members": selectors.committee_members(committee=committee) if committee else [],
        "can_see_roll": can_see_roll,
        "buildings": selectors.buildings_with_counts(compound=compound) if can_see_roll else [],
        "my_units": selectors.owned_units(request.user).filter(compound=compound),
    }
    return render(request, "registry/compound_detail.html", context)


@login_required
def building_detail(request, pk: int):
    building = get_object_or_404(Building.objects.select_related("compound__neighbourhood"), pk=pk)
    require(
        request,
        "registry.view_compound_roll",
        building.compound,
        reason=_(
            "Only the residents' committee, the sub-district and %(compound)s's owners' "
            "committee may see its roll."
        )
        % {"compound": building.compound.name},
    )
    units = selectors.building_units(building=building)
    page = Paginator(units, 100).get_page(request.GET.get("page"))
    rows = [(unit, selectors.owner_lines(request.user, unit)) for unit in page]
    return render(
        request, "registry/building_detail.html", {"building": building, "page": page, "rows": rows}
    )


@login_required
def unit_detail(request, pk: int):
    unit = get_object_or_404(
        Unit.objects.select_related("compound__neighbourhood", "building"), pk=pk
    )
    require(request, "registry.view_unit", unit, reason=_("This is not your unit."))
    return render(
        request,
        "registry/unit_detail.html",
        {"unit": unit, "owners": selectors.owner_lines(request.user, unit)},
    )


@login_required
def my_units(request):
    units = selectors.owned_units(request.user)
    return render(request, "registry/my_units.html", {"units": units})


@login_required
@require_http_methods(["GET", "POST"])
@upload_limit("ROLL_UPLOAD_MAX_BYTES")
def roll_import_view(request):
    require(
        request,
        "registry.import_roll",
        reason=_("Only residents' committee clerks and sub-district staff import rolls."),
    )
    neighbourhoods = selectors.neighbourhoods_organised_by(request.user)
    form = RollImportForm(
        request.POST or None, request.FILES or None, neighbourhoods=neighbourhoods
    )
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        neighbourhood = form.cleaned_data["neighbourhood"]
        require(request, "registry.import_roll", neighbourhood, reason=_("Not your area."))
        upload = form.cleaned_data["file"]
        if upload.size > settings.ROLL_IMPORT_SYNC_BYTES:
            # a large roll: read and written by the background worker, with progress
            job = job_start(
                jobs.import_roll,
                title=_("Roll import: %(name)s") % {"name": upload.name},
                actor=request.user,
                path=jobs.park_upload(upload),
                name=upload.name[-255:],
                neighbourhood_id=neighbourhood.pk,
                dry_run=form.cleaned_data["dry_run"],
                actor_id=request.user.pk,
            )
            return redirect("core:job", job.pk)
        try:
            roll = roll_read(upload, name=upload.name)
            context["report"] = roll_import(
                rows=roll.rows,
                neighbourhood=neighbourhood,
                actor=request.user,
                file_name=roll.name,
                file_sha256=roll.sha256,
                labels=roll.labels,
                dry_run=form.cleaned_data["dry_run"],
            )
        except RollImportError as exc:
            context["import_error"] = exc
            context["error_lines"] = exc.lines(limit=500)
            return render(request, "registry/roll_import.html", context, status=400)
    return render(request, "registry/roll_import.html", context)


@login_required
def roll_template_csv(request):
    require(
        request,
        "registry.import_roll",
        reason=_("Only residents' committee clerks and sub-district staff import rolls."),
    )
    return download(template.template_csv(), "清册模板.csv", "text/csv; charset=utf-8")


@login_required
def roll_template_xlsx(request):
    require(
        request,
        "registry.import_roll",
        reason=_("Only residents' committee clerks and sub-district staff import rolls."),
    )
    return download(template.template_xlsx(), "清册模板.xlsx", XLSX)
