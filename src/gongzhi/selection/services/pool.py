"""The pool of admitted property companies: suspensions and reinstatements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError

from ..models import (
    PoolEntry,
    PoolEntryStatus,
)

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

# --- the pool -----------------------------------------------------------------


@transaction.atomic
def pool_entry_set_status(
    *, entry: PoolEntry, status: str, reason: str, actor: User | None
) -> PoolEntry:
    """Suspend, remove or reinstate a pool entry; suspension and removal give the reason."""
    entry = PoolEntry.objects.select_for_update().get(pk=entry.pk)
    if status not in PoolEntryStatus.values:
        raise ApplicationError(_("Unknown status."))
    if status != PoolEntryStatus.ACTIVE and not reason.strip():
        raise ApplicationError(_("Suspending or removing a company from the pool needs a reason."))
    if entry.status == PoolEntryStatus.REMOVED:
        raise ApplicationError(_("A removed company is admitted again only by a new entry."))
    old = {"status": entry.status, "reason": entry.status_reason}
    entry.status, entry.status_reason = status, reason.strip()
    entry.save(update_fields=["status", "status_reason"])
    audit_log(
        event_type=EventType.POOL_ENTRY_CHANGED,
        actor=actor,
        subject=entry,
        old=old,
        new={"status": status, "reason": entry.status_reason},
    )
    return entry
