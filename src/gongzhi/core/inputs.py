"""Checking what people type into the services' forms: free text within its length,
and unified social credit codes. A refusal names the field, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import ApplicationError
from .identifiers import InvalidIdentifier, validate_credit_code


def clean_text(value: str | None, *, what: str, limit: int, required: bool = True) -> str:
    """``value`` stripped; refused when required and empty, or longer than ``limit``."""
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(_("Give the %(what)s.") % {"what": what})
    if len(text) > limit:
        raise ApplicationError(
            _("The %(what)s is longer than %(max)d characters.") % {"what": what, "max": limit}
        )
    return text


def credit_code(raw: str | None) -> str:
    """A unified social credit code checked to its check character (GB 32100), or ''
    when none was given."""
    if not (raw or "").strip():
        return ""
    try:
        return validate_credit_code(raw or "")
    except InvalidIdentifier as exc:
        raise ApplicationError(
            _("Unified social credit code “%(code)s”: %(problem)s")
            % {"code": (raw or "").strip()[:30], "problem": _(str(exc))}
        ) from None
