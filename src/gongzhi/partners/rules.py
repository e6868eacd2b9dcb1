"""Who may see and change partners, agreements and the enterprise pipeline
(django-rules).

- ``partners.manage``          organisations, agreements, commitments, enterprises,
                               services and events of a sub-district: its
                               economic-development officers and officials
- ``partners.view_agreement``  an agreement's public part once signed: anyone; a
                               draft: those who manage it
"""

from __future__ import annotations

import rules

from gongzhi.accounts.scopes import scopes_for
from gongzhi.registry.models import SubDistrict

from .models import Agreement, AgreementStatus


def _sub_district_id(obj) -> int | None:
    if isinstance(obj, SubDistrict):
        return obj.pk
    return getattr(obj, "sub_district_id", None)


@rules.predicate
def officer_of(user, obj) -> bool:
    scopes = scopes_for(user)
    return _sub_district_id(obj) in (scopes.economic_sub_districts | scopes.sub_districts)


@rules.predicate
def signed(user, agreement) -> bool:
    return isinstance(agreement, Agreement) and agreement.status != AgreementStatus.DRAFT


rules.add_perm("partners.manage", rules.is_superuser | officer_of)
rules.add_perm("partners.view_agreement", signed | rules.is_superuser | officer_of)
