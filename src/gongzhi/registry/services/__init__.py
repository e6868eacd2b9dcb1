"""Writes for the registry, by topic: the roll import (``roll_import``), and the
governance of the territory — sub-districts and residents' areas set up from
nothing, management areas, owners' committees (``governance``)."""

from .governance import (
    AreaSetUp,
    MemberSpec,
    area_create,
    committee_election_end,
    committee_election_start,
    compound_provider_set,
    current_management_area,
    election_under_way,
    management_area_establish,
    management_areas_merge,
    owners_committee_create,
    owners_committee_dissolve,
)
from .roll_import import (
    COMPOUND_ELSEWHERE,
    ImportReport,
    RollFile,
    RollImportError,
    id_number_hash,
    roll_import,
    roll_read,
)

__all__ = [
    "AreaSetUp",
    "COMPOUND_ELSEWHERE",
    "area_create",
    "ImportReport",
    "MemberSpec",
    "RollFile",
    "RollImportError",
    "committee_election_end",
    "committee_election_start",
    "compound_provider_set",
    "current_management_area",
    "election_under_way",
    "id_number_hash",
    "management_area_establish",
    "management_areas_merge",
    "owners_committee_create",
    "owners_committee_dissolve",
    "roll_import",
    "roll_read",
]
