"""Pages of owners' decisions. Thin: ask the permission, call a service or a
selector, render. Refusals say why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.core.errors import ApplicationError, RateLimited
from gongzhi.core.jobs import job_start
from gongzhi.core.masking import mask_name
from gongzhi.core.net import client_address
from gongzhi.core.params import parse_id
from gongzhi.core.permissions import require
from gongzhi.core.sorting import natural_key
from gongzhi.core.views import XLSX, attempt, download, too_many
from gongzhi.registry.selectors import compounds_organised_by

from . import jobs, selectors, services
from .ballot_pdf import item_choices
from .export import ballots_csv, decision_workbook, roll_csv
from .forms import (
    AnnounceForm,
    CanvassForm,
    CorrectionForm,
    DecisionForm,
    ExtendForm,
    ItemForm,
    ReasonForm,
    choices_from_post,
)
from .ledger import head_hash
from .models import (
    Ballot,
    BallotState,
    CanvassStatus,
    Decision,
    DecisionStatus,
    RegisterEntry,
)

MANAGE = "voting.manage_decision"
ENTER = "voting.enter_ballots"


def _decision(pk: int) -> Decision:
    return get_object_or_404(Decision.objects.select_related("neighbourhood__sub_district"), pk=pk)


def _public(decision: Decision, request) -> None:
    """Drafts and cancelled decisions are seen only by their organisers."""
    require(
        request, "voting.view_decision", decision, reason=_("This decision has not been announced.")
    )


def decision_list(request):
    managed = []
    if request.user.is_authenticated and request.user.has_perm(MANAGE):
        managed = list(selectors.decisions_managed_by(request.user))
    public = [d for d in selectors.decisions_public() if d not in managed]
    return render(request, "voting/list.html", {"managed": managed, "public": public})


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request):
    require(
        request,
        MANAGE,
        reason=_("Only residents' committee clerks and sub-district staff organise decisions."),
    )
    compounds = compounds_organised_by(request.user)
    form = DecisionForm(request.POST or None, compounds=compounds.order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["compounds"])
        try:
            decision = services.decision_create(
                neighbourhood=chosen[0].neighbourhood,
                title=data["title"],
                text=data["text"],
                compounds=chosen,
                items=[
                    services.ItemSpec(
                        text=data["question"],
                        matter=data["matter"],
                        rule=data["rule"] or None,
                        options=data["options"].splitlines(),
                    )
                ],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                actor=request.user,
                scope=data["scope"],
                online_voting=data["online_voting"],
                non_voter_clause=data["non_voter_clause"],
                excluded_uses=data["excluded_uses"],
                paper_double_entry=data["paper_double_entry"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("voting:detail", pk=decision.pk)
    return render(request, "voting/create.html", {"form": form})


def decision_detail(request, pk: int):
    decision = _decision(pk)
    _public(decision, request)
    can_manage = request.user.has_perm(MANAGE, decision)
    context = {
        "decision": decision,
        "items": [(item, item_choices(item)) for item in decision.items.all()],
        "compounds": decision.compounds.order_by("name"),
        "can_manage": can_manage,
        "can_enter": request.user.has_perm(ENTER, decision),
        "can_drive": request.user.has_perm("voting.view_drive", decision),
        "can_inspect": request.user.has_perm("voting.inspect_ballots", decision),
        "can_vote": request.user.has_perm("voting.vote", decision) and decision.online_voting,
        "can_run": request.user.has_perm("voting.run_paper_trail", decision),
        "can_scrutinise": request.user.has_perm("voting.scrutinise", decision),
        "can_trail": request.user.has_perm("voting.inspect_trail", decision),
        "sessions": decision.count_sessions.all(),
        "extensions": decision.extensions.all(),
        "announce_form": AnnounceForm(),
        "extend_form": ExtendForm(),
        "reason_form": ReasonForm(),
        "item_form": ItemForm(),
        "now": timezone.now(),
        # A public anchor of the chain: anyone may note it, and a later rewrite of the
        # ledger would not reproduce it.
        "ledger_head": head_hash(decision) if decision.status != DecisionStatus.DRAFT else "",
        "ledger_size": decision.ledger.count(),
    }
    return render(request, "voting/detail.html", context)


def _organised(request, pk: int) -> Decision:
    decision = _decision(pk)
    require(request, MANAGE, decision, reason=_("You do not organise this decision."))
    return decision


def _transition(request, decision: Decision, action, success: str):
    """Run one guarded transition; its refusal, or ``success``, shows on the page."""
    attempt(request, action, success)
    return redirect("voting:detail", pk=decision.pk)


def _incomplete(request, decision: Decision, message: str):
    messages.error(request, message)
    return redirect("voting:detail", pk=decision.pk)


@login_required
@require_POST
def decision_announce(request, pk: int):
    """Announce the decision and freeze its register."""
    decision = _organised(request, pk)
    form = AnnounceForm(request.POST)
    form.is_valid()  # both reasons are optional
    data = form.cleaned_data
    return _transition(
        request,
        decision,
        lambda: services.decision_announce(
            decision=decision,
            actor=request.user,
            notice_override_reason=data.get("notice_override_reason", ""),
            cooling_off_override_reason=data.get("cooling_off_override_reason", ""),
        ),
        _("Announced; the register is frozen and published."),
    )


@login_required
@require_POST
def decision_open(request, pk: int):
    decision = _organised(request, pk)
    return _transition(
        request,
        decision,
        lambda: services.decision_open(decision=decision, actor=request.user),
        _("Voting is open."),
    )


@login_required
@require_POST
def decision_close(request, pk: int):
    decision = _organised(request, pk)
    return _transition(
        request,
        decision,
        lambda: services.decision_close(decision=decision, actor=request.user),
        _("Voting closed; the preliminary result is published."),
    )


@login_required
@require_POST
def decision_finalise(request, pk: int):
    decision = _organised(request, pk)
    return _transition(
        request,
        decision,
        lambda: services.decision_finalise(decision=decision, actor=request.user),
        _("The final result is published."),
    )


@login_required
@require_POST
def decision_extend(request, pk: int):
    """Extend the voting window, with the posted reason."""
    decision = _organised(request, pk)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return _incomplete(request, decision, _("Give the new closing time and the reason."))
    return _transition(
        request,
        decision,
        lambda: services.decision_extend(
            decision=decision,
            new_closes_at=form.cleaned_data["closes_at"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        ),
        _("The voting window is extended."),
    )


@login_required
@require_POST
def decision_cancel(request, pk: int):
    decision = _organised(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _transition(
        request,
        decision,
        lambda: services.decision_cancel(decision=decision, reason=reason, actor=request.user),
        _("Cancelled."),
    )


@login_required
@require_POST
def item_add(request, pk: int):
    """Add a question to a draft."""
    decision = _organised(request, pk)
    form = ItemForm(request.POST)
    if not form.is_valid():
        return _incomplete(request, decision, _("Give the question and its matter."))
    data = form.cleaned_data
    spec = services.ItemSpec(
        text=data["question"],
        matter=data["matter"],
        rule=data["rule"] or None,
        options=data["options"].splitlines(),
    )
    return _transition(
        request,
        decision,
        lambda: services.item_add(decision=decision, spec=spec),
        _("Question added."),
    )


def register(request, pk: int):
    """The frozen register, published: unit numbers and areas, no names."""
    decision = _decision(pk)
    _public(decision, request)
    if decision.status == DecisionStatus.DRAFT:
        raise Http404
    totals = {}
    item = decision.items.first()
    if item is not None:
        for group in selectors.item_tallies(item)[0].result.outcome.compounds:
            totals[group.compound] = group.total
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
    from .models import RegisterCorrection

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
    decision = _decision(pk)
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


def _find_entry(
    decision: Decision, compound_id: str, unit_number: str, building: str = ""
) -> RegisterEntry | None:
    compound = parse_id(compound_id)
    if compound is None:
        return None
    return selectors.entry_named(decision, compound=compound, text=unit_number, building=building)


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request, pk: int):
    """A clerk enters paper ballots; a second clerk confirms them where the rules ask."""
    decision = _decision(pk)
    require(request, ENTER, decision, reason=_("Only the organisers enter paper ballots."))
    confirm = request.GET.get("confirm") == "1" or request.POST.get("confirm") == "1"
    items = list(decision.items.all())
    if request.method == "POST":
        try:
            entry = _find_entry(
                decision,
                request.POST.get("compound", ""),
                request.POST.get("unit", ""),
                request.POST.get("building", ""),
            )
        except ApplicationError as exc:
            entry = None
            messages.error(request, exc.message)
        else:
            if entry is None:
                messages.error(request, _("No such unit on this register."))
        choices = choices_from_post(request.POST, items)
        if entry is not None:
            try:
                if confirm:
                    services.ballot_confirm_paper(
                        decision=decision, entry=entry, choices=choices, clerk=request.user
                    )
                    messages.success(
                        request, _("Second entry recorded for %(unit)s.") % {"unit": entry}
                    )
                else:
                    received = request.POST.get("received_at")
                    received_at = None
                    if received:
                        from django.utils.dateparse import parse_datetime

                        parsed = parse_datetime(received)
                        received_at = (
                            timezone.make_aware(parsed)
                            if parsed and timezone.is_naive(parsed)
                            else parsed
                        )
                    ballots = services.ballot_enter_paper(
                        decision=decision,
                        entry=entry,
                        choices=choices,
                        clerk=request.user,
                        received_at=received_at,
                    )
                    if ballots[0].state == BallotState.REJECTED:
                        messages.warning(request, ballots[0].reason)
                    else:
                        messages.success(
                            request, _("Ballot of %(unit)s entered.") % {"unit": entry}
                        )
            except ApplicationError as exc:
                messages.error(request, exc.message)
        # the next ballot is usually from the same compound and building
        keep = {
            "compound": request.POST.get("compound", "")[:18],
            "building": request.POST.get("building", "")[:50],
        }
        if confirm:
            keep["confirm"] = "1"
        return redirect(f"{reverse('voting:paper', args=[pk])}?{urlencode(keep)}")
    recent = (
        Ballot.objects.filter(decision=decision, channel="paper")
        .select_related("entry__compound", "item", "recorded_by")
        .order_by("-id")[:30]
    )
    return render(
        request,
        "voting/paper.html",
        {
            "decision": decision,
            "items": [
                (item, list(zip(item.choice_values(), item_choices(item), strict=True)))
                for item in items
            ],
            "compounds": decision.compounds.order_by("name"),
            "recent": recent,
            "confirm": confirm,
            "chosen_compound": request.GET.get("compound", ""),
            "chosen_building": request.GET.get("building", "")[:50],
            "buildings": sorted(
                set(
                    decision.register.exclude(building_name="").values_list(
                        "building_name", flat=True
                    )
                ),
                key=natural_key,
            ),
        },
    )


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
    decision = _decision(pk)
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
    from .paper_pdf import visit_list_pdf

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
    decision = _decision(pk)
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
@require_POST
def print_ballots(request, pk: int, compound_pk: int):
    """Print the compound's ballots with fresh one-time codes, in the background: the
    page follows the job and offers the PDF when it is ready."""
    decision = _decision(pk)
    require(request, ENTER, decision, reason=_("Only the organisers print ballots."))
    compound = get_object_or_404(decision.compounds, pk=compound_pk)
    if decision.status not in (DecisionStatus.ANNOUNCED, DecisionStatus.OPEN):
        messages.error(request, _("Ballots are printed once the decision is announced."))
        return redirect("voting:detail", pk=pk)
    job = job_start(
        jobs.print_ballots,
        title=_("Ballots of %(compound)s: %(title)s")
        % {"compound": compound.name, "title": decision.title},
        actor=request.user,
        decision_id=decision.pk,
        compound_id=compound.pk,
        actor_id=request.user.pk,
    )
    return redirect("core:job", job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def vote(request, pk: int):
    """A signed-in owner votes for each of their units on the register."""
    decision = _decision(pk)
    _public(decision, request)
    entries = selectors.entries_of_owner(decision, request.user)
    if not entries:
        raise PermissionDenied(_("You hold no unit on this decision's register."))
    items = list(decision.items.all())
    if request.method == "POST":
        entry = next((e for e in entries if str(e.pk) == request.POST.get("entry")), None)
        if entry is None:
            raise PermissionDenied(_("This is not your unit."))
        choices = choices_from_post(request.POST, items)
        if request.POST.get("confirmed") != "1":
            # A ballot cannot be changed once cast: the owner sees it once more first.
            try:
                pairs = services.validate_choices(decision, choices, items)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect("voting:vote", pk=pk)
            labels = {
                item.pk: dict(zip(item.choice_values(), item_choices(item), strict=True))
                for item in items
            }
            return render(
                request,
                "voting/vote_confirm.html",
                {
                    "decision": decision,
                    "entry": entry,
                    "rows": [(item, value, labels[item.pk][value]) for item, value in pairs],
                },
            )
        try:
            ballots = services.ballot_cast_online(
                decision=decision,
                entry=entry,
                choices=choices,
                user=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            if ballots[0].state == BallotState.REJECTED:
                messages.warning(request, ballots[0].reason)
            else:
                messages.success(
                    request,
                    _("Your ballot for %(unit)s is recorded. Receipt: %(receipt)s")
                    % {"unit": entry, "receipt": ballots[0].receipt},
                )
        return redirect("voting:vote", pk=pk)
    voted = {
        b.entry_id: b
        for b in Ballot.objects.filter(
            decision=decision,
            entry__in=entries,
            state=BallotState.EFFECTIVE,
            item=items[0] if items else None,
        )
    }
    undelivered = selectors.entries_not_received_online(decision, entries)
    return render(
        request,
        "voting/vote.html",
        {
            "decision": decision,
            "undelivered": undelivered if decision.is_open and decision.online_voting else [],
            "entries": [(e, voted.get(e.pk)) for e in entries],
            "items": [
                (item, list(zip(item.choice_values(), item_choices(item), strict=True)))
                for item in items
            ],
        },
    )


@login_required
@require_POST
def receive(request, pk: int):
    """The owner confirms that the ballot reached them: delivery online (送达), which
    the non-voter clause relies on. Only this explicit, CSRF-protected action records
    it; opening a page never does."""
    from .papertrail import delivery_record_online

    decision = _decision(pk)
    _public(decision, request)
    entries = selectors.entries_of_owner(decision, request.user)
    if not entries:
        raise PermissionDenied(_("You hold no unit on this decision's register."))
    attempt(
        request,
        lambda: delivery_record_online(decision=decision, entries=entries, user=request.user),
        _("Your receipt of the ballot is recorded."),
    )
    return redirect("voting:vote", pk=pk)


@require_http_methods(["GET", "POST"])
def vote_with_code(request, code: str):
    """The one-time link on a paper ballot: the code and an owner's phone digits.

    Opening it counts as an attempt of the address, like a wrong code, unless the
    code exists: guessing codes by their links meets the same limit as guessing them
    in the form."""
    try:
        record = services.code_lookup(code=code, client=client_address(request))
    except RateLimited as exc:
        return too_many(request, exc)
    if record is None:
        raise Http404
    decision = record.entry.decision
    items = list(decision.items.all())
    done = None
    if request.method == "POST":
        try:
            ballots = services.ballot_cast_with_code(
                code=code,
                phone_last4=request.POST.get("phone_last4", ""),
                choices=choices_from_post(request.POST, items),
                client=client_address(request),
            )
        except RateLimited as exc:
            return too_many(request, exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            done = ballots[0]
    return render(
        request,
        "voting/code.html",
        {
            "decision": decision,
            "entry": record.entry,
            "items": [
                (item, list(zip(item.choice_values(), item_choices(item), strict=True)))
                for item in items
            ],
            "done": done,
            "code": code,
        },
    )


def results(request, pk: int):
    """The published result: aggregates only, the rule and its article, the head hash."""
    decision = _decision(pk)
    _public(decision, request)
    result = decision.results.order_by("-published_at").first()
    code = request.GET.get("receipt", "").strip().upper()[:16]
    receipt = selectors.receipt_lookup(decision, code) if code else None
    from .forms import ObjectionForm
    from .papertrail import objection_period

    period = objection_period(decision)
    now = timezone.now()
    return render(
        request,
        "voting/results.html",
        {
            "decision": decision,
            "objections": decision.objections.all(),
            "objection_period": period,
            "can_object": (
                period is not None
                and decision.status == DecisionStatus.PRELIMINARY
                and period[0] <= now < period[1]
                and request.user.has_perm("voting.vote", decision)
            ),
            "objection_form": ObjectionForm(),
            "excluded": decision.ballots.filter(state=BallotState.EXCLUDED).count(),
            "result": result,
            "receipt": receipt,
            "receipt_code": code,
            "can_export": request.user.has_perm("voting.export", decision),
        },
    )


@login_required
def ballot_list(request, pk: int):
    """The masked ballot list of a closed decision, for its owners (SPC Art. 13)."""
    decision = _decision(pk)
    require(
        request,
        "voting.inspect_ballots",
        decision,
        reason=_("Owners of the compounds may inspect the ballots once voting has closed."),
    )
    ballots = (
        Ballot.objects.filter(decision=decision)
        .exclude(state=BallotState.SUPERSEDED)
        .select_related("entry__compound", "item")
        .prefetch_related("entry__owners")
        .order_by(
            "entry__compound__name",
            "entry__building_name",
            "entry__unit_number",
            "item__position",
            "cast_at",
        )
    )
    compound_id = parse_id(request.GET.get("compound"))
    building = request.GET.get("building", "").strip()[:40]
    unit = request.GET.get("unit", "").strip()[:40]
    if compound_id is not None:
        ballots = ballots.filter(entry__compound_id=compound_id)
    if building:
        ballots = ballots.filter(entry__building_name__icontains=building)
    if unit:
        ballots = ballots.filter(entry__unit_number__icontains=unit)
    page = Paginator(ballots, 100).get_page(request.GET.get("page"))
    rows = [
        (b, "、".join(mask_name(o.name) for o in b.entry.owners.all())) for b in page.object_list
    ]
    return render(
        request,
        "voting/ballots.html",
        {
            "decision": decision,
            "rows": rows,
            "page": page,
            "head": head_hash(decision),
            "compounds": decision.compounds.order_by("name"),
            "compound_filter": compound_id,
            "building_filter": building,
            "unit_filter": unit,
        },
    )


@login_required
def export_xlsx(request, pk: int):
    decision = _decision(pk)
    require(request, "voting.export", decision, reason=_("Only the organisers export."))
    workbook = decision_workbook(
        decision, named=selectors.compounds_named_for(decision, request.user)
    )
    return download(workbook, f"decision-{decision.pk}.xlsx", XLSX)


@login_required
def export_roll(request, pk: int):
    decision = _decision(pk)
    require(request, "voting.export", decision, reason=_("Only the organisers export."))
    return download(roll_csv(decision), f"roll-{decision.pk}.csv", "text/csv; charset=utf-8")


@login_required
def export_ballots(request, pk: int, item_pk: int):
    decision = _decision(pk)
    require(request, "voting.export", decision, reason=_("Only the organisers export."))
    item = get_object_or_404(decision.items, pk=item_pk)
    option = request.GET.get("option")
    return download(
        ballots_csv(item, option=option),
        f"ballots-{decision.pk}-{item.position}.csv",
        "text/csv; charset=utf-8",
    )
