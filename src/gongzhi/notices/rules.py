"""Who may do what with public notices (django-rules).

- ``notices.manage_notice``   draft, publish, withdraw, answer opinions: the area's
                              residents' committee clerks and the sub-district's staff
- ``notices.view_notice``     a published or withdrawn notice: everyone; a draft: managers
- ``notices.manage_revenue``  public-revenue statements of a management area: the same
"""

import rules

from gongzhi.accounts.scopes import scopes_for

from .models import Notice, NoticeStatus


@rules.predicate
def organises_notice(user, notice=None) -> bool:
    scopes = scopes_for(user)
    if notice is None:
        return bool(scopes.sub_districts or scopes.neighbourhoods)
    return (
        notice.neighbourhood_id in scopes.neighbourhoods
        or notice.neighbourhood.sub_district_id in scopes.sub_districts
    )


@rules.predicate
def is_public(user, notice=None) -> bool:
    return isinstance(notice, Notice) and notice.status != NoticeStatus.DRAFT


@rules.predicate
def organises_area(user, area=None) -> bool:
    scopes = scopes_for(user)
    if area is None:
        return bool(scopes.sub_districts or scopes.neighbourhoods)
    if area.sub_district_id in scopes.sub_districts:
        return True
    return (
        area.memberships.current()
        .filter(compound__neighbourhood_id__in=scopes.neighbourhoods)
        .exists()
    )


manage = rules.is_superuser | organises_notice
rules.add_perm("notices.manage_notice", manage)
rules.add_perm("notices.view_notice", is_public | manage)
rules.add_perm("notices.manage_revenue", rules.is_superuser | organises_area)
