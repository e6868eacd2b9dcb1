"""The register of a decision: frozen at announcement, digested, corrected only through
the ledger; and the canvass notes kept beside it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core.dbstats import refresh_statistics
from gongzhi.core.errors import ApplicationError
from gongzhi.core.locks import locked
from gongzhi.registry.models import Owner, Ownership, Unit

from ..ledger import ledger_append
from ..models import (
    Canvass,
    CanvassStatus,
    Decision,
    DecisionStatus,
    RegisterCorrection,
    RegisterEntry,
    RegisterOwner,
)
from ..selectors import register_totals_json

if TYPE_CHECKING:
    from gongzhi.accounts.models import User


def register_freeze(decision: Decision) -> int:
    """Copy the compounds' units, areas and owners into the decision's register."""
    excluded = decision.excluded
    units = Unit.objects.filter(compound__in=decision.compounds.all()).select_related("building")
    entries = [
        RegisterEntry(
            decision=decision,
            unit_id=unit.pk,
            compound_id=unit.compound_id,
            building_name=unit.building.name if unit.building else "",
            unit_number=unit.number,
            area=unit.area,
            area_source=unit.area_source,
            status=unit.status,
            use=unit.use,
            excluded=unit.use in excluded,
        )
        for unit in units.iterator(chunk_size=5000)
    ]
    created = RegisterEntry.objects.bulk_create(entries, batch_size=2000)
    entry_of_unit = {entry.unit_id: entry.pk for entry in created}
    links = [
        RegisterOwner(
            entry_id=entry_of_unit[unit_id], owner_id=owner_id, identifier=identifier, name=name
        )
        for unit_id, owner_id, identifier, name in Ownership.objects.filter(
            unit__compound__in=decision.compounds.all()
        ).values_list("unit_id", "owner_id", "owner__identifier", "owner__name")
    ]
    RegisterOwner.objects.bulk_create(links, batch_size=2000)
    refresh_statistics(RegisterEntry, RegisterOwner)
    register_totals_store(decision)
    return len(created)


def register_totals_store(decision: Decision) -> None:
    """Count the frozen register (area and legal headcount per compound) and keep the
    figures on the decision for its register page."""
    decision.register_totals = register_totals_json(decision)
    decision.save(update_fields=["register_totals"])


# Version 2 adds each entry's compound: moving a unit between compounds changes
# per-compound tallies, so it must change the digest too.
REGISTER_DIGEST_VERSION = 2


def register_rows(decision: Decision) -> dict[int, dict]:
    """The register's counted content, entry id -> its fields (owners sorted)."""
    owners: dict[int, list[int]] = {}
    for entry_id, owner_id in RegisterOwner.objects.filter(entry__decision=decision).values_list(
        "entry_id", "owner_id"
    ):
        owners.setdefault(entry_id, []).append(owner_id)
    fields = ("pk", "unit_id", "compound_id", "area", "status", "use", "excluded")
    return {
        entry_id: {
            "unit": unit_id,
            "compound": compound_id,
            "area": area,
            "status": status,
            "use": use,
            "excluded": excluded,
            "owners": sorted(owners.get(entry_id, [])),
        }
        for entry_id, unit_id, compound_id, area, status, use, excluded in (
            decision.register.values_list(*fields)
        )
    }


def digest_of_rows(rows: Mapping[int, Mapping], version: int = REGISTER_DIGEST_VERSION) -> str:
    """SHA-256 of register rows, as the ledger records it."""
    digest = hashlib.sha256()
    for entry_id in sorted(rows):
        row = rows[entry_id]
        compound = f"{row['compound']}|" if version >= 2 else ""
        line = (
            f"{entry_id}|{row['unit']}|{compound}{Decimal(row['area']):.2f}|{row['status']}|"
            f"{row['use']}|{int(bool(row['excluded']))}|"
        )
        line += ",".join(map(str, sorted(row["owners"])))
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def register_digest(decision: Decision) -> str:
    """SHA-256 of the register's content, for the ledger."""
    return digest_of_rows(register_rows(decision))


CORRECTABLE = {"area", "status", "excluded", "owners"}


@transaction.atomic
def register_correct(
    *, entry: RegisterEntry, field: str, value, reason: str, actor: User
) -> RegisterCorrection:
    """Correct the frozen register before voting opens; the reason is recorded and shown."""
    decision = locked(entry.decision)
    if decision.status != DecisionStatus.ANNOUNCED:
        raise ApplicationError(_("The register can only be corrected before voting opens."))
    if field not in CORRECTABLE:
        raise ApplicationError(_("This field of the register cannot be corrected."))
    if not reason.strip():
        raise ApplicationError(_("A correction needs its reason."))
    entry = RegisterEntry.objects.get(pk=entry.pk)
    if field == "owners":
        old = sorted(entry.owner_links.values_list("owner_id", flat=True))
        new = sorted(set(int(v) for v in value))
        entry.owner_links.all().delete()
        RegisterOwner.objects.bulk_create(
            [
                RegisterOwner(entry=entry, owner_id=pk, identifier=identifier, name=name)
                for pk, identifier, name in Owner.objects.filter(pk__in=new).values_list(
                    "pk", "identifier", "name"
                )
            ]
        )
    else:
        old = getattr(entry, field)
        if field == "area":
            try:
                value = Decimal(str(value)).quantize(Decimal("0.01"))
            except InvalidOperation:
                raise ApplicationError(_("The area is not a number.")) from None
            if value <= 0:
                raise ApplicationError(_("The area must be greater than zero."))
        new = value
        setattr(entry, field, value)
        entry.save(update_fields=[field])
    correction = RegisterCorrection.objects.create(
        entry=entry, field=field, old_value=old, new_value=new, reason=reason.strip(), actor=actor
    )
    ledger_append(
        decision=decision,
        event="register_corrected",
        payload={"entry": entry.pk, "field": field, "old": old, "new": new, "reason": reason},
    )
    register_totals_store(decision)
    return correction


# --- canvassing -------------------------------------------------------------


@transaction.atomic
def canvass_update(*, entry: RegisterEntry, status: str, notes: str, actor: User) -> Canvass:
    """Record a door-to-door visit to a unit that has not voted."""
    if status not in CanvassStatus.values:
        raise ApplicationError(_("Unknown canvass status."))
    canvass, _created = Canvass.objects.update_or_create(
        entry=entry, defaults={"status": status, "notes": notes.strip(), "updated_by": actor}
    )
    return canvass
