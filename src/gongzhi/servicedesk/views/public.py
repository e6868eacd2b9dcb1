"""The public statistics of the service desk, by sub-district and by compound."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from gongzhi.registry.models import Compound

from .. import charts, selectors

# --- the public register ---------------------------------------------------------------


@require_GET
def public(request):
    compounds = Compound.objects.select_related("neighbourhood__sub_district").order_by(
        "neighbourhood__name", "name"
    )
    return render(request, "servicedesk/public_index.html", {"compounds": compounds})


@require_GET
def public_compound(request, pk: int):
    compound = get_object_or_404(Compound.objects.select_related("neighbourhood"), pk=pk)
    stats = selectors.public_stats(compound)
    return render(
        request,
        "servicedesk/public.html",
        {"stats": stats, "chart": charts.monthly_svg(stats.months)},
    )
