"""A project's progress: the weighted mean of its items' progress. Pure and exact."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def weighted(items: Iterable[tuple[int, int]]) -> Decimal:
    """(progress 0–100, weight > 0) of each item → the project's progress, in percent
    with one decimal; 0 without items. Cancelled items are left out by the caller."""
    rows = list(items)
    total = sum(weight for _progress, weight in rows)
    if not total:
        return Decimal("0.0")
    share = Fraction(sum(progress * weight for progress, weight in rows), total)
    return (Decimal(share.numerator) / Decimal(share.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
