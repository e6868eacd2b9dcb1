"""Writes for accounts: users and memberships."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError

from .models import ROLE_SCOPE, Membership, Role, User
from .scopes import forget_scopes

MESSAGE_SCOPE_MISSING = "A {role} membership needs its {scope}."


@transaction.atomic
def membership_grant(*, user: User, role: Role, actor: User | None, **scope) -> Membership:
    """Let ``user`` act in ``role`` for the given scope (e.g. ``compound=...``)."""
    field = ROLE_SCOPE[Role(role)]
    if role != Role.EXPERT and scope.get(field) is None:
        raise ApplicationError(MESSAGE_SCOPE_MISSING.format(role=role, scope=field))
    membership, created = Membership.objects.current().get_or_create(user=user, role=role, **scope)
    if created:
        audit_log(
            event_type=EventType.MEMBERSHIP_GRANTED,
            actor=actor,
            subject=membership,
            new={"user": user.username, "role": str(role), "scope": str(scope.get(field))},
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
