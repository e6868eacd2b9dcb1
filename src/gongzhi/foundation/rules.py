"""Who may keep and read the community foundation's ledger (django-rules).

- ``foundation.manage``     record funds, donations, consents, disbursements and
                            disclosures: the foundation's clerks (object: the
                            foundation's organisation, or one of its funds)
- ``foundation.view_fund``  a public fund: anyone; an unpublished one: its clerks
"""

from __future__ import annotations

import rules

from gongzhi.accounts.scopes import scopes_for

from .models import Fund


def _foundation_id(obj) -> int | None:
    if isinstance(obj, Fund):
        return obj.foundation_id
    return getattr(obj, "pk", None)


@rules.predicate
def clerk_of(user, obj) -> bool:
    return _foundation_id(obj) in scopes_for(user).foundations


@rules.predicate
def public_fund(user, obj) -> bool:
    return isinstance(obj, Fund) and obj.published


rules.add_perm("foundation.manage", rules.is_superuser | clerk_of)
rules.add_perm("foundation.view_fund", public_fund | rules.is_superuser | clerk_of)
