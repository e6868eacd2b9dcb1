import pytest
from django.db import IntegrityError

from gongzhi.accounts.models import Membership, Role
from gongzhi.accounts.scopes import scopes_for
from gongzhi.accounts.services import membership_end, membership_grant
from gongzhi.core.errors import ApplicationError
from gongzhi.core.models import AuditEvent, EventType
from gongzhi.registry.tests.factories import CompoundFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_grant_needs_the_scope_of_its_role():
    with pytest.raises(ApplicationError, match="compound"):
        membership_grant(user=UserFactory(), role=Role.COMMITTEE_MEMBER, actor=None)


def test_database_refuses_a_role_without_its_scope():
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=UserFactory(), role=Role.CLERK)


def test_grant_is_idempotent_and_audited_once():
    user, compound = UserFactory(), CompoundFactory()
    first = membership_grant(user=user, role=Role.COMMITTEE_MEMBER, actor=None, compound=compound)
    second = membership_grant(user=user, role=Role.COMMITTEE_MEMBER, actor=None, compound=compound)
    assert first == second
    assert AuditEvent.objects.filter(event_type=EventType.MEMBERSHIP_GRANTED).count() == 1
    assert scopes_for(user).committee_compounds == {compound.pk}


def test_ended_membership_grants_nothing():
    user, compound = UserFactory(), CompoundFactory()
    membership = membership_grant(
        user=user, role=Role.COMMITTEE_MEMBER, actor=None, compound=compound
    )
    membership_end(membership=membership, actor=None)
    assert scopes_for(user).committee_compounds == frozenset()
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert AuditEvent.objects.filter(event_type=EventType.MEMBERSHIP_ENDED).count() == 1


def test_inactive_user_has_no_scope():
    user, compound = UserFactory(), CompoundFactory()
    membership_grant(user=user, role=Role.COMMITTEE_MEMBER, actor=None, compound=compound)
    user.is_active = False
    user.save()
    fresh = type(user).objects.get(pk=user.pk)
    assert scopes_for(fresh).committee_compounds == frozenset()
