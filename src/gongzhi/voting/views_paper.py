"""Pages of the paper trail: deliveries, boxes, the public count, scrutiny,
objections, inspection and the export bundle."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.core.errors import ApplicationError
from gongzhi.core.jobs import job_start
from gongzhi.core.masking import mask_name
from gongzhi.core.params import object_or_404
from gongzhi.core.permissions import require
from gongzhi.core.sorting import natural_key
from gongzhi.core.views import download

from . import jobs, selectors
from . import papertrail as paper
from .bundle import evidence_visible
from .forms import (
    AnswerForm,
    BoxEventForm,
    BoxForm,
    CountStartForm,
    DeliveryForm,
    ObjectionForm,
    ReverificationForm,
    SheetForm,
    choices_from_post,
    lines,
)
from .models import (
    BallotBox,
    BoxEventKind,
    CountSession,
    Decision,
    DecisionStatus,
    Evidence,
    Objection,
    PaperSheet,
    SessionStatus,
)
from .paper_pdf import delivery_list_pdf, tally_sheet_pdf
from .selectors import compounds_named_for
from .views import _decision, item_choices

RUN = "voting.run_paper_trail"


def _run(request, decision: Decision) -> None:
    require(request, RUN, decision, reason=_("Only the organisers keep the paper trail."))


def _evidence(request, decision: Decision, field: str, kind: str) -> Evidence | None:
    upload = request.FILES.get(field)
    if not upload:
        return None
    return paper.evidence_store(decision=decision, kind=kind, upload=upload, actor=request.user)


def _back(request, name: str, *args):
    return redirect(reverse(name, args=args))


# --- deliveries ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def deliveries(request, pk: int):
    decision = _decision(pk)
    _run(request, decision)
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
                    evidence=_evidence(request, decision, "evidence", "delivery"),
                    actor=request.user,
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Delivery to %(unit)s recorded.") % {"unit": entry})
                return _back(request, "voting:deliveries", pk)
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
    decision = _decision(pk)
    _run(request, decision)
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
    decision = _decision(pk)
    _run(request, decision)
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
        return _back(request, "voting:boxes", pk)
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


# --- the count ----------------------------------------------------------------


def _witnesses(decision: Decision, text: str):
    """Owners named by “compound unit” lines (“水霞小区 101” or “水霞小区 1号楼 101”);
    an unknown line is a clear error."""
    owners = []
    for line in lines(text):
        compound_name, _space, unit = line.partition(" ")
        entry = None
        compound = decision.compounds.filter(name=compound_name).first()
        if compound is not None and unit:
            entry = selectors.entry_named(decision, compound=compound, text=unit)
        if entry is None or not entry.owners.exists():
            raise ApplicationError(_("No owner on the register at “%(line)s”.") % {"line": line})
        owners.append(entry.owners.order_by("pk").first())
    return owners


@login_required
@require_http_methods(["GET", "POST"])
def count_start(request, pk: int):
    decision = _decision(pk)
    _run(request, decision)
    form = CountStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = paper.count_start(
                decision=decision,
                place=data["place"],
                scrutineers=lines(data["scrutineers"]),
                counters=lines(data["counters"]),
                witnesses=_witnesses(decision, data["witnesses"]),
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return _back(request, "voting:count", pk, session.pk)
    return render(request, "voting/count_start.html", {"decision": decision, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def count(request, pk: int, session_pk: int):
    decision = _decision(pk)
    _run(request, decision)
    session = get_object_or_404(CountSession, pk=session_pk, decision=decision)
    items = list(decision.items.all())
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open-box":
                box = object_or_404(BallotBox, request.POST.get("box"), decision=decision)
                paper.count_open_box(
                    session=session,
                    box=box,
                    present=session.scrutineers + session.counters,
                    seal_intact=request.POST.get("seal_intact") == "on",
                    actor=request.user,
                )
                messages.success(request, _("Box %(box)s opened.") % {"box": box})
            elif action == "sheet":
                form = SheetForm(request.POST, request.FILES, compounds=decision.compounds.all())
                if not form.is_valid():
                    raise ApplicationError(_("Give the unit, the signature and the scan."))
                data = form.cleaned_data
                box = get_object_or_404(BallotBox, pk=data["box"], decision=decision)
                entry = selectors.entry_named(
                    decision, compound=data["compound"], text=data["unit"]
                )
                if entry is None:
                    raise ApplicationError(_("No such unit on this register."))
                scan = _evidence(request, decision, "scan", "scan")
                if scan is None:
                    raise ApplicationError(_("Each ballot is entered with its scan."))
                sheet = paper.count_enter_sheet(
                    session=session,
                    box=box,
                    entry=entry,
                    choices=choices_from_post(request.POST, items),
                    signature=data["signature"],
                    signer_name=data["signer_name"],
                    handed_in_by=data["handed_in_by"],
                    scan=scan,
                    authorisation=_evidence(request, decision, "authorisation", "authorisation"),
                    id_copy=_evidence(request, decision, "id_copy", "id_copy"),
                    actor=request.user,
                )
                if sheet.rejected_reason:
                    messages.warning(request, sheet.rejected_reason)
                else:
                    messages.success(request, _("Ballot of %(unit)s entered.") % {"unit": entry})
            elif action == "close":
                paper.count_close(session=session, actor=request.user)
                messages.success(
                    request, _("The count is closed; print the tally sheet for signatures.")
                )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return _back(request, "voting:count", pk, session_pk)
    opened = set(
        session.box_events.filter(kind=BoxEventKind.OPENED).values_list("box_id", flat=True)
    )
    return render(
        request,
        "voting/count.html",
        {
            "decision": decision,
            "session": session,
            "boxes": [(box, box.pk in opened) for box in decision.boxes.all()],
            "opened": [box for box in decision.boxes.all() if box.pk in opened],
            "form": SheetForm(compounds=decision.compounds.all()),
            "items": [
                (item, list(zip(item.choice_values(), item_choices(item), strict=True)))
                for item in items
            ],
            "sheets": session.sheets.select_related("entry__compound", "box").order_by("-pk")[:50],
            "sheet_count": session.sheets.count(),
            "counting": session.status == SessionStatus.COUNTING,
        },
    )


@login_required
def tally_sheet(request, pk: int, session_pk: int):
    decision = _decision(pk)
    require(
        request,
        "voting.scrutinise",
        decision,
        reason=_("For the organisers and the owners' committees."),
    )
    session = get_object_or_404(CountSession, pk=session_pk, decision=decision)
    return download(
        tally_sheet_pdf(session=session, named=compounds_named_for(decision, request.user)),
        f"tally-sheet-{decision.pk}-{session.pk}.pdf",
        "application/pdf",
    )


# --- scrutiny -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def scrutiny(request, pk: int):
    """Flags, conflicts, re-verification and objections, for the scrutineers."""
    decision = _decision(pk)
    require(
        request,
        "voting.scrutinise",
        decision,
        reason=_("For the organisers and the owners' committees."),
    )
    if request.method == "POST":
        _run(request, decision)
        try:
            if request.POST.get("action") == "reverify":
                sheet = object_or_404(PaperSheet, request.POST.get("sheet"), decision=decision)
                form = ReverificationForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise ApplicationError(_("Say how the owner was reached and what they said."))
                paper.reverification_record(
                    sheet=sheet,
                    method=form.cleaned_data["method"],
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                    evidence=_evidence(request, decision, "evidence", "reverification"),
                )
            elif request.POST.get("action") == "answer":
                objection = object_or_404(
                    Objection, request.POST.get("objection"), decision=decision
                )
                answer = AnswerForm(request.POST)
                if not answer.is_valid():
                    raise ApplicationError(_("Write the answer."))
                paper.objection_answer(
                    objection=objection, answer=answer.cleaned_data["answer"], actor=request.user
                )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Recorded."))
        return _back(request, "voting:scrutiny", pk)
    named = compounds_named_for(decision, request.user)
    return render(
        request,
        "voting/scrutiny.html",
        {
            "decision": decision,
            "flags": [f for f in paper.sheet_flags(decision) if f.sheet.entry.compound_id in named],
            "conflicts": [
                c for c in paper.conflict_report(decision) if c.entry.compound_id in named
            ],
            "sheets": decision.sheets.filter(rejected_reason="", entry__compound_id__in=named)
            .select_related("entry__compound", "scan")
            .order_by("entry__compound__name", "entry__unit_number"),
            "checks": decision.reverifications.filter(
                sheet__entry__compound_id__in=named
            ).select_related("sheet__entry__compound", "evidence"),
            "hidden_compounds": decision.compounds.exclude(pk__in=named).order_by("name"),
            "objections": decision.objections.all(),
            "reverify_form": ReverificationForm(),
            "answer_form": AnswerForm(),
            "can_run": request.user.has_perm(RUN, decision),
        },
    )


@login_required
def evidence_file(request, pk: int, evidence_pk: int):
    """An evidence file, to the organisers and the owners' committees only."""
    decision = _decision(pk)
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
    decision = _decision(pk)
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


# --- objections and inspection -----------------------------------------------


@login_required
@require_POST
def objection_lodge(request, pk: int):
    decision = _decision(pk)
    form = ObjectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("Write the objection."))
        paper.objection_lodge(decision=decision, user=request.user, text=form.cleaned_data["text"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Your objection is recorded; it will be answered on this page.")
        )
    return _back(request, "voting:results", pk)


@login_required
def trail(request, pk: int):
    """The paper trail, masked, for the owners to inspect (SPC Art. 13)."""
    decision = _decision(pk)
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
            "head": paper.head_hash(decision),
            "can_scrutinise": request.user.has_perm("voting.scrutinise", decision),
        },
    )
