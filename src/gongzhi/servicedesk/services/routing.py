"""Where a request goes and what it is due: the sub-district's categories and
deadlines, the party that handles a compound's requests (the company under its
current contract), and the history every step writes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core.audit import audit_log
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.notifications.services import composed
from gongzhi.registry.models import Compound, Organisation, SubDistrict

from .. import deadlines
from ..categories import DEFAULTS as DEFAULT_CATEGORIES
from ..events import DeskEvent
from ..models import (
    Category,
    DeadlinePolicy,
    PartyKind,
    RequestEvent,
    ServiceRequest,
)

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

# --- categories and deadlines -------------------------------------------------


def categories_ensure(sub_district: SubDistrict) -> list[Category]:
    """The sub-district's categories, with the defaults created the first time."""
    if not Category.objects.filter(sub_district=sub_district).exists():
        Category.objects.bulk_create(
            [
                Category(
                    sub_district=sub_district,
                    code=code,
                    name=name,
                    party=party,
                    asset_kind=asset,
                    position=position,
                )
                for position, (code, name, party, asset) in enumerate(DEFAULT_CATEGORIES)
            ],
            ignore_conflicts=True,
        )
    return list(Category.objects.filter(sub_district=sub_district, active=True))


def policy_minutes(category: Category, urgency: str) -> tuple[int, int]:
    """(response, resolve) minutes: the category's own, the sub-district's, or the default."""
    for rows in (
        DeadlinePolicy.objects.filter(category=category, urgency=urgency),
        DeadlinePolicy.objects.filter(
            sub_district_id=category.sub_district_id, category__isnull=True, urgency=urgency
        ),
    ):
        row = rows.first()
        if row is not None:
            return row.response_minutes, row.resolve_minutes
    return deadlines.DEFAULTS[urgency]


@transaction.atomic
def deadline_set(
    *,
    sub_district: SubDistrict,
    urgency: str,
    response_minutes: int,
    resolve_minutes: int,
    actor: User,
    category: Category | None = None,
) -> DeadlinePolicy:
    """Set a sub-district's deadline for an urgency (and a category, or all)."""
    if not (actor.is_superuser or sub_district.pk in _official_sub_districts(actor)):
        raise PermissionRefused(_("Only the sub-district's staff set its deadlines."))
    if urgency not in deadlines.DEFAULTS:
        raise ApplicationError(_("Unknown urgency."))
    if response_minutes <= 0 or resolve_minutes < response_minutes:
        raise ApplicationError(
            _(
                "A request is resolved after it is answered: give a positive answer time "
                "no longer than the resolution time."
            )
        )
    if category is not None and category.sub_district_id != sub_district.pk:
        raise ApplicationError(_("This category is not the sub-district's."))
    policy, _created = DeadlinePolicy.objects.update_or_create(
        sub_district=sub_district,
        category=category,
        urgency=urgency,
        defaults={"response_minutes": response_minutes, "resolve_minutes": resolve_minutes},
    )
    audit_log(
        event_type=DeskEvent.DEADLINES_CHANGED,
        actor=actor,
        subject=sub_district,
        new={
            "category": category.code if category else "*",
            "urgency": urgency,
            "response_minutes": response_minutes,
            "resolve_minutes": resolve_minutes,
        },
    )
    return policy


def _official_sub_districts(user) -> frozenset[int]:
    from gongzhi.accounts.scopes import scopes_for

    return scopes_for(user).sub_districts


# --- routing -----------------------------------------------------------------


def current_company(compound: Compound, *, on: dt.date):
    """The property company under the compound's current contract (selection), else
    the one the registry names."""
    from gongzhi.selection.models import ServiceContract

    contract = (
        ServiceContract.objects.filter(compounds=compound, starts_on__lte=on, ends_on__gte=on)
        .order_by("-starts_on")
        .select_related("company")
        .first()
    )
    return contract.company if contract else compound.property_company


def party_label(request: ServiceRequest) -> str:
    """Who has the request, in words: 纺原物业, 居委会 …"""
    if request.party == PartyKind.COMPANY and request.party_company is not None:
        return request.party_company.name
    if request.party == PartyKind.ORGANISATION and request.party_organisation is not None:
        return request.party_organisation.name
    with composed():  # kept in the history: the platform's language
        return str(PartyKind(request.party).label)


def route(
    request: ServiceRequest, party: str, *, organisation: Organisation | None, on: dt.date
) -> None:
    request.party = party
    request.party_company = None
    request.party_organisation = None
    if party == PartyKind.COMPANY:
        company = current_company(request.compound, on=on)
        if company is None:
            # no provider: the residents' committee finds one
            request.party = PartyKind.RESIDENTS_COMMITTEE
        else:
            request.party_company = company
    elif party == PartyKind.ORGANISATION:
        if organisation is None:
            request.party = PartyKind.RESIDENTS_COMMITTEE
        else:
            request.party_organisation = organisation


def role_of(user, request: ServiceRequest) -> str:
    """In which capacity ``user`` acts on the request, in words kept in its history."""
    with composed():
        return _role_of(user, request)


def _role_of(user, request: ServiceRequest) -> str:
    from gongzhi.accounts.scopes import scopes_for

    scopes = scopes_for(user)
    compound = request.compound
    if request.party_company is not None and request.party_company.pk in scopes.companies:
        return request.party_company.name
    if compound.neighbourhood_id in scopes.neighbourhoods:
        return str(_("residents' committee"))
    if compound.pk in scopes.committee_compounds:
        return str(_("owners' committee"))
    if compound.neighbourhood.sub_district_id in scopes.sub_districts:
        return str(_("sub-district"))
    if request.reporter_id == user.pk:
        return str(_("reporter"))
    return str(_("owner"))


def history_add(
    request, kind, actor: User | None, *, old_status="", old_party="", reason="", now
) -> RequestEvent:
    event = RequestEvent.objects.create(
        request=request,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        role=role_of(actor, request) if actor is not None and actor.is_authenticated else "",
        from_status=old_status,
        to_status=request.status,
        from_party=old_party,
        to_party=party_label(request),
        reason=reason,
        at=now,
    )
    audit_log(
        event_type=DeskEvent.REQUEST_CHANGED,
        actor=actor,
        subject=request,
        old={"status": old_status, "party": old_party},
        new={"step": kind, "status": request.status, "party": event.to_party, "reason": reason},
    )
    return event
