"""A service request from acceptance to closure, every transition guarded, kept in the
request's history and in the audit log, and told to the people concerned.

    submitted → accepted → assigned → in progress → resolved (with an honest outcome)
              → closed;  deferred (the clock pauses) and back;  returned or
              transferred to another party (with a reason);  reopened within 14 days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.core import clock
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.locks import locked
from gongzhi.core.uploads import read_upload
from gongzhi.registry.models import Organisation

from .. import deadlines
from ..models import (
    Outcome,
    PartyKind,
    PhotoStage,
    RequestPhoto,
    ServiceRequest,
    Status,
    Watcher,
)
from .requests import MAX_PHOTOS
from .routing import history_add, party_label, policy_minutes, route

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

REOPEN_WINDOW = dt.timedelta(days=14)
# the steps a request may take, from each status
TRANSITIONS: dict[str, set[str]] = {
    "accept": {Status.SUBMITTED},
    "assign": {Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS},
    "start": {Status.ACCEPTED, Status.ASSIGNED},
    "defer": {Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS},
    "resume": {Status.DEFERRED},
    "resolve": {
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.DEFERRED,
    },
    "return": {Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED},
    "transfer": {
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.DEFERRED,
    },
    "close": {Status.RESOLVED},
    "reopen": {Status.RESOLVED, Status.CLOSED},
}
NOT_NOW = gettext_noop("A request that is %(status)s cannot be %(step)s.")
STEP_WORDS = {
    "accept": gettext_noop("accepted"),
    "assign": gettext_noop("assigned"),
    "start": gettext_noop("started"),
    "defer": gettext_noop("deferred"),
    "resume": gettext_noop("resumed"),
    "resolve": gettext_noop("resolved"),
    "return": gettext_noop("returned"),
    "transfer": gettext_noop("transferred"),
    "close": gettext_noop("closed"),
    "reopen": gettext_noop("reopened"),
}


# --- transitions ------------------------------------------------------------------


def _guard(request: ServiceRequest, step: str) -> None:
    if request.status not in TRANSITIONS[step]:
        raise ApplicationError(
            _(NOT_NOW) % {"status": Status(request.status).label, "step": _(STEP_WORDS[step])}
        )


def _may(actor: User, permission: str, request: ServiceRequest) -> None:
    if not actor.has_perm(permission, request):
        raise PermissionRefused(
            _("Request #%(number)d is with %(party)s; you do not act for it.")
            % {"number": request.pk, "party": party_label(request)}
        )


def _reason(text: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason."))
    if len(reason) > 1000:
        raise ApplicationError(_("The reason is longer than %(max)d characters.") % {"max": 1000})
    return reason


def _step(
    request: ServiceRequest,
    step: str,
    actor: User,
    *,
    permission: str = "servicedesk.work_request",
):
    request = locked(request)
    _may(actor, permission, request)
    _guard(request, step)
    return request


@transaction.atomic
def request_accept(
    *, request: ServiceRequest, actor: User, now: dt.datetime | None = None
) -> ServiceRequest:
    """The handling party takes the request on."""
    now = clock.now(now)
    request = _step(request, "accept", actor)
    old = request.status
    request.status, request.accepted_at = Status.ACCEPTED, now
    request.save(update_fields=["status", "accepted_at"])
    history_add(request, "accepted", actor, old_status=old, old_party=party_label(request), now=now)
    _tell(request, "accepted")
    return request


@transaction.atomic
def request_assign(
    *, request: ServiceRequest, executor, actor: User, now: dt.datetime | None = None
) -> ServiceRequest:
    """Give the request to a person of the handling party to carry out."""
    now = clock.now(now)
    request = _step(request, "assign", actor)
    if executor is None or not executor.has_perm("servicedesk.work_request", request):
        raise ApplicationError(
            _("The executor must act for %(party)s.") % {"party": party_label(request)}
        )
    old = request.status
    request.executor = executor
    if request.status == Status.ACCEPTED:
        request.status = Status.ASSIGNED
    request.save(update_fields=["executor", "status"])
    history_add(
        request,
        "assigned",
        actor,
        old_status=old,
        old_party=party_label(request),
        reason=str(executor),
        now=now,
    )
    from ..notify import tell_executor

    tell_executor(request)
    return request


@transaction.atomic
def request_start(
    *, request: ServiceRequest, actor: User, now: dt.datetime | None = None
) -> ServiceRequest:
    now = clock.now(now)
    request = _step(request, "start", actor)
    old = request.status
    request.status = Status.IN_PROGRESS
    request.save(update_fields=["status"])
    history_add(request, "started", actor, old_status=old, old_party=party_label(request), now=now)
    _tell(request, "started")
    return request


@transaction.atomic
def request_defer(
    *,
    request: ServiceRequest,
    until: dt.datetime,
    reason: str,
    actor: User,
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """Put the work off to a date, with a reason (parts on order, access to a flat):
    the clock pauses until then."""
    now = clock.now(now)
    request = _step(request, "defer", actor)
    reason = _reason(reason)
    if until <= now:
        raise ApplicationError(_("Defer to a later date."))
    if until > now + dt.timedelta(days=90):
        raise ApplicationError(_("A request is deferred by at most 90 days."))
    old = request.status
    due = deadlines.paused(
        deadlines.Due(request.response_due, request.resolve_due), since=now, until=until
    )
    request.status, request.deferred_until = Status.DEFERRED, until
    request.response_due, request.resolve_due = due.response, due.resolve
    request.save(update_fields=["status", "deferred_until", "response_due", "resolve_due"])
    history_add(
        request,
        "deferred",
        actor,
        old_status=old,
        old_party=party_label(request),
        reason=reason,
        now=now,
    )
    _tell(request, "deferred")
    return request


@transaction.atomic
def request_resume(
    *, request: ServiceRequest, actor: User, now: dt.datetime | None = None
) -> ServiceRequest:
    """Take a deferred request up again (earlier than planned: the due times do not
    come back)."""
    now = clock.now(now)
    request = _step(request, "resume", actor)
    request.status = Status.ASSIGNED if request.executor_id else Status.ACCEPTED
    request.deferred_until = None
    request.save(update_fields=["status", "deferred_until"])
    history_add(
        request,
        "resumed",
        actor,
        old_status=Status.DEFERRED,
        old_party=party_label(request),
        now=now,
    )
    return request


@transaction.atomic
def request_resolve(
    *,
    request: ServiceRequest,
    outcome: str,
    reason: str,
    actor: User,
    duplicate_of: ServiceRequest | None = None,
    photos: Sequence[Any] = (),
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """Resolve with an honest outcome: fixed, partly fixed, not our responsibility,
    will not be fixed (each but "fixed" with its reason), or a duplicate of another
    open request (whose watchers the reporter joins)."""
    now = clock.now(now)
    request = _step(request, "resolve", actor)
    if outcome not in Outcome.values:
        raise ApplicationError(_("Choose the outcome."))
    reason = (reason or "").strip()
    if outcome != Outcome.FIXED and not reason:
        raise ApplicationError(_("Say why: only “fixed” needs no reason."))
    if outcome == Outcome.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == request.pk:
            raise ApplicationError(_("Name the request this one duplicates."))
        if duplicate_of.compound_id != request.compound_id or not duplicate_of.is_open:
            raise ApplicationError(_("A duplicate joins an open request of the same compound."))
        if request.reporter_id:
            Watcher.objects.get_or_create(request=duplicate_of, user_id=request.reporter_id)
        for user_id in request.watcher_links.values_list("user_id", flat=True):
            Watcher.objects.get_or_create(request=duplicate_of, user_id=user_id)
    elif duplicate_of is not None:
        raise ApplicationError(_("Only a duplicate names another request."))
    if len(photos) > MAX_PHOTOS:
        raise ApplicationError(_("At most %(max)d photos.") % {"max": MAX_PHOTOS})
    checked = [read_upload(photo, kinds=("jpeg", "png")) for photo in photos]
    old = request.status
    request.status, request.outcome, request.outcome_reason = Status.RESOLVED, outcome, reason
    request.duplicate_of, request.resolved_at, request.deferred_until = duplicate_of, now, None
    request.save(
        update_fields=[
            "status",
            "outcome",
            "outcome_reason",
            "duplicate_of",
            "resolved_at",
            "deferred_until",
        ]
    )
    for upload in checked:
        upload.save_into(RequestPhoto(request=request, stage=PhotoStage.AFTER, uploaded_by=actor))
    history_add(
        request,
        "resolved",
        actor,
        old_status=old,
        old_party=party_label(request),
        reason=reason,
        now=now,
    )
    _tell(request, "resolved")
    return request


def close_now(
    request: ServiceRequest, actor: User | None, now: dt.datetime, reason: str = ""
) -> ServiceRequest:
    """Close a locked, resolved request (the caller has checked who may)."""
    request.status, request.closed_at = Status.CLOSED, now
    request.save(update_fields=["status", "closed_at"])
    history_add(
        request,
        "closed",
        actor,
        old_status=Status.RESOLVED,
        old_party=party_label(request),
        reason=reason,
        now=now,
    )
    from .care import action_item_done

    action_item_done(request, now=now)
    return request


@transaction.atomic
def request_close(
    *, request: ServiceRequest, actor: User, reason: str = "", now: dt.datetime | None = None
) -> ServiceRequest:
    """Close a resolved request: the reporter, satisfied; or, for a request reported by
    phone, in person or by Open311 (the reporter has no account here), the handling
    party or the area's staff after asking the reporter. A reporter with an account
    answers for themselves — or the request closes on its own after 14 days of silence."""
    now = clock.now(now)
    request = locked(request)
    by_reporter = request.reporter_id is not None and request.reporter_id == getattr(
        actor, "pk", None
    )
    on_their_behalf = request.reporter_id is None and actor.has_perm(
        "servicedesk.route_request", request
    )
    if not (by_reporter or on_their_behalf):
        raise PermissionRefused(
            _("The reporter confirms the request is fixed; it closes by itself after 14 days.")
        )
    _guard(request, "close")
    return close_now(request, actor, now, reason)


@transaction.atomic
def request_reopen(
    *, request: ServiceRequest, actor: User | None, reason: str, now: dt.datetime | None = None
) -> ServiceRequest:
    """The reporter or a neighbour who said "me too" reopens a resolved request within
    14 days: it goes back to the party that resolved it, with a new resolution time."""
    now = clock.now(now)
    request = locked(request)
    may = (
        request.reporter_id == getattr(actor, "pk", None)
        or request.watcher_links.filter(user=actor).exists()
    )
    if not may:
        raise PermissionRefused(
            _("Only the reporter, or a neighbour who said “me too”, reopens a request.")
        )
    _guard(request, "reopen")
    reason = _reason(reason)
    if request.resolved_at is None or now > request.resolved_at + REOPEN_WINDOW:
        raise ApplicationError(_("A request is reopened within 14 days of its resolution."))
    old = request.status
    _response, resolve = policy_minutes(
        request.category,
        deadlines.urgency(
            emergency=request.emergency, warranty=request.warranty, paid=request.paid
        ),
    )
    request.status = Status.ACCEPTED
    request.reopen_count += 1
    request.outcome, request.outcome_reason, request.duplicate_of = "", "", None
    request.resolved_at, request.closed_at = None, None
    request.resolve_due = now + dt.timedelta(minutes=resolve)
    request.response_due = min(request.response_due, now)
    request.escalated_at = None  # late again later is escalated again
    request.save()
    history_add(
        request,
        "reopened",
        actor,
        old_status=old,
        old_party=party_label(request),
        reason=reason,
        now=now,
    )
    _tell(request, "reopened")
    return request


@transaction.atomic
def _fresh_due(request: ServiceRequest, now: dt.datetime) -> None:
    """A request handed to another party gets that party's full answer and resolution
    times from now (the statistics still count from the report)."""
    response, resolve = policy_minutes(
        request.category,
        deadlines.urgency(
            emergency=request.emergency, warranty=request.warranty, paid=request.paid
        ),
    )
    due = deadlines.due(now, response, resolve)
    request.response_due, request.resolve_due = due.response, due.resolve
    request.escalated_at = None


@transaction.atomic
def request_return(
    *, request: ServiceRequest, reason: str, actor: User, now: dt.datetime | None = None
) -> ServiceRequest:
    """The party hands the request back to the residents' committee to route, saying why;
    the committee's times run from now."""
    now = clock.now(now)
    request = _step(request, "return", actor, permission="servicedesk.route_request")
    reason = _reason(reason)
    old_status, old_party = request.status, party_label(request)
    request.status, request.executor, request.accepted_at = Status.SUBMITTED, None, None
    route(request, PartyKind.RESIDENTS_COMMITTEE, organisation=None, on=now.date())
    _fresh_due(request, now)
    request.save()
    history_add(
        request,
        "returned",
        actor,
        old_status=old_status,
        old_party=old_party,
        reason=reason,
        now=now,
    )
    from ..notify import tell_handlers

    tell_handlers(request, "returned")
    return request


@transaction.atomic
def request_transfer(
    *,
    request: ServiceRequest,
    party: str,
    reason: str,
    actor: User,
    organisation: Organisation | None = None,
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """Hand the request to another party (the water company, the owners' committee for
    a maintenance-fund repair …), saying why; it starts there as submitted, with that
    party's times from now."""
    now = clock.now(now)
    request = _step(request, "transfer", actor, permission="servicedesk.route_request")
    reason = _reason(reason)
    if party not in PartyKind.values:
        raise ApplicationError(_("Choose who takes it over."))
    if party == PartyKind.ORGANISATION:
        if organisation is None:
            raise ApplicationError(_("Choose the organisation."))
        if organisation.sub_district_id not in (
            None,
            request.compound.neighbourhood.sub_district_id,
        ):
            raise ApplicationError(_("This organisation does not serve the sub-district."))
    old_status, old_party = request.status, party_label(request)
    request.status, request.executor, request.accepted_at = Status.SUBMITTED, None, None
    route(request, party, organisation=organisation, on=now.date())
    if party_label(request) == old_party:
        raise ApplicationError(_("The request is already with %(party)s.") % {"party": old_party})
    _fresh_due(request, now)
    request.save()
    history_add(
        request,
        "transferred",
        actor,
        old_status=old_status,
        old_party=old_party,
        reason=reason,
        now=now,
    )
    from ..notify import tell_handlers

    tell_handlers(request, "transferred")
    return request


@transaction.atomic
def requests_assign_many(
    *,
    requests: Sequence[ServiceRequest],
    executor,
    actor: User,
    now: dt.datetime | None = None,
) -> int:
    """Assign several requests at once; all or none (a refusal names the request)."""
    count = 0
    for request in requests:
        if request.status == Status.SUBMITTED:
            request = request_accept(request=request, actor=actor, now=now)
        request_assign(request=request, executor=executor, actor=actor, now=now)
        count += 1
    return count


def _tell(request: ServiceRequest, step: str) -> None:
    from ..notify import tell_reporter

    tell_reporter(request, step)
