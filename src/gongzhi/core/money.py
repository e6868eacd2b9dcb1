"""Money as whole fen (1 yuan = 100 fen): parsing what people type, and writing it
back as yuan. Never a float."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .errors import ApplicationError

MAX_YUAN = Decimal("1000000000")
_PLAIN = re.compile(r"[0-9]{1,15}(\.[0-9]+)?")  # a billion yuan: more is a typing error


def parse_yuan(raw: object) -> Decimal:
    """A non-negative amount in yuan with at most two decimals ("12,000.50"), or
    ValueError. Thousands separators, ASCII or full-width, are allowed."""
    text = str(raw).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").strip()
    if not _PLAIN.fullmatch(text):  # no exponents, signs, NaN or infinity
        raise ValueError(raw)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(raw)
    return value.quantize(Decimal("0.01"))


def fen(raw: object, *, what: str, positive: bool = False) -> int:
    """Yuan as typed to whole fen; a clear error naming ``what`` otherwise. Empty is
    zero unless ``positive`` asks for more than nothing."""
    if raw in (None, ""):
        if positive:
            raise ApplicationError(_("Give the %(what)s.") % {"what": what})
        return 0
    try:
        yuan = parse_yuan(raw)
    except ValueError:
        raise ApplicationError(
            _("%(what)s: %(value)s is not an amount in yuan with at most two decimals.")
            % {"what": what, "value": str(raw)[:30]}
        ) from None
    if yuan > MAX_YUAN:
        raise ApplicationError(_("%(what)s is more than a billion yuan.") % {"what": what})
    if positive and yuan == 0:
        raise ApplicationError(_("%(what)s must be more than zero.") % {"what": what})
    return int(yuan * 100)


def yuan_text(amount_fen: int) -> str:
    """Whole fen as yuan with two decimals and no separators: 5000000 -> "50000.00"."""
    sign = "-" if amount_fen < 0 else ""
    whole, cents = divmod(abs(int(amount_fen)), 100)
    return f"{sign}{whole}.{cents:02d}"
