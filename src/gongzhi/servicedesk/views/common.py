"""What the service desk's pages share: finding a request, who counts as staff,
and the people and organisations a request can go to."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from gongzhi.accounts.scopes import scopes_for
from gongzhi.registry.models import Organisation

from .. import selectors
from ..models import (
    ServiceRequest,
)


def visible_request(user, pk: int) -> ServiceRequest:
    """A request the reader may see; 404 otherwise (its existence is not a hint)."""
    return get_object_or_404(selectors.visible_to(user), pk=pk)


def is_staff(user) -> bool:
    """Whether the user works the desk: a sub-district, residents' area or company."""
    scopes = scopes_for(user)
    return bool(
        scopes.superuser or scopes.sub_districts or scopes.neighbourhoods or scopes.companies
    )


def executors_for(user):
    """The people the reader may give work to: their company's staff, their area's clerks."""
    scopes = scopes_for(user)
    from gongzhi.accounts.selectors import users_clerking, users_of_companies

    people = list(users_of_companies(scopes.companies)) if scopes.companies else []
    for area in scopes.neighbourhoods:
        people.extend(users_clerking(area))
    return sorted({p.pk: p for p in people}.values(), key=lambda p: p.display_name or p.username)


def organisations_for(item: ServiceRequest):
    """The organisations of the request's sub-district it can be transferred to."""
    return Organisation.objects.filter(
        sub_district_id=item.compound.neighbourhood.sub_district_id
    ).order_by("kind", "name")
