"""Telling people about service requests: the handling party when a request comes (or
is returned or transferred to it), the executor when it is theirs, the reporter and
the neighbours who said "me too" at each step, the supervisors when it is overdue, and
a building's owners when an incident starts and ends."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.accounts.selectors import (
    users_clerking,
    users_of_companies,
    users_on_committees,
    users_organising,
    users_owning,
)
from gongzhi.notifications.services import composed, notify
from gongzhi.registry.models import Ownership

from .models import Incident, PartyKind, ServiceRequest

STEPS = {
    "submitted": gettext_noop("New request #%(number)d: %(category)s, %(compound)s"),
    "returned": gettext_noop("Request #%(number)d returned to you to route: %(category)s"),
    "transferred": gettext_noop("Request #%(number)d transferred to you: %(category)s"),
    "accepted": gettext_noop("Your request #%(number)d is accepted"),
    "started": gettext_noop("Work on your request #%(number)d has started"),
    "deferred": gettext_noop("Your request #%(number)d is deferred"),
    "resolved": gettext_noop("Your request #%(number)d is resolved: is it fixed?"),
    "reopened": gettext_noop("Request #%(number)d is reopened"),
}


def _words(request: ServiceRequest, step: str) -> str:
    return _(STEPS[step]) % {
        "number": request.pk,
        "category": request.category.name,
        "compound": request.compound.name,
    }


def handlers(request: ServiceRequest):
    """The people acting for the party the request is with: the company's staff, the
    compound's committee, the sub-district's officials, or the area's clerks (who also
    act for utilities, which have no accounts)."""
    compound = request.compound
    if request.party == PartyKind.COMPANY and request.party_company_id:
        return users_of_companies([request.party_company_id])
    if request.party == PartyKind.OWNERS_COMMITTEE:
        return users_on_committees([compound.pk])
    if request.party == PartyKind.SUB_DISTRICT:
        return users_organising(
            neighbourhood_id=compound.neighbourhood_id,
            sub_district_id=compound.neighbourhood.sub_district_id,
        )
    return users_clerking(compound.neighbourhood_id)


def _url(request: ServiceRequest) -> str:
    return reverse("servicedesk:detail", args=[request.pk])


def tell_handlers(request: ServiceRequest, step: str) -> None:
    with composed():
        title = _words(request, step)
    notify(
        users=list(handlers(request).distinct()),
        kind="service",
        event_key=f"request:{request.pk}:{step}:{request.events.count()}",
        title=title,
        body=request.description[:200],
        url=_url(request),
    )


def tell_reporter(request: ServiceRequest, step: str) -> None:
    people = list(request.watchers.all())
    if request.reporter is not None:
        people.append(request.reporter)
    with composed():
        title = _words(request, step)
        body = request.outcome_reason if step == "resolved" else ""
    notify(
        users=people,
        kind="service",
        event_key=f"request:{request.pk}:{step}:{request.events.count()}",
        title=title,
        body=body,
        url=_url(request),
    )


def tell_executor(request: ServiceRequest) -> None:
    with composed():
        title = _("Request #%(number)d is yours: %(category)s, %(compound)s") % {
            "number": request.pk,
            "category": request.category.name,
            "compound": request.compound.name,
        }
    notify(
        users=[request.executor],
        kind="service",
        event_key=f"request:{request.pk}:executor:{request.executor_id}",
        title=title,
        body=request.description[:200],
        url=_url(request),
    )


def tell_escalated(request: ServiceRequest) -> None:
    """Overdue: the handling party's people and the residents' committee's clerks."""
    compound = request.compound
    people = {u.pk: u for u in handlers(request)}
    people.update(
        {
            u.pk: u
            for u in users_organising(
                neighbourhood_id=compound.neighbourhood_id,
                sub_district_id=compound.neighbourhood.sub_district_id,
            )
        }
    )
    with composed():
        title = _("Request #%(number)d is overdue: %(category)s, %(compound)s") % {
            "number": request.pk,
            "category": request.category.name,
            "compound": compound.name,
        }
    notify(
        users=list(people.values()),
        kind="service",
        event_key=f"request:{request.pk}:overdue",
        title=title,
        url=_url(request),
    )


def tell_incident(incident: Incident, step: str) -> None:
    """The owners of the building (or the compound) hear when it starts and ends."""
    units = Ownership.objects.filter(unit__compound=incident.compound)
    if incident.building_id:
        units = units.filter(unit__building=incident.building)
    users = list(users_owning(units.values_list("owner_id", flat=True)))
    with composed():
        if step == "started":
            title = _("%(title)s") % {"title": incident.title}
        else:
            title = _("Over: %(title)s") % {"title": incident.title}
    notify(
        users=users,
        kind="service",
        event_key=f"incident:{incident.pk}:{step}",
        title=title,
        body=incident.description[:200],
        url=reverse("servicedesk:incident", args=[incident.pk]),
        sms=title[:60] if step == "ended" else "",
    )
