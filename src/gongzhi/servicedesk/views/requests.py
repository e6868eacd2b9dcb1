"""Reporting a request, joining one ("me too"), the queues and the board, and a
request's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongzhi.accounts.models import User
from gongzhi.accounts.scopes import scopes_for
from gongzhi.core import clock
from gongzhi.core.errors import ApplicationError, RateLimited
from gongzhi.core.net import client_address
from gongzhi.core.params import parse_id
from gongzhi.core.views import attempt, too_many
from gongzhi.registry.models import Building, Compound, Unit
from gongzhi.registry.selectors import compounds_visible_to, owned_units

from .. import selectors
from ..forms import (
    CheckForm,
    DeferForm,
    FeedbackForm,
    ReasonForm,
    ReportForm,
    ResolveForm,
    TransferForm,
)
from ..models import (
    OPEN_STATUSES,
    Category,
    Feedback,
    ServiceRequest,
    Status,
)
from ..services import requests as desk
from ..services import routing, steps
from .common import executors_for, is_staff, organisations_for, visible_request


def _report_compounds(user):
    return [c for c in compounds_visible_to(user) if user.has_perm("servicedesk.report", c)]


@login_required
@require_http_methods(["GET", "POST"])
def report(request):
    """Report a request. A first submit shows similar open requests of the same kind
    nearby; the reporter joins one ("me too") or reports anyway."""
    compounds = _report_compounds(request.user)
    if not compounds:
        raise PermissionDenied(_("Only owners and the staff of a compound report requests here."))
    chosen = (
        parse_id(request.POST.get("compound") or request.GET.get("compound") or "")
        or compounds[0].pk
    )
    compound = next((c for c in compounds if c.pk == chosen), compounds[0])
    staff = request.user.has_perm("servicedesk.manage_assets", compound)
    units = (
        Unit.objects.filter(compound=compound)
        if staff
        else owned_units(request.user).filter(compound=compound)
    )
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        compounds=Compound.objects.filter(pk__in=[c.pk for c in compounds]),
        categories=Category.objects.filter(
            sub_district_id=compound.neighbourhood.sub_district_id, active=True
        ),
        units=units.select_related("building"),
        buildings=Building.objects.filter(compound=compound),
        staff=staff,
        # an owner reports about their home unless they say otherwise
        initial={"compound": compound.pk}
        if staff
        else {"compound": compound.pk, "place": "unit", "unit": units.first()},
    )
    context = {"form": form, "compound": compound, "staff": staff}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirmed") != "1":
            similar = list(
                desk.similar_open(
                    compound=data["compound"],
                    category=data["category"],
                    building=data["building"] or (data["unit"].building if data["unit"] else None),
                )
            )
            if similar and not data["photos"]:
                context["similar"] = similar
                return render(request, "servicedesk/report.html", context)
        try:
            created = desk.request_report(
                actor=request.user,
                compound=data["compound"],
                category=data["category"],
                place=data["place"],
                description=data["description"],
                building=data["building"],
                unit=data["unit"],
                place_note=data["place_note"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                emergency=data["emergency"],
                warranty=data["warranty"],
                paid=data["paid"],
                photos=data["photos"],
                channel=data.get("channel") or "online",
                reporter_name=data.get("reporter_name", ""),
                reporter_phone=data.get("reporter_phone", ""),
                address=client_address(request),
            )
        except RateLimited as exc:
            return too_many(request, exc)
        except ApplicationError as exc:
            context["refusal"] = exc.message
            return render(request, "servicedesk/report.html", context, status=400)
        messages.success(request, _("Request #%(number)d is reported.") % {"number": created.pk})
        return redirect("servicedesk:detail", created.pk)
    return render(request, "servicedesk/report.html", context)


@login_required
@require_POST
def me_too(request, pk: int):
    item = _request_or_public(request, pk)
    attempt(
        request,
        lambda: desk.request_me_too(request=item, actor=request.user),
        _("You will be told of its progress."),
    )
    return redirect("servicedesk:detail", pk)


def _request_or_public(request, pk: int) -> ServiceRequest:
    """For "me too": an open request of a compound the owner reports in."""
    item = get_object_or_404(
        ServiceRequest.objects.select_related("compound__neighbourhood"), pk=pk
    )
    if not (
        request.user.has_perm("servicedesk.view_request", item)
        or request.user.has_perm("servicedesk.report", item.compound)
    ):
        raise Http404
    return item


def _status_filter(value: str) -> str:
    """The queue shows open requests unless asked for a status, or for all ("all")."""
    if value in {"open", *Status.values}:
        return value
    return "" if value == "all" else "open"


def _filters(request) -> selectors.Filters:
    return selectors.Filters(
        compound=parse_id(request.GET.get("compound", "")),
        building=request.GET.get("building", "")[:50].strip(),
        category=parse_id(request.GET.get("category", "")),
        status=_status_filter(request.GET.get("status", "open")),
        overdue=request.GET.get("overdue") == "1",
        emergency=request.GET.get("emergency") == "1",
        warranty=request.GET.get("warranty") == "1",
        paid=request.GET.get("paid") == "1",
        search=request.GET.get("q", "")[:50],
    )


@login_required
@require_GET
def index(request):
    """Owners: their own requests and those they joined. Staff: the queue."""
    if is_staff(request.user) or scopes_for(request.user).committee_compounds:
        return queue(request)
    mine = selectors.visible_to(request.user).filter(reporter=request.user) | selectors.visible_to(
        request.user
    ).filter(watcher_links__user=request.user)
    mine = (
        mine.distinct()
        .select_related("category", "compound")
        .annotate(answered=Exists(Feedback.objects.filter(request=OuterRef("pk"))))
        .order_by("-created_at")
    )
    page = Paginator(mine, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "servicedesk/mine.html",
        {"page": page, "incidents": selectors.incidents_for_owner(request.user)},
    )


def queue(request):
    """What is the reader's to do; or, with ``?scope=all``, every request they may see
    (a clerk supervising the area, a committee following its compound)."""
    filters = _filters(request)
    everything = request.GET.get("scope") == "all"
    base = (selectors.visible_to if everything else selectors.queue_for)(request.user)
    requests = selectors.filtered(base, filters).order_by("resolve_due", "pk")
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    visible = compounds_visible_to(request.user)
    return render(
        request,
        "servicedesk/queue.html",
        {
            "page": page,
            "filters": filters,
            "compounds": visible,
            "categories": Category.objects.filter(
                sub_district__in=visible.values("neighbourhood__sub_district")
            ).order_by("position"),
            "statuses": Status.choices,
            "executors": executors_for(request.user),
            "everything": everything,
            "now": clock.now(),
        },
    )


@login_required
@require_GET
def kanban(request):
    filters = _filters(request)
    requests = selectors.filtered(selectors.queue_for(request.user), filters)
    return render(
        request,
        "servicedesk/board.html",
        {"columns": selectors.board(requests), "labels": dict(Status.choices), "now": clock.now()},
    )


@login_required
@require_POST
def assign_many(request):
    executor = get_object_or_404(User, pk=parse_id(request.POST.get("executor", "")) or 0)
    ids = [parse_id(value) for value in request.POST.getlist("request")]
    chosen = list(selectors.queue_for(request.user).filter(pk__in=[i for i in ids if i]))
    if not chosen:
        messages.error(request, _("Choose the requests to assign."))
    else:
        attempt(
            request,
            lambda: steps.requests_assign_many(
                requests=chosen, executor=executor, actor=request.user
            ),
            _("%(count)d requests assigned to %(name)s.")
            % {"count": len(chosen), "name": executor},
        )
    return redirect(reverse("servicedesk:index") + "?" + request.GET.urlencode())


@login_required
@require_GET
def assigned_to_me(request):
    """The executor's phone page: what is theirs to do, soonest first."""
    requests = (
        selectors.visible_to(request.user)
        .filter(executor=request.user, status__in=OPEN_STATUSES)
        .order_by("resolve_due")
    )
    return render(request, "servicedesk/assigned.html", {"requests": requests, "now": clock.now()})


@login_required
@require_GET
def detail(request, pk: int):
    item = visible_request(request.user, pk)
    user = request.user
    can_work = user.has_perm("servicedesk.work_request", item)
    can_route = user.has_perm("servicedesk.route_request", item)
    is_reporter = item.reporter_id == user.pk
    contact = can_work or can_route
    return render(
        request,
        "servicedesk/detail.html",
        {
            "item": item,
            "events": item.events.select_related("actor"),
            "photos": item.photos.all(),
            "party": routing.party_label(item),
            "can_work": can_work,
            "can_route": can_route,
            "can_follow_up": user.has_perm("servicedesk.follow_up", item),
            "can_quality": user.has_perm("servicedesk.quality_check", item),
            "is_reporter": is_reporter,
            "is_watcher": item.watcher_links.filter(user=user).exists(),
            "show_contact": contact,
            "reporter_user": item.reporter if contact else None,
            "feedback": getattr(item, "feedback", None),
            "checks": item.checks.select_related("by"),
            "overdue": item.overdue_at(clock.now()),
            "reason_form": ReasonForm(),
            "transfer_form": TransferForm(organisations=organisations_for(item)),
            "defer_form": DeferForm(),
            "resolve_form": ResolveForm(),
            "feedback_form": FeedbackForm(),
            "check_form": CheckForm(),
            "executors": executors_for(user),
            "may_reopen": (is_reporter or item.watcher_links.filter(user=user).exists())
            and item.status in (Status.RESOLVED, Status.CLOSED),
        },
    )
