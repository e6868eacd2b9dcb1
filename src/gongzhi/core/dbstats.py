"""Planner statistics after bulk writes.

PostgreSQL plans from statistics that autovacuum refreshes only after a transaction
commits. A register frozen, a roll imported or the demo seeded inside one
transaction leaves tables the planner still believes empty, and it then joins tens of
thousands of rows by nested sequential scans (seconds instead of milliseconds).
ANALYZE is allowed inside a transaction and samples the rows the transaction itself
wrote. SQLite needs nothing here.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def refresh_statistics(*models: type[Model]) -> None:
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
