"""Ballots: entered from paper, cast online or with a code, printed, and listed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
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
from gongzhi.core.views import attempt, too_many

from .. import jobs, selectors, services
from ..ballot_pdf import item_choices
from ..forms import (
    choices_from_post,
)
from ..ledger import head_hash
from ..models import (
    Ballot,
    BallotState,
    Decision,
    DecisionStatus,
    RegisterEntry,
)
from .common import ENTER, decision_or_404, require_visible


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
    decision = decision_or_404(pk)
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
@require_POST
def print_ballots(request, pk: int, compound_pk: int):
    """Print the compound's ballots with fresh one-time codes, in the background: the
    page follows the job and offers the PDF when it is ready."""
    decision = decision_or_404(pk)
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
    decision = decision_or_404(pk)
    require_visible(decision, request)
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
    from ..services import delivery_record_online

    decision = decision_or_404(pk)
    require_visible(decision, request)
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


@login_required
def ballot_list(request, pk: int):
    """The masked ballot list of a closed decision, for its owners (SPC Art. 13)."""
    decision = decision_or_404(pk)
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
