"""Bearer tokens for mobile clients: issued on sign-in, kept as SHA-256, expiring,
revocable from the profile."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.audit import audit_log
from gongzhi.core.errors import ApplicationError

from ..events import AccountEvent
from ..models import ApiToken, User

TOKEN_PREFIX = "gz_"  # noqa: S105 - a prefix that marks our tokens, not a secret
TOKEN_LIFETIME = dt.timedelta(days=30)
TOUCH_EVERY = dt.timedelta(minutes=5)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_issue(
    *, user: User, name: str = "", now: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``; the raw value is returned once and never stored."""
    now = clock.now(now)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=(name or "")[:60],
        key_hash=_digest(raw),
        prefix=raw[:10],
        created_at=now,
        expires_at=now + TOKEN_LIFETIME,
    )
    audit_log(
        event_type=AccountEvent.TOKEN_ISSUED,
        actor=user,
        subject=token,
        new={"prefix": token.prefix, "expires_at": token.expires_at},
    )
    return token, raw


def token_user(raw: str, *, now: dt.datetime | None = None) -> User | None:
    """The active account of an unrevoked, unexpired token, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    now = clock.now(now)
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(raw)).first()
    if token is None or not token.active(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User, now: dt.datetime | None = None) -> ApiToken:
    """Revoke one of the actor's own tokens."""
    if token.user_id != actor.pk:
        raise ApplicationError(_("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = clock.now(now)
        token.save(update_fields=["revoked_at"])
        audit_log(
            event_type=AccountEvent.TOKEN_REVOKED,
            actor=actor,
            subject=token,
            new={"prefix": token.prefix},
        )
    return token


def token_revoke_raw(*, raw: str, actor: User) -> None:
    """Revoke the token the request came with (a client signing out)."""
    token = ApiToken.objects.filter(key_hash=_digest(raw), user=actor).first()
    if token is not None:
        token_revoke(token=token, actor=actor)
