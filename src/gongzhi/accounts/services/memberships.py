"""Memberships: who acts in which role for which scope, and until when."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError

from ..models import ROLE_SCOPE, ROLES_WITH_TERM, Membership, Role, User
from ..scopes import forget_scopes

MESSAGE_SCOPE_MISSING = "A {role} membership needs its {scope}."


@transaction.atomic
def membership_grant(
    *,
    user: User,
    role: Role | str,
    actor: User | None,
    term_ends_on: dt.date | None = None,
    **scope,
) -> Membership:
    """Let ``user`` act in ``role`` for the given scope (e.g. ``compound=...``), for
    the term given where the role has one. Granting what is already held changes
    nothing (a new term is recorded on the membership in force)."""
    role = Role(role)
    field = ROLE_SCOPE[role]
    if role != Role.EXPERT and scope.get(field) is None:
        raise ApplicationError(MESSAGE_SCOPE_MISSING.format(role=role, scope=field))
    if term_ends_on is not None and role not in ROLES_WITH_TERM:
        term_ends_on = None
    membership, created = Membership.objects.current().get_or_create(
        user=user,
        role=role,
        **scope,
        defaults={"term_ends_on": term_ends_on, "granted_by": actor},
    )
    if created:
        audit_log(
            event_type=EventType.MEMBERSHIP_GRANTED,
            actor=actor,
            subject=membership,
            new={
                "user": user.username,
                "role": str(role),
                "scope": str(scope.get(field)),
                "term_ends_on": term_ends_on,
            },
        )
    elif term_ends_on is not None and membership.term_ends_on != term_ends_on:
        old = membership.term_ends_on
        membership.term_ends_on = term_ends_on
        membership.save(update_fields=["term_ends_on"])
        audit_log(
            event_type=EventType.MEMBERSHIP_GRANTED,
            actor=actor,
            subject=membership,
            old={"term_ends_on": old},
            new={"term_ends_on": term_ends_on},
        )
    forget_scopes(user)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, actor: User | None) -> Membership:
    """End a membership; the row stays as history."""
    if membership.ended_at is None:
        membership.ended_at = timezone.now()
        membership.save(update_fields=["ended_at"])
        audit_log(
            event_type=EventType.MEMBERSHIP_ENDED,
            actor=actor,
            subject=membership,
            old={"ended_at": None},
            new={"ended_at": membership.ended_at},
        )
    forget_scopes(membership.user)
    return membership
