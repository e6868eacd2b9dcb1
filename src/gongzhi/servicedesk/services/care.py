"""After the work and around it: the reporter's feedback, the residents' committee's
follow-up and the company's quality check (kept apart), overdue requests escalated to
the residents' committee and then onto the next four-party meeting, building-wide
incidents, and the shared assets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.core import clock
from gongzhi.core.audit import audit_log
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.locks import locked
from gongzhi.notifications.services import composed
from gongzhi.registry.models import Building, Compound, Organisation

from ..events import DeskEvent
from ..models import (
    OPEN_STATUSES,
    Asset,
    AssetKind,
    Check,
    CheckKind,
    Feedback,
    Incident,
    IncidentKind,
    RequestEvent,
    ServiceRequest,
    Status,
)
from .routing import party_label, role_of
from .steps import REOPEN_WINDOW

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

ESCALATE_TO_MEETING_AFTER = dt.timedelta(hours=24)
AUTO_CLOSE_AFTER = REOPEN_WINDOW


# --- feedback and checks ---------------------------------------------------------


def _stored(message: str) -> str:
    """A text kept in the data (history, agenda): in the platform's language."""
    with composed():
        return _(message)


def _rating(value: Any, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if str(value).strip() != str(number) or not 1 <= number <= 5:
        raise ApplicationError(_("Rate %(what)s from 1 to 5.") % {"what": what})
    return number


@transaction.atomic
def feedback_give(
    *,
    request: ServiceRequest,
    actor: User | None,
    fixed: bool,
    overall: Any,
    speed: Any,
    attitude: Any,
    comment: str = "",
    now: dt.datetime | None = None,
) -> Feedback:
    """The reporter says whether it is fixed and rates the work (1–5). "Fixed" closes
    the request; "not fixed" reopens it (within the window)."""
    now = clock.now(now)
    request = locked(request)
    if request.reporter_id != getattr(actor, "pk", None):
        raise PermissionRefused(_("Only the reporter gives feedback."))
    if request.status not in (Status.RESOLVED, Status.CLOSED):
        raise ApplicationError(_("Feedback comes once the request is resolved."))
    if hasattr(request, "feedback"):
        raise ApplicationError(_("You have given your feedback already."))
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise ApplicationError(_("The comment is longer than %(max)d characters.") % {"max": 1000})
    feedback = Feedback.objects.create(
        request=request,
        fixed=bool(fixed),
        overall=_rating(overall, _("overall")),
        speed=_rating(speed, _("speed")),
        attitude=_rating(attitude, _("attitude")),
        comment=comment,
        at=now,
    )
    RequestEvent.objects.create(
        request=request,
        kind="feedback",
        actor=actor,
        role=role_of(actor, request),
        from_status=request.status,
        to_status=request.status,
        to_party=party_label(request),
        reason=comment,
        at=now,
    )
    from .steps import close_now, request_reopen

    if fixed and request.status == Status.RESOLVED:
        with composed():
            said = _("The reporter says it is fixed.")
        close_now(request, actor, now, said)
    elif not fixed and request.status in (Status.RESOLVED, Status.CLOSED):
        request_reopen(
            request=request,
            actor=actor,
            reason=comment or _stored(gettext_noop("Not fixed, says the reporter.")),
            now=now,
        )
    return feedback


@transaction.atomic
def check_record(
    *,
    request: ServiceRequest,
    kind: str,
    satisfied: bool,
    actor: User,
    method: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> Check:
    """A follow-up visit or call by the residents' committee (回访), or the company's own
    quality check — recorded apart from each other and from the reporter's feedback."""
    now = clock.now(now)
    if kind == CheckKind.FOLLOW_UP:
        permission = "servicedesk.follow_up"
    elif kind == CheckKind.QUALITY:
        permission = "servicedesk.quality_check"
    else:
        raise ApplicationError(_("Unknown kind of check."))
    if not actor.has_perm(permission, request):
        raise PermissionRefused(_("You may not record this check."))
    if request.status not in (Status.RESOLVED, Status.CLOSED):
        raise ApplicationError(_("A request is checked once it is resolved."))
    if method not in ("", "visit", "call"):
        raise ApplicationError(_("A follow-up is a visit or a call."))
    check = Check.objects.create(
        request=request,
        kind=kind,
        method=method,
        satisfied=bool(satisfied),
        note=(note or "").strip()[:1000],
        by=actor,
        at=now,
    )
    audit_log(
        event_type=DeskEvent.REQUEST_CHANGED,
        actor=actor,
        subject=request,
        new={"check": kind, "satisfied": bool(satisfied)},
    )
    return check


# --- escalation ---------------------------------------------------------------------


def overdue_requests(now: dt.datetime):
    """Open requests past their answer or resolution time (a deferred one is not)."""
    from django.db.models import Q

    return ServiceRequest.objects.filter(
        Q(status=Status.SUBMITTED, response_due__lt=now)
        | Q(status__in=[Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS], resolve_due__lt=now)
    )


def escalate(now: dt.datetime | None = None) -> tuple[int, int]:
    """The worker's check: an overdue request is escalated to the residents' committee
    (its work queue, and a message to the handling party's people and the clerks);
    still overdue a day later, it becomes an action item on the area's next planned
    four-party meeting, closed when the request closes. Returns (escalated, carried
    to a meeting)."""
    from gongzhi.cases.models import ActionItem
    from gongzhi.cases.selectors import next_four_party

    from ..notify import tell_escalated

    now = clock.now(now)
    escalated = carried = 0
    for request in (
        overdue_requests(now).filter(escalated_at__isnull=True).select_related("compound")
    ):
        with transaction.atomic():
            request = locked(request)
            if request.escalated_at is not None or not request.overdue_at(now):
                continue
            request.escalated_at = now
            request.save(update_fields=["escalated_at"])
            RequestEvent.objects.create(
                request=request,
                kind="escalated",
                from_status=request.status,
                to_status=request.status,
                to_party=party_label(request),
                reason=_stored(gettext_noop("overdue")),
                at=now,
            )
        tell_escalated(request)
        escalated += 1
    late = (
        overdue_requests(now)
        .filter(escalated_at__lte=now - ESCALATE_TO_MEETING_AFTER, action_item__isnull=True)
        .select_related("compound__neighbourhood", "category")
    )
    for request in late:
        meeting = next_four_party(request.compound.neighbourhood, now=now)
        if meeting is None:
            continue
        with transaction.atomic():
            request = locked(request)
            if request.action_item_id is not None:
                continue
            item = ActionItem.objects.create(
                meeting=meeting,
                title=(
                    _stored(gettext_noop("Overdue request #%(number)d: %(category)s, %(compound)s"))
                    % {
                        "number": request.pk,
                        "category": request.category.name,
                        "compound": request.compound.name,
                    }
                )[:200],
                owner=party_label(request)[:100],
                due_on=timezone.localdate(meeting.starts_at),
            )
            request.action_item = item
            request.save(update_fields=["action_item"])
            RequestEvent.objects.create(
                request=request,
                kind="to_meeting",
                from_status=request.status,
                to_status=request.status,
                to_party=party_label(request),
                reason=meeting.title,
                at=now,
            )
        carried += 1
    return escalated, carried


def action_item_done(request: ServiceRequest, *, now: dt.datetime) -> None:
    """The four-party meeting's item of a request closes when the request does."""
    from gongzhi.cases.models import ActionItem, WorkStatus

    if request.action_item_id is None:
        return
    ActionItem.objects.filter(pk=request.action_item_id, status=WorkStatus.OPEN).update(
        status=WorkStatus.DONE,
        closed_on=timezone.localdate(now),
        closing_note=_stored(gettext_noop("Request #%(number)d closed.")) % {"number": request.pk},
    )


def close_quiet(now: dt.datetime | None = None) -> int:
    """Requests resolved longer ago than the reopen window, with no word from the
    reporter, are closed."""
    now = clock.now(now)
    count = 0
    for request in ServiceRequest.objects.filter(
        status=Status.RESOLVED, resolved_at__lt=now - AUTO_CLOSE_AFTER
    ):
        with transaction.atomic():
            request = locked(request)
            if request.status == Status.RESOLVED:
                from .steps import close_now

                close_now(request, None, now, _stored(gettext_noop("No answer within 14 days.")))
                count += 1
    return count


# --- incidents -------------------------------------------------------------------------


def _staff(actor: User, compound: Compound) -> None:
    if not actor.has_perm("servicedesk.manage_assets", compound):
        raise PermissionRefused(_("You do not act for %(compound)s.") % {"compound": compound.name})


@transaction.atomic
def incident_open(
    *,
    compound: Compound,
    kind: str,
    title: str,
    actor: User,
    building: Building | None = None,
    description: str = "",
    expected_end: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Incident:
    """A building-wide incident: shown to the building's owners and told to them; open
    requests about it in the building join it."""
    now = clock.now(now)
    _staff(actor, compound)
    if kind not in IncidentKind.values:
        raise ApplicationError(_("Unknown kind of incident."))
    if not (title or "").strip():
        raise ApplicationError(_("Give the incident a title."))
    if building is not None and building.compound_id != compound.pk:
        raise ApplicationError(
            _("This building is not in %(compound)s.") % {"compound": compound.name}
        )
    if expected_end is not None and expected_end <= now:
        raise ApplicationError(_("The expected end is in the future."))
    incident = Incident.objects.create(
        compound=compound,
        building=building,
        kind=kind,
        title=title.strip()[:200],
        description=(description or "").strip(),
        started_at=now,
        expected_end=expected_end,
        created_by=actor,
    )
    joined = ServiceRequest.objects.filter(
        compound=compound, status__in=OPEN_STATUSES, incident__isnull=True
    )
    if building is not None:
        joined = joined.filter(building=building)
    if kind == IncidentKind.LIFT_OUT:
        joined = joined.filter(category__asset_kind=AssetKind.LIFT)
    joined.update(incident=incident)
    audit_log(
        event_type=DeskEvent.INCIDENT_CHANGED, actor=actor, subject=incident, new={"opened": title}
    )
    from ..notify import tell_incident

    tell_incident(incident, "started")
    return incident


@transaction.atomic
def incident_end(
    *, incident: Incident, actor: User, note: str = "", now: dt.datetime | None = None
) -> Incident:
    """The incident is over: the building's owners are told."""
    now = clock.now(now)
    incident = locked(incident)
    _staff(actor, incident.compound)
    if incident.ended_at is not None:
        raise ApplicationError(_("This incident has ended already."))
    incident.ended_at = now
    incident.save(update_fields=["ended_at"])
    audit_log(
        event_type=DeskEvent.INCIDENT_CHANGED, actor=actor, subject=incident, new={"ended": note}
    )
    from ..notify import tell_incident

    tell_incident(incident, "ended")
    return incident


# --- assets ------------------------------------------------------------------------------


@transaction.atomic
def asset_save(
    *,
    actor: User,
    compound: Compound,
    kind: str,
    name: str,
    asset: Asset | None = None,
    building: Building | None = None,
    location: str = "",
    organisation: Organisation | None = None,
    monitoring_installed_on: dt.date | None = None,
    sockets: int = 0,
    in_service: bool = True,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Asset:
    """Record a lift or a charging point, or change one."""
    _staff(actor, compound)
    if kind not in AssetKind.values:
        raise ApplicationError(_("Unknown kind of asset."))
    if not (name or "").strip():
        raise ApplicationError(_("Give the asset a name."))
    if building is not None and building.compound_id != compound.pk:
        raise ApplicationError(
            _("This building is not in %(compound)s.") % {"compound": compound.name}
        )
    if kind == AssetKind.CHARGER and not 0 < int(sockets) <= 200:
        raise ApplicationError(_("A charging point has between 1 and 200 sockets."))
    if kind == AssetKind.LIFT and sockets:
        raise ApplicationError(_("A lift has no sockets."))
    if monitoring_installed_on is not None:
        if kind != AssetKind.LIFT:
            raise ApplicationError(_("Monitoring is installed in lifts."))
        if monitoring_installed_on > timezone.localdate():
            raise ApplicationError(_("The installation date is in the future."))
    if (latitude is None) != (longitude is None):
        raise ApplicationError(_("Give both coordinates of the map point, or neither."))
    if asset is None:
        asset = Asset(compound=compound, kind=kind)
    elif asset.compound_id != compound.pk or asset.kind != kind:
        raise ApplicationError(_("An asset stays in its compound and of its kind."))
    old = {"in_service": asset.in_service, "monitoring": asset.monitoring_installed_on}
    asset.name, asset.building, asset.location = (
        name.strip()[:100],
        building,
        (location or "")[:200],
    )
    asset.organisation, asset.monitoring_installed_on = organisation, monitoring_installed_on
    asset.sockets, asset.in_service = int(sockets), bool(in_service)
    asset.latitude, asset.longitude = latitude, longitude
    asset.save()
    audit_log(
        event_type=DeskEvent.ASSET_CHANGED,
        actor=actor,
        subject=asset,
        old=old,
        new={"in_service": asset.in_service, "monitoring": asset.monitoring_installed_on},
    )
    return asset
