"""Who may do what in consolidation cases (django-rules).

- ``cases.view_case``      organisers of its residents' area and sub-district; the
                           owners' committee members of its compounds (their own
                           compound's rows only, see ``selectors.compounds_seen_by``)
- ``cases.manage_case``    open, advance, waive, link, task force, merge: the area's
                           clerks and the sub-district's staff
- ``cases.sign_off``       sign off a legal opinion: the sub-district's staff
- ``cases.view_meeting``   organisers; committee members of the compounds it concerns
- ``cases.manage_meeting`` plan and record meetings, close action items: organisers

Everyone may see a case's public milestones (no names).
"""

import rules

from gongzhi.accounts.scopes import scopes_for

from .models import ConsolidationCase, Meeting


def _area(obj):
    return obj.neighbourhood


@rules.predicate
def is_sub_district_staff(user, obj=None) -> bool:
    scopes = scopes_for(user)
    if obj is None:
        return bool(scopes.sub_districts)
    return _area(obj).sub_district_id in scopes.sub_districts


@rules.predicate
def is_area_clerk(user, obj=None) -> bool:
    scopes = scopes_for(user)
    if obj is None:
        return bool(scopes.neighbourhoods)
    return _area(obj).pk in scopes.neighbourhoods


@rules.predicate
def is_committee_of_a_compound(user, obj=None) -> bool:
    scopes = scopes_for(user)
    if obj is None or not scopes.committee_compounds:
        return False
    if isinstance(obj, ConsolidationCase):
        return obj.members.filter(compound_id__in=scopes.committee_compounds).exists()
    if isinstance(obj, Meeting):
        return obj.compounds.filter(pk__in=scopes.committee_compounds).exists()
    return False


organiser = rules.is_superuser | is_sub_district_staff | is_area_clerk
rules.add_perm("cases.view_case", organiser | is_committee_of_a_compound)
rules.add_perm("cases.manage_case", organiser)
rules.add_perm("cases.sign_off", rules.is_superuser | is_sub_district_staff)
rules.add_perm("cases.view_meeting", organiser | is_committee_of_a_compound)
rules.add_perm("cases.manage_meeting", organiser)
