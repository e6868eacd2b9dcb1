"""Row locks for guarded transitions.

A transition reads the row again under ``SELECT … FOR UPDATE`` inside its
transaction, so two clerks pressing the same button one after the other see the
second refused instead of both succeeding. On SQLite every write transaction is
already exclusive (``transaction_mode = IMMEDIATE``) and the clause is ignored.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


def locked(instance: M) -> M:
    """The same row, read again and locked until the transaction ends."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)
