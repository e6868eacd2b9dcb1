"""The paper trail's pages: deliveries, boxes, evidence files, the bundle and the
trail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.core.errors import ApplicationError
from gongzhi.core.jobs import job_start
from gongzhi.core.masking import mask_name
from gongzhi.core.params import object_or_404
from gongzhi.core.permissions import require
from gongzhi.core.sorting import natural_key
from gongzhi.core.views import download

from .. import jobs, selectors
from .. import services as paper
from ..bundle import evidence_visible
from ..forms import (
    BoxEventForm,
    BoxForm,
    DeliveryForm,
    lines,
)
from ..ledger import head_hash
from ..models import (
    BallotBox,
    DecisionStatus,
    Evidence,
)
from ..paper_pdf import delivery_list_pdf
from ..selectors import compounds_named_for
from .common import back_to, decision_or_404, evidence_upload, require_run

# --- deliveries ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def deliveries(request, pk: int):
    decision = decision_or_404(pk)
    require_run(request, decision)
    form = DeliveryForm(
        request.POST or None, request.FILES or None, compounds=decision.compounds.all()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = selectors.entry_named(decision, compound=data["compound"], text=data["unit"])
        except ApplicationError as exc:
            entry = None
            messages.error(request, exc.message)
        else:
            if entry is None:
                messages.error(request, _("No such unit on this register."))
        if entry is not None:
            try:
                paper.delivery_record(
                    decision=decision,
                    entry=entry,
                    method=data["method"],
                    delivered_at=data["delivered_at"],
                    delivered_by=data["delivered_by"],
                    recipient=data["recipient"],
                    mail_number=data["mail_number"],
                    note=data["note"],
                    evidence=evidence_upload(request, decision, "evidence", "delivery"),
                    actor=request.user,
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Delivery to %(unit)s recorded.") % {"unit": entry})
                return back_to(request, "voting:deliveries", pk)
    coverage = []
    delivered = set(decision.deliveries.values_list("entry_id", flat=True))
    per: dict[tuple[int, str], list[int]] = {}
    for entry_id, compound_id, building in decision.register.filter(excluded=False).values_list(
        "id", "compound_id", "building_name"
    ):
        per.setdefault((compound_id, building), []).append(entry_id)
    names = dict(decision.compounds.values_list("id", "name"))
    for (compound_id, building), ids in sorted(
        per.items(), key=lambda kv: (names[kv[0][0]], natural_key(kv[0][1]))
    ):
        done = sum(1 for i in ids if i in delivered)
        coverage.append((compound_id, names[compound_id], building, done, len(ids)))
    recent = decision.deliveries.select_related("entry__compound").order_by("-recorded_at")[:30]
    return render(
        request,
        "voting/deliveries.html",
        {"decision": decision, "form": form, "coverage": coverage, "recent": recent},
    )


@login_required
def delivery_list(request, pk: int, compound_pk: int):
    decision = decision_or_404(pk)
    require_run(request, decision)
    building = request.GET.get("building", "")
    compound = get_object_or_404(decision.compounds, pk=compound_pk)
    entries = list(
        decision.register.filter(
            compound=compound, building_name=building, excluded=False
        ).prefetch_related("owners")
    )
    pdf = delivery_list_pdf(decision=decision, entries=entries, title=f"{compound.name} {building}")
    return download(pdf, f"delivery-{decision.pk}-{compound.pk}.pdf", "application/pdf")


# --- boxes --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def boxes(request, pk: int):
    decision = decision_or_404(pk)
    require_run(request, decision)
    if request.method == "POST":
        try:
            if "label" in request.POST:
                form = BoxForm(request.POST)
                if form.is_valid():
                    paper.box_create(decision=decision, actor=request.user, **form.cleaned_data)
            else:
                box = object_or_404(BallotBox, request.POST.get("box"), decision=decision)
                event = BoxEventForm(request.POST)
                if not event.is_valid():
                    raise ApplicationError(
                        _("Give the event, its time, the place and who was present.")
                    )
                data = event.cleaned_data
                paper.box_event(
                    box=box,
                    kind=data["kind"],
                    at=data["at"],
                    place=data["place"],
                    present=lines(data["present"]),
                    actor=request.user,
                )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Recorded."))
        return back_to(request, "voting:boxes", pk)
    return render(
        request,
        "voting/boxes.html",
        {
            "decision": decision,
            "boxes": decision.boxes.prefetch_related("events"),
            "box_form": BoxForm(),
            "event_form": BoxEventForm(),
        },
    )


@login_required
def evidence_file(request, pk: int, evidence_pk: int):
    """An evidence file, to the organisers and the owners' committees only."""
    decision = decision_or_404(pk)
    require(
        request,
        "voting.scrutinise",
        decision,
        reason=_("For the organisers and the owners' committees."),
    )
    evidence = get_object_or_404(Evidence, pk=evidence_pk, decision=decision)
    if not evidence_visible(evidence, compounds_named_for(decision, request.user)):
        raise PermissionDenied(_("This file concerns a unit of a compound you do not act for."))
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        filename=(evidence.file.name or "").rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def bundle(request, pk: int):
    """Make the export bundle in the background; the job's page offers the ZIP."""
    decision = decision_or_404(pk)
    require(
        request,
        "voting.scrutinise",
        decision,
        reason=_("For the organisers and the owners' committees."),
    )
    if decision.status == DecisionStatus.DRAFT:
        raise Http404
    job = job_start(
        jobs.bundle,
        title=_("Export bundle: %(title)s") % {"title": decision.title},
        actor=request.user,
        decision_id=decision.pk,
        named=sorted(compounds_named_for(decision, request.user)),
    )
    return redirect("core:job", job.pk)


@login_required
def trail(request, pk: int):
    """The paper trail, masked, for the owners to inspect (SPC Art. 13)."""
    decision = decision_or_404(pk)
    require(
        request,
        "voting.inspect_trail",
        decision,
        reason=_("Owners of the compounds may inspect the paper trail once voting has closed."),
    )
    deliveries = [
        (d, mask_name(d.recipient))
        for d in decision.deliveries.select_related("entry__compound").order_by(
            "entry__compound__name", "entry__unit_number"
        )[:3000]
    ]
    return render(
        request,
        "voting/trail.html",
        {
            "decision": decision,
            "deliveries": deliveries,
            "delivery_count": decision.deliveries.values("entry").distinct().count(),
            "boxes": decision.boxes.prefetch_related("events"),
            "sessions": decision.count_sessions.prefetch_related("witnesses"),
            "sheets": decision.sheets.count(),
            "rejected_sheets": decision.sheets.exclude(rejected_reason="").count(),
            "checks": decision.reverifications.select_related("sheet__entry__compound"),
            "objections": decision.objections.all(),
            "retention": paper.retention_until(decision),
            "ledger_size": decision.ledger.count(),
            "head": head_hash(decision),
            "can_scrutinise": request.user.has_perm("voting.scrutinise", decision),
        },
    )
