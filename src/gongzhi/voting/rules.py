"""Who may do what with an owners' decision (django-rules).

- ``voting.view_decision``     a decision's pages and API: anyone once announced, its
                               organisers always (drafts and cancelled decisions)
- ``voting.manage_decision``   create, announce, open, extend, close, correct the register
- ``voting.enter_ballots``     enter and confirm paper ballots, print ballots, canvass
- ``voting.view_drive``        the participation drive and the canvassing list
- ``voting.vote``              vote online for one's own units (checked per unit by the service)
- ``voting.inspect_ballots``   the masked ballot list of a closed decision (SPC Art. 13)
- ``voting.export``            Excel export and the roll/ballots files for `gongzhi tally`
- ``voting.run_paper_trail``   deliveries, boxes, count sessions, re-verification, answers
- ``voting.scrutinise``        flags, the conflict report, evidence files, the export bundle
- ``voting.inspect_trail``     the masked paper trail (SPC Art. 13)
"""

from __future__ import annotations

import rules

from gongzhi.accounts.scopes import scopes_for
from gongzhi.registry.models import Ownership

from .models import PUBLIC_STATUSES, Decision, DecisionStatus

CLOSED_STATUSES = {DecisionStatus.CLOSED, DecisionStatus.PRELIMINARY, DecisionStatus.FINAL}


@rules.predicate
def is_organiser(user, decision: Decision | None = None) -> bool:
    """A clerk of the organising residents' area or an official of its sub-district."""
    scopes = scopes_for(user)
    if decision is None:
        return bool(scopes.neighbourhoods or scopes.sub_districts)
    return (
        decision.neighbourhood_id in scopes.neighbourhoods
        or decision.neighbourhood.sub_district_id in scopes.sub_districts
    )


@rules.predicate
def is_committee_of_decision(user, decision: Decision | None = None) -> bool:
    scopes = scopes_for(user)
    if decision is None or not scopes.committee_compounds:
        return False
    return decision.compounds.filter(pk__in=scopes.committee_compounds).exists()


@rules.predicate
def is_owner_in_decision(user, decision: Decision | None = None) -> bool:
    scopes = scopes_for(user)
    if decision is None or not scopes.owners:
        return False
    return Ownership.objects.filter(
        owner_id__in=scopes.owners, unit__compound__in=decision.compounds.all()
    ).exists()


@rules.predicate
def is_closed(user, decision: Decision | None = None) -> bool:
    return decision is not None and decision.status in CLOSED_STATUSES


@rules.predicate
def is_public(user, decision: Decision | None = None) -> bool:
    return decision is not None and decision.status in PUBLIC_STATUSES


manager = rules.is_superuser | is_organiser

rules.add_perm("voting.manage_decision", manager)
# who may open a decision's pages and API: anyone once announced, its organisers always
rules.add_perm("voting.view_decision", is_public | manager)
rules.add_perm("voting.enter_ballots", manager)
rules.add_perm("voting.view_drive", manager | is_committee_of_decision)
rules.add_perm("voting.vote", is_owner_in_decision)
rules.add_perm(
    "voting.inspect_ballots",
    (manager | is_committee_of_decision | is_owner_in_decision) & is_closed,
)
rules.add_perm("voting.export", manager)
rules.add_perm("voting.run_paper_trail", manager)
rules.add_perm("voting.scrutinise", manager | is_committee_of_decision)
rules.add_perm(
    "voting.inspect_trail",
    manager | is_committee_of_decision | (is_owner_in_decision & is_closed),
)
