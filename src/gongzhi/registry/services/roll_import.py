"""Importing an owners' roll: read and validate a file, then write it all or nothing."""

from __future__ import annotations

import hashlib
import hmac
import io
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, BinaryIO

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext as _

from gongzhi.core.audit import EventType, audit_event, audit_log, audit_log_many
from gongzhi.core.bulk import insert_rows
from gongzhi.core.dbstats import refresh_statistics
from gongzhi.core.errors import ApplicationError
from gongzhi.core.masking import mask_id_number, mask_name, mask_phone
from gongzhi.core.tabular import Cell, TableError, read_table

from ..models import (
    Building,
    Compound,
    Neighbourhood,
    Owner,
    Ownership,
    Unit,
)
from ..roll import AMBIGUOUS_UNIT, OwnerEntry, RollError, RollRow, parse_roll, unit_label

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

CHUNK = 2000
# New rows are written as plain values (core.bulk), in these columns' order.
OWNER_COLUMNS = (
    "sub_district",
    "identifier",
    "kind",
    "name",
    "phone",
    "id_number_hash",
    "id_number_masked",
)
UNIT_COLUMNS = ("compound", "building", "number", "area", "area_source", "status", "use")
COMPOUND_ELSEWHERE = gettext_noop("this compound belongs to %(other)s, not to %(this)s")


def id_number_hash(number: str) -> str:
    """Keyed hash of a validated ID card number: recognisable, not reversible."""
    key = settings.ID_HASH_KEY.encode()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


# --- roll import ----------------------------------------------------------


class RollImportError(ApplicationError):
    """The roll was refused as a whole; ``errors`` lists every bad row."""

    def __init__(self, message: str, errors: Sequence[RollError] = ()) -> None:
        super().__init__(message)
        self.errors = list(errors)

    def lines(self, limit: int | None = None) -> list[str]:
        """Every bad row as a sentence in the active language."""
        shown = self.errors if limit is None else self.errors[:limit]
        result = [error.text(gettext) for error in shown]
        if limit is not None and len(self.errors) > limit:
            result.append(_("… and %(count)d more") % {"count": len(self.errors) - limit})
        return result


def _refusal(name: str, errors: Sequence[RollError]) -> RollImportError:
    message = ngettext(
        "%(name)s: %(count)d problem; nothing was imported",
        "%(name)s: %(count)d problems; nothing was imported",
        len(errors),
    ) % {"name": name, "count": len(errors)}
    return RollImportError(message, errors)


@dataclass
class ImportReport:
    file_name: str
    rows: int = 0
    compounds_created: list[str] = field(default_factory=list)
    buildings_created: int = 0
    units_created: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    owners_created: int = 0
    owners_updated: int = 0
    units_not_in_file: int = 0
    dry_run: bool = False
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(
            self.compounds_created
            or self.buildings_created
            or self.units_created
            or self.units_updated
            or self.owners_created
            or self.owners_updated
        )

    def summary(self) -> str:
        if not self.changed:
            text = _("Nothing changed: all %(count)d units are already up to date.") % {
                "count": self.units_unchanged
            }
        else:
            text = _(
                "Units: %(created)d created, %(updated)d updated, %(unchanged)d unchanged. "
                "Owners: %(owners_created)d created, %(owners_updated)d updated."
            ) % {
                "created": self.units_created,
                "updated": self.units_updated,
                "unchanged": self.units_unchanged,
                "owners_created": self.owners_created,
                "owners_updated": self.owners_updated,
            }
        if self.units_not_in_file:
            text += " " + _(
                "%(count)d units in the database are not in this file; they were left as they are."
            ) % {"count": self.units_not_in_file}
        if self.dry_run:
            text += " " + _("(Check only: nothing was saved.)")
        return text


@dataclass
class RollFile:
    """A validated roll: its rows, its file name, the SHA-256 of its bytes, and the
    name the file gave each column (for messages)."""

    rows: list[RollRow]
    name: str
    sha256: str
    labels: dict[str, str] = field(default_factory=dict)


RowsWrapper = Callable[[Iterator[tuple[int, list[Cell]]], int | None], Iterator]


def roll_read(
    source: str | BinaryIO, *, name: str | None = None, rows_wrapper: RowsWrapper | None = None
) -> RollFile:
    """Read and validate a roll file; raise RollImportError listing every bad row.

    ``rows_wrapper`` wraps the row iterator, e.g. to draw a progress bar.
    """
    if isinstance(source, str):
        name = name or source.rsplit("/", 1)[-1]
        try:
            with open(source, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise RollImportError(
                _("%(name)s: cannot read the file (%(reason)s)")
                % {"name": name, "reason": exc.strerror}
            ) from exc
    else:
        data = source.read()
        name = name or str(getattr(source, "name", None) or "upload")
    try:
        table = read_table(io.BytesIO(data), name=name)
        if rows_wrapper is not None:
            table.rows = rows_wrapper(table.rows, table.total_rows)
        result = parse_roll(table)
    except TableError as exc:
        raise RollImportError(exc.text(gettext)) from exc
    if not result.ok:
        raise _refusal(name, result.errors)
    return RollFile(
        rows=result.rows,
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        labels=result.labels,
    )


@transaction.atomic
def roll_import(
    *,
    rows: list[RollRow],
    neighbourhood: Neighbourhood,
    actor: User | None,
    file_name: str = "",
    file_sha256: str = "",
    dry_run: bool = False,
    labels: dict[str, str] | None = None,
) -> ImportReport:
    """Write a validated roll into a residents' area: all or nothing.

    Units are matched by compound, building and room (a unit recorded without a
    building is matched by its room when the file now gives one), owners by their
    identifier within the sub-district. Units missing from the file are reported,
    never deleted.
    """
    report = ImportReport(file_name=file_name, rows=len(rows), dry_run=dry_run)
    report.labels = labels or {}
    sub_district = neighbourhood.sub_district
    compounds = _import_compounds(rows, neighbourhood, actor, report)
    buildings = _import_buildings(rows, compounds, report)
    owner_ids = _import_owners(rows, sub_district, actor, report)
    _import_units(rows, compounds, buildings, owner_ids, actor, report)
    if report.changed and not dry_run:
        refresh_statistics(Building, Owner, Unit, Ownership)
        audit_log(
            event_type=EventType.ROLL_IMPORTED,
            actor=actor,
            subject=neighbourhood,
            new={
                "file": file_name,
                "sha256": file_sha256,
                "rows": report.rows,
                "units_created": report.units_created,
                "units_updated": report.units_updated,
                "units_unchanged": report.units_unchanged,
                "owners_created": report.owners_created,
                "owners_updated": report.owners_updated,
            },
        )
    if dry_run:
        transaction.set_rollback(True)
    return report


def _import_compounds(rows, neighbourhood, actor: User | None, report) -> dict[str, Compound]:
    names: dict[str, int] = {}
    for row in rows:
        names.setdefault(row.compound, row.row)
    existing = {
        c.name: c for c in Compound.objects.filter(neighbourhood=neighbourhood, name__in=names)
    }
    elsewhere = {
        c.name: c
        for c in Compound.objects.filter(
            neighbourhood__sub_district=neighbourhood.sub_district, name__in=names
        )
        .exclude(neighbourhood=neighbourhood)
        .select_related("neighbourhood")
    }
    errors = [
        RollError(
            first_row,
            report.labels.get("compound", "compound"),
            name,
            COMPOUND_ELSEWHERE,
            (("other", elsewhere[name].neighbourhood.name), ("this", neighbourhood.name)),
        )
        for name, first_row in names.items()
        if name not in existing and name in elsewhere
    ]
    if errors:
        raise _refusal(report.file_name, errors)
    for name in names:
        if name not in existing:
            compound = Compound.objects.create(neighbourhood=neighbourhood, name=name)
            existing[name] = compound
            report.compounds_created.append(name)
            audit_log(
                event_type=EventType.COMPOUND_CREATED,
                actor=actor,
                subject=compound,
                new={"name": name, "neighbourhood": neighbourhood.name},
            )
    return existing


def _import_buildings(rows, compounds, report) -> dict[tuple[int, str], int]:
    wanted = {(compounds[row.compound].pk, row.building) for row in rows if row.building}
    known = {
        (compound_id, name): pk
        for pk, compound_id, name in Building.objects.filter(
            compound_id__in=[c.pk for c in compounds.values()]
        ).values_list("pk", "compound_id", "name")
    }
    missing = [
        Building(compound_id=cid, name=name) for cid, name in wanted if (cid, name) not in known
    ]
    if missing:
        for building in Building.objects.bulk_create(missing, batch_size=CHUNK):
            known[(building.compound_id, building.name)] = building.pk
        report.buildings_created = len(missing)
    return known


def _import_owners(rows, sub_district, actor: User | None, report) -> dict[str, int]:
    """Create new owners, update changed ones; return identifier -> pk."""
    entries: dict[str, OwnerEntry] = {}
    for row in rows:
        for entry in row.owners:
            merged = entries.get(entry.identifier)
            if merged is None:
                entries[entry.identifier] = entry
            else:  # a later row may carry a value the first left empty
                entries[entry.identifier] = OwnerEntry(
                    identifier=entry.identifier,
                    name=merged.name or entry.name,
                    phone=merged.phone or entry.phone,
                    id_number=merged.id_number or entry.id_number,
                    kind=entry.kind if entry.kind != "person" else merged.kind,
                )
    existing = {
        owner.identifier: owner
        for owner in Owner.objects.filter(sub_district=sub_district).only(
            "pk", "identifier", "kind", "name", "phone", "id_number_hash", "id_number_masked"
        )
    }
    to_create: list[tuple[int, str, str, str, str, str, str]] = []
    to_update: list[Owner] = []
    events = []
    owner_type = ContentType.objects.get_for_model(Owner)
    for identifier, entry in entries.items():
        hashed = id_number_hash(entry.id_number) if entry.id_number else ""
        masked = mask_id_number(entry.id_number) if entry.id_number else ""
        owner = existing.get(identifier)
        if owner is None:
            to_create.append(
                (sub_district.pk, identifier, entry.kind, entry.name, entry.phone, hashed, masked)
            )
            continue
        old, new = {}, {}
        # Empty cells in the file say nothing: they never erase what is known.
        if entry.name and entry.name != owner.name:
            old["name"], new["name"] = mask_name(owner.name), mask_name(entry.name)
            owner.name = entry.name
        if entry.phone and entry.phone != owner.phone:
            old["phone"], new["phone"] = mask_phone(owner.phone), mask_phone(entry.phone)
            owner.phone = entry.phone
        if hashed and hashed != owner.id_number_hash:
            old["id_number"], new["id_number"] = owner.id_number_masked, masked
            owner.id_number_hash, owner.id_number_masked = hashed, masked
        if entry.kind != "person" and entry.kind != owner.kind:
            old["kind"], new["kind"] = owner.kind, entry.kind
            owner.kind = entry.kind
        if new:
            to_update.append(owner)
            events.append(
                audit_event(
                    event_type=EventType.OWNER_CHANGED,
                    actor=actor,
                    subject_type=owner_type,
                    subject_id=owner.pk,
                    subject_label=owner.identifier,
                    old=old,
                    new=new,
                )
            )
    created_ids: dict[str, int] = {}
    if to_create:
        ids = insert_rows(Owner, OWNER_COLUMNS, to_create)
        created_ids = {row[1]: pk for row, pk in zip(to_create, ids, strict=True)}
    if to_update:
        Owner.objects.bulk_update(
            to_update,
            ["name", "phone", "id_number_hash", "id_number_masked", "kind"],
            batch_size=CHUNK,
        )
        audit_log_many(events)
    report.owners_created = len(to_create)
    report.owners_updated = len(to_update)
    return {identifier: owner.pk for identifier, owner in existing.items()} | created_ids


def _existing_units(compound_ids) -> tuple[dict[tuple[int, str, str], Unit], dict]:
    """The compounds' units by (compound, building name, room), and by (compound, room)
    the units of each room number, to match a row that names no building or a unit
    recorded without one."""
    building_names = dict(
        Building.objects.filter(compound_id__in=compound_ids).values_list("pk", "name")
    )
    by_key: dict[tuple[int, str, str], Unit] = {}
    by_room: dict[tuple[int, str], list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(compound_id__in=compound_ids).only(
        "pk", "compound_id", "building_id", "number", "area", "area_source", "status", "use"
    ):
        name = building_names.get(unit.building_id, "") if unit.building_id else ""
        by_key[(unit.compound_id, name, unit.number)] = unit
        by_room[(unit.compound_id, unit.number)].append(unit)
    return by_key, by_room


def _match_unit(
    row, compound, by_key, by_room, matched: set[int], file_name: str, labels
) -> Unit | None:
    """The recorded unit a row means, or None for a new one; RollImportError when a
    row without a building names a room several buildings have."""
    unit = by_key.get((compound.pk, row.building, row.unit))
    if unit is not None:
        return unit
    candidates = [u for u in by_room.get((compound.pk, row.unit), []) if u.pk not in matched]
    if row.building:
        # recorded without a building, the file now gives it
        unbuilt = [u for u in candidates if u.building_id is None]
        return unbuilt[0] if len(unbuilt) == 1 else None
    if len(candidates) == 1:
        return candidates[0]  # the file gives no building: the room is unique
    if len(candidates) > 1:
        raise _refusal(
            file_name,
            [
                RollError(
                    row.row,
                    labels.get("unit", "unit"),
                    row.unit,
                    AMBIGUOUS_UNIT,
                    (("unit", row.unit), ("compound", compound.name)),
                    unit=row.unit,
                )
            ],
        )
    return None


def _import_units(rows, compounds, buildings, owner_ids, actor: User | None, report) -> None:
    compound_ids = [c.pk for c in compounds.values()]
    by_key, by_room = _existing_units(compound_ids)
    matched: set[int] = set()
    current_owners: dict[int, set[int]] = defaultdict(set)
    for unit_id, owner_id in (
        Ownership.objects.filter(unit__compound_id__in=compound_ids)
        .values_list("unit_id", "owner_id")
        .iterator(chunk_size=CHUNK)
    ):
        current_owners[unit_id].add(owner_id)

    to_create: list[tuple[int, int | None, str, Decimal, str, str, str]] = []
    create_owners: list[set[int]] = []
    to_update: list[Unit] = []
    owners_changed: dict[int, set[int]] = {}
    events = []
    unit_type = ContentType.objects.get_for_model(Unit)
    seen: set[int] = set()
    for row in rows:
        compound = compounds[row.compound]
        building_id = buildings.get((compound.pk, row.building)) if row.building else None
        wanted_owners = {owner_ids[entry.identifier] for entry in row.owners}
        unit = _match_unit(row, compound, by_key, by_room, matched, report.file_name, report.labels)
        if unit is None:
            to_create.append(
                (
                    compound.pk,
                    building_id,
                    row.unit,
                    row.area,
                    row.area_source,
                    row.status,
                    row.use,
                )
            )
            create_owners.append(wanted_owners)
            continue
        seen.add(unit.pk)
        matched.add(unit.pk)
        old, new = {}, {}
        # an empty building cell says nothing: it never takes a unit out of its building
        for attribute, value in (
            ("building_id", building_id or unit.building_id),
            ("area", row.area),
            ("area_source", row.area_source),
            ("status", row.status),
            ("use", row.use),
        ):
            current = getattr(unit, attribute)
            if isinstance(value, Decimal):
                differs = Decimal(current) != value
            else:
                differs = current != value
            if differs:
                old[attribute], new[attribute] = current, value
                setattr(unit, attribute, value)
        if current_owners.get(unit.pk, set()) != wanted_owners:
            old["owners"] = sorted(current_owners.get(unit.pk, set()))
            new["owners"] = sorted(wanted_owners)
            owners_changed[unit.pk] = wanted_owners
        if new:
            to_update.append(unit)
            events.append(
                audit_event(
                    event_type=EventType.UNIT_CHANGED,
                    actor=actor,
                    subject_type=unit_type,
                    subject_id=unit.pk,
                    subject_label=f"{compound.name} {unit_label(row.building, unit.number)}",
                    old=old,
                    new=new,
                )
            )
        else:
            report.units_unchanged += 1

    ownerships: list[tuple[int, int]] = []
    if to_create:
        created = insert_rows(Unit, UNIT_COLUMNS, to_create)
        for unit_id, owners in zip(created, create_owners, strict=True):
            ownerships.extend((unit_id, o) for o in owners)
    if to_update:
        Unit.objects.bulk_update(
            to_update, ["building_id", "area", "area_source", "status", "use"], batch_size=CHUNK
        )
        audit_log_many(events)
    if owners_changed:
        changed_ids = list(owners_changed)
        for start in range(0, len(changed_ids), CHUNK):
            Ownership.objects.filter(unit_id__in=changed_ids[start : start + CHUNK]).delete()
        for unit_id, owners in owners_changed.items():
            ownerships.extend((unit_id, o) for o in owners)
    if ownerships:
        insert_rows(Ownership, ("unit", "owner"), ownerships)
    report.units_created = len(to_create)
    report.units_updated = len(to_update)
    report.units_not_in_file = sum(1 for unit in by_key.values() if unit.pk not in seen)
