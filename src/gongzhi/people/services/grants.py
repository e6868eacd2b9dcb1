"""Granting roles: who may invite whom, for which scope, and the invitation itself.

An official of a sub-district manages its people: other officials, the clerks of its
residents' areas, committee members of its compounds, staff of the companies that
serve its compounds or sit in its district's pool, and evaluation experts. A clerk
manages the committee members of the area's compounds and those companies' contact
staff. Owners are never granted: they claim their units (or are linked in person).
Nobody grants outside what they act for; the command line (no actor) may grant
anything, to set up the first official.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.accounts.models import ROLES_WITH_TERM, Membership, Role, User
from gongzhi.accounts.scopes import scopes_for
from gongzhi.accounts.services import membership_end, membership_grant
from gongzhi.accounts.services.people import invitation_url, user_for_phone_or_new
from gongzhi.core.audit import audit_log
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.masking import mask_phone
from gongzhi.notifications.services import composed, notify, send_direct
from gongzhi.registry.models import (
    Compound,
    Neighbourhood,
    OwnersCommittee,
    PropertyCompany,
    SubDistrict,
)
from gongzhi.selection.models import PoolEntry

from ..events import PeopleEvent

GRANTED_BY_OFFICIALS = (
    Role.SUB_DISTRICT_OFFICIAL,
    Role.CLERK,
    Role.COMMITTEE_MEMBER,
    Role.COMPANY_STAFF,
    Role.EXPERT,
)
GRANTED_BY_CLERKS = (Role.COMMITTEE_MEMBER, Role.COMPANY_STAFF)


def grantable_roles(actor: User | None) -> tuple[Role, ...]:
    """The roles ``actor`` may grant somewhere."""
    if actor is None or actor.is_superuser:
        return GRANTED_BY_OFFICIALS
    scopes = scopes_for(actor)
    if scopes.sub_districts:
        return GRANTED_BY_OFFICIALS
    if scopes.neighbourhoods:
        return GRANTED_BY_CLERKS
    return ()


def _sub_district_of(role: Role, scope: dict[str, Any]) -> SubDistrict | None:
    if role == Role.SUB_DISTRICT_OFFICIAL:
        return scope.get("sub_district")
    if role == Role.CLERK:
        return scope["neighbourhood"].sub_district
    if role == Role.COMMITTEE_MEMBER:
        return scope["compound"].neighbourhood.sub_district
    return None


def company_works_in(company: PropertyCompany, *, sub_districts=(), neighbourhoods=()) -> bool:
    """Whether the company serves a compound of these territories or sits in the pool
    of their district."""
    compounds = Compound.objects.filter(property_company=company)
    if compounds.filter(neighbourhood__sub_district__in=list(sub_districts)).exists():
        return True
    if compounds.filter(neighbourhood__in=list(neighbourhoods)).exists():
        return True
    districts = set(
        SubDistrict.objects.filter(pk__in=list(sub_districts)).values_list("district", flat=True)
    ) | set(
        Neighbourhood.objects.filter(pk__in=list(neighbourhoods)).values_list(
            "sub_district__district", flat=True
        )
    )
    return PoolEntry.objects.filter(company=company, pool__district__in=districts).exists()


def check_grant(actor: User | None, role: Role, scope: dict[str, Any]) -> None:
    """Refuse, saying why, unless ``actor`` may grant ``role`` over ``scope``."""
    if role == Role.OWNER:
        raise PermissionRefused(
            _("Owners are not invited: they claim their units, or are linked in person.")
        )
    if actor is None or actor.is_superuser:
        return
    if role == Role.MERCHANT:
        # a shop's merchant is invited by those who may nominate the shop
        shop = getattr(scope.get("organisation"), "merchant", None)
        if shop is not None and actor.has_perm("merchants.nominate", shop):
            return
        raise PermissionRefused(_("Only the shop's sub-district invites its merchant."))
    scopes = scopes_for(actor)
    if role not in grantable_roles(actor):
        raise PermissionRefused(_("You may not make someone a %(role)s.") % {"role": role.label})
    if role == Role.EXPERT:
        return
    if role == Role.COMPANY_STAFF:
        if company_works_in(
            scope["company"],
            sub_districts=scopes.sub_districts,
            neighbourhoods=scopes.neighbourhoods,
        ):
            return
        raise PermissionRefused(
            _("%(company)s neither serves your compounds nor sits in your district's pool.")
            % {"company": scope["company"].name}
        )
    sub_district = _sub_district_of(role, scope)
    if sub_district is not None and sub_district.pk in scopes.sub_districts:
        return
    if (
        role == Role.COMMITTEE_MEMBER
        and scope["compound"].neighbourhood_id in scopes.neighbourhoods
    ):
        return
    place = scope.get("sub_district") or scope.get("neighbourhood") or scope.get("compound")
    raise PermissionRefused(_("You do not act for %(place)s.") % {"place": place})


def _scope_label(membership: Membership) -> str:
    return str(
        membership.sub_district
        or membership.neighbourhood
        or membership.compound
        or membership.company
        or membership.organisation
        or ""
    )


def _committee_term(compound: Compound) -> dt.date | None:
    committee = (
        OwnersCommittee.objects.filter(
            status="active",
            management_area__memberships__compound=compound,
            management_area__memberships__until__isnull=True,
        )
        .order_by("-term_start")
        .first()
    )
    return committee.term_end if committee else None


@transaction.atomic
def person_grant(
    *,
    actor: User | None,
    role: Role | str,
    phone: str,
    name: str,
    term_ends_on: dt.date | None = None,
    **scope: Any,
) -> Membership:
    """Find or create the person with this mobile number, grant the role over the
    scope (audited), and tell them: an invitation with a link to set a password when
    they have none, a message otherwise."""
    role = Role(role)
    scope = {key: value for key, value in scope.items() if value is not None}
    check_grant(actor, role, scope)
    if role in ROLES_WITH_TERM and term_ends_on is None:
        term_ends_on = _committee_term(scope["compound"])
        if term_ends_on is None:
            raise ApplicationError(
                _("Give the end of the member's term: %(compound)s has no committee in office.")
                % {"compound": scope["compound"].name}
            )
    user, _created = user_for_phone_or_new(phone=phone, name=name, actor=actor)
    membership = membership_grant(
        user=user, role=role, actor=actor, term_ends_on=term_ends_on, **scope
    )
    audit_log(
        event_type=PeopleEvent.PERSON_INVITED,
        actor=actor,
        subject=membership,
        new={
            "phone": mask_phone(user.phone),
            "role": role.value,
            "scope": _scope_label(membership),
        },
    )
    tell_new_role(user, membership)
    return membership


def tell_new_role(user: User, membership: Membership) -> None:
    """An invitation by SMS with a link to set a password (for someone without one),
    and a message in the inbox."""
    with composed():
        role = Role(membership.role).label
        where = _scope_label(membership)
        if not user.has_usable_password():
            text = _(
                "You were added as %(role)s of %(where)s. Set your password within 7 days: %(url)s"
            ) % {
                "role": role,
                "where": where,
                "url": invitation_url(user),
            }
            send_direct(phone=user.phone, text=text, event_key=f"invite:{membership.pk}")
        title = _("You now act as %(role)s of %(where)s") % {"role": role, "where": where}
    notify(users=[user], kind="account", event_key=f"granted:{membership.pk}", title=title, url="/")


@transaction.atomic
def person_role_end(*, actor: User | None, membership: Membership) -> Membership:
    """End a role the actor could have granted; the membership stays as history."""
    scope = {
        name: getattr(membership, name)
        for name in ("sub_district", "neighbourhood", "compound", "company", "organisation")
        if getattr(membership, name) is not None
    }
    check_grant(actor, Role(membership.role), scope)
    return membership_end(membership=membership, actor=actor)
