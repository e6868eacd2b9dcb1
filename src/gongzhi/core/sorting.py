"""Ordering labels as people read them: 2号楼 before 10号楼, 1-201 before 1-1001."""

from __future__ import annotations

import re

_PARTS = re.compile(r"(\d+)")


def natural_key(label: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that compares runs of digits as numbers."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in _PARTS.split(label) if part
    )
