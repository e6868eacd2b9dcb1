"""Management areas, owners' committees and their elections, a compound's provider;
and setting up a district's sub-district and residents' area from nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError

from ..events import RegistryEvent
from ..models import (
    CommitteeElection,
    CommitteeMember,
    CommitteeStatus,
    Compound,
    ManagementArea,
    ManagementAreaCompound,
    Neighbourhood,
    Owner,
    OwnersCommittee,
    SubDistrict,
)

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

# --- the territory ----------------------------------------------------------


@dataclass(frozen=True)
class AreaSetUp:
    sub_district: SubDistrict
    neighbourhood: Neighbourhood
    created: tuple[str, ...]  # what did not exist before: "sub-district", "area"


@transaction.atomic
def area_create(
    *, district: str, sub_district: str, area: str, actor: User | None, city: str = ""
) -> AreaSetUp:
    """Create what is missing of a sub-district and one of its residents' areas.

    Idempotent: run again, it finds both and creates nothing. A sub-district already
    recorded in another district is refused rather than moved."""
    district, sub_name, area_name = (
        (district or "").strip(),
        (sub_district or "").strip(),
        (area or "").strip(),
    )
    if not (district and sub_name and area_name):
        raise ApplicationError(_("Give the district, the sub-district and the residents' area."))
    if max(len(district), len(sub_name), len(area_name)) > 100:
        raise ApplicationError(_("A name is longer than 100 characters."))
    created = []
    found = SubDistrict.objects.select_for_update().filter(name=sub_name).first()
    if found is None:
        found = SubDistrict.objects.create(name=sub_name, district=district, city=city)
        created.append("sub-district")
        audit_log(
            event_type=RegistryEvent.SUB_DISTRICT_CREATED,
            actor=actor,
            subject=found,
            new={"name": sub_name, "district": district},
        )
    elif found.district and found.district != district:
        raise ApplicationError(
            _("%(name)s is recorded in %(other)s, not in %(district)s.")
            % {"name": sub_name, "other": found.district, "district": district}
        )
    elif not found.district:
        found.district = district
        found.save(update_fields=["district"])
    neighbourhood = Neighbourhood.objects.filter(sub_district=found, name=area_name).first()
    if neighbourhood is None:
        neighbourhood = Neighbourhood.objects.create(sub_district=found, name=area_name)
        created.append("area")
        audit_log(
            event_type=RegistryEvent.NEIGHBOURHOOD_CREATED,
            actor=actor,
            subject=neighbourhood,
            new={"name": area_name, "sub_district": sub_name},
        )
    return AreaSetUp(sub_district=found, neighbourhood=neighbourhood, created=tuple(created))


# --- management areas and committees -------------------------------------


@transaction.atomic
def management_area_establish(
    *, name: str, compounds: Sequence[Compound], on: dt.date, actor: User | None
) -> ManagementArea:
    """Create a management area for compounds that have none yet."""
    if not compounds:
        raise ApplicationError(_("A management area needs at least one compound."))
    sub_districts = {c.neighbourhood.sub_district_id for c in compounds}
    if len(sub_districts) != 1:
        raise ApplicationError(_("A management area lies within one sub-district."))
    taken = ManagementAreaCompound.objects.current().filter(compound__in=compounds)
    if taken.exists():
        names = ", ".join(sorted(m.compound.name for m in taken.select_related("compound")))
        raise ApplicationError(
            _("Already in a management area: %(names)s. Merge the areas instead.")
            % {"names": names}
        )
    area = ManagementArea.objects.create(
        sub_district_id=sub_districts.pop(), name=name, established_on=on
    )
    ManagementAreaCompound.objects.bulk_create(
        [ManagementAreaCompound(area=area, compound=c, since=on) for c in compounds]
    )
    return area


@transaction.atomic
def management_areas_merge(
    *, areas: Sequence[ManagementArea], name: str, on: dt.date, actor: User | None
) -> ManagementArea:
    """Merge management areas into a new one; the old ones stay as history.

    The owners' vote and the notice that Shanghai 住宅物业管理规定 Art. 10 requires
    are checked by the consolidation case before it calls this.
    """
    areas = list(ManagementArea.objects.select_for_update().filter(pk__in=[a.pk for a in areas]))
    if len(areas) < 2:
        raise ApplicationError(_("Merging needs at least two management areas."))
    dissolved = [a.name for a in areas if a.dissolved_on is not None]
    if dissolved:
        raise ApplicationError(
            _("Already dissolved: %(names)s.") % {"names": ", ".join(sorted(dissolved))}
        )
    if len({a.sub_district_id for a in areas}) != 1:
        raise ApplicationError(_("A management area lies within one sub-district."))
    if any(on < a.established_on for a in areas):
        raise ApplicationError(_("The merger cannot precede the areas it merges."))
    merged = ManagementArea.objects.create(
        sub_district_id=areas[0].sub_district_id, name=name, established_on=on
    )
    memberships = ManagementAreaCompound.objects.current().filter(area__in=areas)
    compound_ids = list(memberships.values_list("compound_id", flat=True))
    memberships.update(until=on)
    ManagementAreaCompound.objects.bulk_create(
        [ManagementAreaCompound(area=merged, compound_id=cid, since=on) for cid in compound_ids]
    )
    for area in areas:
        area.dissolved_on = on
        area.merged_into = merged
        area.save(update_fields=["dissolved_on", "merged_into"])
    audit_log(
        event_type=EventType.MANAGEMENT_AREAS_MERGED,
        actor=actor,
        subject=merged,
        old={"areas": sorted(a.name for a in areas)},
        new={"area": name, "compounds": len(compound_ids), "on": on},
    )
    return merged


def current_management_area(*, compound: Compound) -> ManagementArea | None:
    membership = (
        ManagementAreaCompound.objects.current()
        .filter(compound=compound)
        .select_related("area")
        .first()
    )
    return membership.area if membership else None


@dataclass(frozen=True)
class MemberSpec:
    name: str
    role: str
    phone: str = ""
    owner: Owner | None = None


@transaction.atomic
def owners_committee_create(
    *,
    management_area: ManagementArea,
    name: str,
    term_start: dt.date,
    term_end: dt.date,
    members: Iterable[MemberSpec],
    actor: User | None,
) -> OwnersCommittee:
    """Record an elected owners' committee with its members."""
    if term_end <= term_start:
        raise ApplicationError(_("The term must end after it starts."))
    members = list(members)
    if sum(1 for m in members if m.role == "chair") > 1:
        raise ApplicationError(_("A committee has one chair."))
    if OwnersCommittee.objects.filter(management_area=management_area, status="active").exists():
        raise ApplicationError(
            _("%(area)s already has a committee in office.") % {"area": management_area.name}
        )
    committee = OwnersCommittee.objects.create(
        management_area=management_area, name=name, term_start=term_start, term_end=term_end
    )
    CommitteeMember.objects.bulk_create(
        [
            CommitteeMember(
                committee=committee, name=m.name, role=m.role, phone=m.phone, owner=m.owner
            )
            for m in members
        ]
    )
    return committee


@transaction.atomic
def committee_election_start(
    *, compounds: Sequence[Compound], on: dt.date, actor: User | None, note: str = ""
) -> CommitteeElection:
    """Mark an owners' committee (re-)election as under way for these compounds."""
    if not compounds:
        raise ApplicationError(_("Say which compounds elect the committee."))
    if CommitteeElection.objects.filter(compounds__in=compounds, ended_on__isnull=True).exists():
        raise ApplicationError(_("An election is already under way for these compounds."))
    election = CommitteeElection.objects.create(started_on=on, note=note)
    election.compounds.set(compounds)
    audit_log(
        event_type=EventType.COMMITTEE_REELECTION_STARTED,
        actor=actor,
        subject=election,
        new={"compounds": sorted(c.name for c in compounds), "on": on},
    )
    return election


@transaction.atomic
def committee_election_end(
    *, election: CommitteeElection, on: dt.date, actor: User | None
) -> CommitteeElection:
    election = CommitteeElection.objects.select_for_update().get(pk=election.pk)
    if election.ended_on is not None:
        raise ApplicationError(_("This election has already ended."))
    if on < election.started_on:
        raise ApplicationError(_("An election cannot end before it starts."))
    election.ended_on = on
    election.save(update_fields=["ended_on"])
    return election


def election_under_way(compounds) -> bool:
    return CommitteeElection.objects.filter(compounds__in=compounds, ended_on__isnull=True).exists()


@transaction.atomic
def owners_committee_dissolve(
    *, committee: OwnersCommittee, on: dt.date, actor: User | None
) -> OwnersCommittee:
    committee = OwnersCommittee.objects.select_for_update().get(pk=committee.pk)
    if committee.status != CommitteeStatus.ACTIVE:
        raise ApplicationError(_("%(name)s is not in office.") % {"name": committee.name})
    committee.status = CommitteeStatus.DISSOLVED
    committee.save(update_fields=["status"])
    return committee


@transaction.atomic
def compound_provider_set(*, compound: Compound, company, actor: User | None) -> Compound:
    """Record who serves a compound now (a custodian, or the provider under contract)."""
    compound = Compound.objects.select_for_update().get(pk=compound.pk)
    old = compound.property_company.name if compound.property_company else None
    if compound.property_company_id == getattr(company, "pk", None):
        return compound
    compound.property_company = company
    compound.save(update_fields=["property_company"])
    audit_log(
        event_type=EventType.COMPOUND_PROVIDER_CHANGED,
        actor=actor,
        subject=compound,
        old={"company": old},
        new={"company": company.name if company else None},
    )
    return compound
