"""Who counts, and how much: total exclusive area and legal headcount.

Pure: no database and no Django. The registry's selectors and the voting tally
both stand on these functions, so the register, the drive page and the result
can never count differently.

SPC interpretation on building distinguished ownership (2020 rev.):
- Art. 8: the area is the exclusive part's registered area (else surveyed, else
  contract area); the caller passes the area it holds.
- Art. 9: one exclusive part counts as one person; one buyer with several parts
  counts as one person; the developer's unsold or undelivered parts together count
  as one person. Parts whose owner sets are identical (same co-owners, any order)
  are the same person.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Holding:
    """One exclusive part as the counting rules see it."""

    compound: Hashable
    unit: Hashable
    area: Decimal
    owners: frozenset[Hashable]
    developer_held: bool = False


@dataclass(frozen=True, slots=True)
class DeveloperPerson:
    """The developer of one compound, when its unsold units name no owner."""

    compound: Hashable


PersonKey = frozenset[Hashable] | DeveloperPerson


def person_key(holding: Holding) -> PersonKey:
    """The person a unit counts towards in headcount (SPC Art. 9)."""
    if holding.owners:
        # Same owner set, any order, is one person: one buyer with several units,
        # or the same co-owners on several units; a developer named as owner of
        # its unsold units is one person through the same rule.
        return holding.owners
    if holding.developer_held:
        # Art. 9: the developer's unsold/undelivered units together count as one;
        # where the roll names no owner, that is one person per compound.
        return DeveloperPerson(holding.compound)
    raise ValueError(f"unit {holding.unit!r} is sold but has no owner")


@dataclass
class Totals:
    """Total exclusive area, legal headcount and number of units."""

    area: Decimal = ZERO
    heads: int = 0
    units: int = 0


@dataclass
class CountResult:
    """Totals per compound and combined over all compounds counted."""

    compounds: dict[Hashable, Totals] = field(default_factory=dict)
    combined: Totals = field(default_factory=Totals)


def count(holdings: Iterable[Holding]) -> CountResult:
    """Total area and headcount per compound and combined.

    A person with units in two compounds is one person in each compound and one
    person in the combined count (docs/legal.md, the scope of a decision).
    """
    result = CountResult()
    persons_per_compound: dict[Hashable, set[PersonKey]] = {}
    persons_combined: set[PersonKey] = set()
    combined_area = ZERO
    combined_units = 0
    for holding in holdings:
        totals = result.compounds.get(holding.compound)
        if totals is None:
            totals = result.compounds[holding.compound] = Totals()
            persons_per_compound[holding.compound] = set()
        key = person_key(holding)
        totals.area += holding.area
        totals.units += 1
        persons_per_compound[holding.compound].add(key)
        persons_combined.add(key)
        combined_area += holding.area
        combined_units += 1
    for compound, persons in persons_per_compound.items():
        result.compounds[compound].heads = len(persons)
    result.combined = Totals(area=combined_area, heads=len(persons_combined), units=combined_units)
    return result
