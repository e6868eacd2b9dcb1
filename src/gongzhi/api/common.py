"""What every router answers with when it refuses."""

from __future__ import annotations

from ninja import Schema, Status

from gongzhi.core.errors import ApplicationError, PermissionRefused, RateLimited


class Refusal(Schema):
    detail: str


def refused(exc: ApplicationError) -> Status:
    """429 over a rate limit, 403 when the user may not do it, 400 when the input is
    wrong; the reason either way."""
    if isinstance(exc, RateLimited):
        return Status(429, {"detail": exc.message})
    return Status(403 if isinstance(exc, PermissionRefused) else 400, {"detail": exc.message})
