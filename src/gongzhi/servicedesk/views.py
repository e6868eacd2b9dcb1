"""Service desk pages: report (phone first), the queue and the board, a request with
the actions its reader may take (one view per action), the executor's list, incidents,
assets and coverage, and the public register with its statistics."""

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
from gongzhi.registry.models import Building, Compound, Organisation, Unit
from gongzhi.registry.selectors import compounds_visible_to, owned_units

from . import charts, selectors
from .forms import (
    CheckForm,
    DeferForm,
    FeedbackForm,
    ReasonForm,
    ReportForm,
    ResolveForm,
    TransferForm,
)
from .models import (
    OPEN_STATUSES,
    Asset,
    Category,
    CheckKind,
    Feedback,
    Incident,
    IncidentKind,
    RequestPhoto,
    ServiceRequest,
    Status,
)
from .services import care, routing, steps
from .services import requests as desk


def _request(user, pk: int) -> ServiceRequest:
    """A request the reader may see; 404 otherwise (its existence is not a hint)."""
    return get_object_or_404(selectors.visible_to(user), pk=pk)


def _is_staff(user) -> bool:
    scopes = scopes_for(user)
    return bool(
        scopes.superuser or scopes.sub_districts or scopes.neighbourhoods or scopes.companies
    )


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
    if _is_staff(request.user) or scopes_for(request.user).committee_compounds:
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
            "executors": _executors(request.user),
            "everything": everything,
            "now": _now(),
        },
    )


def _now():
    return clock.now()


def _executors(user):
    """The people the reader may give work to: their company's staff, their area's clerks."""
    scopes = scopes_for(user)
    from gongzhi.accounts.selectors import users_clerking, users_of_companies

    people = list(users_of_companies(scopes.companies)) if scopes.companies else []
    for area in scopes.neighbourhoods:
        people.extend(users_clerking(area))
    return sorted({p.pk: p for p in people}.values(), key=lambda p: p.display_name or p.username)


@login_required
@require_GET
def kanban(request):
    filters = _filters(request)
    requests = selectors.filtered(selectors.queue_for(request.user), filters)
    return render(
        request,
        "servicedesk/board.html",
        {"columns": selectors.board(requests), "labels": dict(Status.choices), "now": _now()},
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
    return render(request, "servicedesk/assigned.html", {"requests": requests, "now": _now()})


@login_required
@require_GET
def detail(request, pk: int):
    item = _request(request.user, pk)
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
            "overdue": item.overdue_at(_now()),
            "reason_form": ReasonForm(),
            "transfer_form": TransferForm(organisations=_organisations(item)),
            "defer_form": DeferForm(),
            "resolve_form": ResolveForm(),
            "feedback_form": FeedbackForm(),
            "check_form": CheckForm(),
            "executors": _executors(user),
            "may_reopen": (is_reporter or item.watcher_links.filter(user=user).exists())
            and item.status in (Status.RESOLVED, Status.CLOSED),
        },
    )


def _organisations(item: ServiceRequest):
    return Organisation.objects.filter(
        sub_district_id=item.compound.neighbourhood.sub_district_id
    ).order_by("kind", "name")


def _act(request, pk: int, action, success: str):
    item = _request(request.user, pk)
    attempt(request, lambda: action(item), success)
    return redirect("servicedesk:detail", pk)


@login_required
@require_POST
def accept(request, pk: int):
    return _act(
        request,
        pk,
        lambda item: steps.request_accept(request=item, actor=request.user),
        _("Accepted."),
    )


@login_required
@require_POST
def assign(request, pk: int):
    executor = User.objects.filter(pk=parse_id(request.POST.get("executor", "")) or 0).first()
    return _act(
        request,
        pk,
        lambda item: steps.request_assign(request=item, executor=executor, actor=request.user),
        _("Assigned."),
    )


@login_required
@require_POST
def start(request, pk: int):
    return _act(
        request,
        pk,
        lambda item: steps.request_start(request=item, actor=request.user),
        _("Work started."),
    )


@login_required
@require_POST
def defer(request, pk: int):
    form = DeferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and the reason."))
        return redirect("servicedesk:detail", pk)
    return _act(
        request,
        pk,
        lambda item: steps.request_defer(
            request=item,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        ),
        _("Deferred."),
    )


@login_required
@require_POST
def resume(request, pk: int):
    return _act(
        request,
        pk,
        lambda item: steps.request_resume(request=item, actor=request.user),
        _("Resumed."),
    )


@login_required
@require_POST
def resolve(request, pk: int):
    form = ResolveForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the outcome."))
        return redirect("servicedesk:detail", pk)
    data = form.cleaned_data
    duplicate = None
    if data["duplicate_of"]:
        duplicate = selectors.visible_to(request.user).filter(pk=data["duplicate_of"]).first()
        if duplicate is None:
            messages.error(request, _("No such request."))
            return redirect("servicedesk:detail", pk)
    return _act(
        request,
        pk,
        lambda item: steps.request_resolve(
            request=item,
            outcome=data["outcome"],
            reason=data["reason"],
            actor=request.user,
            duplicate_of=duplicate,
            photos=data["photos"],
        ),
        _("Resolved; the reporter is asked whether it is fixed."),
    )


@login_required
@require_POST
def close(request, pk: int):
    return _act(
        request,
        pk,
        lambda item: steps.request_close(request=item, actor=request.user),
        _("Closed."),
    )


@login_required
@require_POST
def reopen(request, pk: int):
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    return _act(
        request,
        pk,
        lambda item: steps.request_reopen(request=item, actor=request.user, reason=reason),
        _("Reopened."),
    )


@login_required
@require_POST
def return_(request, pk: int):
    reason = request.POST.get("reason", "")
    return _act(
        request,
        pk,
        lambda item: steps.request_return(request=item, reason=reason, actor=request.user),
        _("Returned to the residents' committee."),
    )


@login_required
@require_POST
def transfer(request, pk: int):
    organisation = Organisation.objects.filter(
        pk=parse_id(request.POST.get("organisation", "")) or 0
    ).first()
    return _act(
        request,
        pk,
        lambda item: steps.request_transfer(
            request=item,
            party=request.POST.get("party", ""),
            reason=request.POST.get("reason", ""),
            actor=request.user,
            organisation=organisation,
        ),
        _("Transferred."),
    )


@login_required
@require_POST
def feedback(request, pk: int):
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether it is fixed and rate from 1 to 5."))
        return redirect("servicedesk:detail", pk)
    data = form.cleaned_data
    return _act(
        request,
        pk,
        lambda item: care.feedback_give(
            request=item,
            actor=request.user,
            fixed=data["fixed"],
            overall=data["overall"],
            speed=data["speed"],
            attitude=data["attitude"],
            comment=data["comment"],
        ),
        _("Thank you for your feedback."),
    )


def _check(request, pk: int, kind: str):
    form = CheckForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return _act(
        request,
        pk,
        lambda item: care.check_record(
            request=item,
            kind=kind,
            satisfied=data.get("satisfied", False),
            actor=request.user,
            method=data.get("method", ""),
            note=data.get("note", ""),
        ),
        _("Recorded."),
    )


@login_required
@require_POST
def follow_up(request, pk: int):
    return _check(request, pk, CheckKind.FOLLOW_UP)


@login_required
@require_POST
def quality(request, pk: int):
    return _check(request, pk, CheckKind.QUALITY)


@login_required
@require_POST
def photos(request, pk: int):
    stage = request.POST.get("stage", "")
    uploads = request.FILES.getlist("photos")
    return _act(
        request,
        pk,
        lambda item: desk.photos_add(request=item, stage=stage, photos=uploads, actor=request.user),
        _("Photos added."),
    )


@login_required
@require_GET
def photo(request, pk: int, photo_pk: int):
    item = _request(request.user, pk)
    picture = get_object_or_404(RequestPhoto, pk=photo_pk, request=item)
    return picture.response()


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
