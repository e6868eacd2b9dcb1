"""The public count and the scrutiny after it: sessions, boxes opened, sheets
entered, flags, re-verification and objections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.core.errors import ApplicationError
from gongzhi.core.params import object_or_404
from gongzhi.core.permissions import require
from gongzhi.core.views import attempt, download

from .. import selectors
from .. import services as paper
from ..ballot_pdf import item_choices
from ..forms import (
    AnswerForm,
    CountStartForm,
    ObjectionForm,
    ReverificationForm,
    SheetForm,
    choices_from_post,
    lines,
)
from ..models import (
    BallotBox,
    BoxEventKind,
    CountSession,
    Decision,
    Objection,
    PaperSheet,
    SessionStatus,
)
from ..paper_pdf import tally_sheet_pdf
from ..selectors import compounds_named_for
from .common import RUN, back_to, decision_or_404, evidence_upload, require_run


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
    decision = decision_or_404(pk)
    require_run(request, decision)
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
            return back_to(request, "voting:count", pk, session.pk)
    return render(request, "voting/count_start.html", {"decision": decision, "form": form})


def _session(request, pk: int, session_pk: int) -> tuple[Decision, CountSession]:
    """The decision and its count session, for those who keep the paper trail."""
    decision = decision_or_404(pk)
    require_run(request, decision)
    return decision, get_object_or_404(CountSession, pk=session_pk, decision=decision)


@login_required
def count(request, pk: int, session_pk: int):
    decision, session = _session(request, pk, session_pk)
    items = list(decision.items.all())
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
@require_POST
def count_open_box(request, pk: int, session_pk: int):
    decision, session = _session(request, pk, session_pk)
    box = object_or_404(BallotBox, request.POST.get("box"), decision=decision)
    attempt(
        request,
        lambda: paper.count_open_box(
            session=session,
            box=box,
            present=session.scrutineers + session.counters,
            seal_intact=request.POST.get("seal_intact") == "on",
            actor=request.user,
        ),
        _("Box %(box)s opened.") % {"box": box},
    )
    return back_to(request, "voting:count", pk, session_pk)


@login_required
@require_POST
def count_enter_sheet(request, pk: int, session_pk: int):
    decision, session = _session(request, pk, session_pk)
    try:
        form = SheetForm(request.POST, request.FILES, compounds=decision.compounds.all())
        if not form.is_valid():
            raise ApplicationError(_("Give the unit, the signature and the scan."))
        data = form.cleaned_data
        box = get_object_or_404(BallotBox, pk=data["box"], decision=decision)
        entry = selectors.entry_named(decision, compound=data["compound"], text=data["unit"])
        if entry is None:
            raise ApplicationError(_("No such unit on this register."))
        scan = evidence_upload(request, decision, "scan", "scan")
        if scan is None:
            raise ApplicationError(_("Each ballot is entered with its scan."))
        sheet = paper.count_enter_sheet(
            session=session,
            box=box,
            entry=entry,
            choices=choices_from_post(request.POST, list(decision.items.all())),
            signature=data["signature"],
            signer_name=data["signer_name"],
            handed_in_by=data["handed_in_by"],
            scan=scan,
            authorisation=evidence_upload(request, decision, "authorisation", "authorisation"),
            id_copy=evidence_upload(request, decision, "id_copy", "id_copy"),
            actor=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if sheet.rejected_reason:
            messages.warning(request, sheet.rejected_reason)
        else:
            messages.success(request, _("Ballot of %(unit)s entered.") % {"unit": entry})
    return back_to(request, "voting:count", pk, session_pk)


@login_required
@require_POST
def count_close(request, pk: int, session_pk: int):
    _decision, session = _session(request, pk, session_pk)
    attempt(
        request,
        lambda: paper.count_close(session=session, actor=request.user),
        _("The count is closed; print the tally sheet for signatures."),
    )
    return back_to(request, "voting:count", pk, session_pk)


@login_required
def tally_sheet(request, pk: int, session_pk: int):
    decision = decision_or_404(pk)
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


def _scrutinised(request, pk: int) -> Decision:
    decision = decision_or_404(pk)
    require(
        request,
        "voting.scrutinise",
        decision,
        reason=_("For the organisers and the owners' committees."),
    )
    return decision


@login_required
@require_POST
def reverify(request, pk: int):
    """Record how an owner was reached about their paper ballot, and what they said."""
    decision = _scrutinised(request, pk)
    require_run(request, decision)
    sheet = object_or_404(PaperSheet, request.POST.get("sheet"), decision=decision)
    form = ReverificationForm(request.POST, request.FILES)

    def record():
        if not form.is_valid():
            raise ApplicationError(_("Say how the owner was reached and what they said."))
        paper.reverification_record(
            sheet=sheet,
            method=form.cleaned_data["method"],
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            actor=request.user,
            evidence=evidence_upload(request, decision, "evidence", "reverification"),
        )

    attempt(request, record, _("Recorded."))
    return back_to(request, "voting:scrutiny", pk)


@login_required
@require_POST
def objection_answer(request, pk: int, objection_pk: int):
    decision = _scrutinised(request, pk)
    require_run(request, decision)
    objection = get_object_or_404(Objection, pk=objection_pk, decision=decision)
    form = AnswerForm(request.POST)

    def answer():
        if not form.is_valid():
            raise ApplicationError(_("Write the answer."))
        paper.objection_answer(
            objection=objection, answer=form.cleaned_data["answer"], actor=request.user
        )

    attempt(request, answer, _("Recorded."))
    return back_to(request, "voting:scrutiny", pk)


@login_required
def scrutiny(request, pk: int):
    """Flags, conflicts, re-verification and objections, for the scrutineers."""
    decision = _scrutinised(request, pk)
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


# --- objections and inspection -----------------------------------------------


@login_required
@require_POST
def objection_lodge(request, pk: int):
    decision = decision_or_404(pk)
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
    return back_to(request, "voting:results", pk)
