"""Six-digit codes sent by SMS: claims, activation, sign-in, password reset, a new
mobile number.

A code is random, stored as a keyed hash (HMAC with the secret key), valid for ten
minutes and once, and locked after five wrong tries; asking again replaces it. Both
sending and checking are counted against per-phone and per-address limits *before*
anything is looked up or compared (``core.ratelimit``). The SMS itself goes out
through the delivery log in the background (``notifications.send_direct``), so the
answer to the request takes the same time whether a code was sent or not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.core import clock, ratelimit
from gongzhi.core.audit import audit_log
from gongzhi.core.errors import ApplicationError
from gongzhi.core.identifiers import InvalidIdentifier, normalise_mobile
from gongzhi.notifications.services import composed, send_direct

from ..events import AccountEvent
from ..models import CodePurpose, PhoneCode

CODE_DIGITS = 6
CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_WRONG_TRIES = 5

MESSAGE_CODE_INVALID = gettext_noop("The code is wrong or has expired. Ask for a new one.")
MESSAGE_CODE_LOCKED = gettext_noop("This code was entered wrongly too often. Ask for a new one.")


def mobile(value: str) -> str:
    """A normalised mainland mobile number, or a refusal saying what is wrong."""
    try:
        return normalise_mobile(value)
    except InvalidIdentifier as exc:
        raise ApplicationError(
            _("“%(value)s” is not a mainland mobile number (11 digits starting with 1).")
            % {"value": (value or "")[:20]}
        ) from exc


def _hash(phone: str, purpose: str, code: str) -> str:
    message = f"{phone}\x00{purpose}\x00{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _sms(purpose: str, code: str) -> str:
    with composed():
        texts = {
            CodePurpose.CLAIM: _(
                "Your code to claim your home is %(code)s, valid for 10 minutes. "
                "If you did not ask for it, ignore this message."
            ),
            CodePurpose.ACTIVATION: _(
                "Your activation code is %(code)s, valid for 10 minutes. "
                "If you did not ask for it, ignore this message."
            ),
            CodePurpose.SIGN_IN: _(
                "Your sign-in code is %(code)s, valid for 10 minutes. Never tell anyone."
            ),
            CodePurpose.RESET: _(
                "Your code to reset your password is %(code)s, valid for 10 minutes. "
                "If you did not ask for it, ignore this message."
            ),
            CodePurpose.PHONE_CHANGE: _(
                "Your code to confirm this mobile number is %(code)s, valid for 10 minutes."
            ),
        }
        return texts[CodePurpose(purpose)] % {"code": code}


def sending_limits(*, phone: str, address: str, purpose: str) -> None:
    """Count a request for a code by phone and by address before anything is looked
    up; over a limit refuse. Claims: 5 an hour each (the issue's limit); other
    codes: 5 an hour per phone, 20 per address."""
    limits = settings.CODE_RATE_LIMITS[
        "claim" if purpose in (CodePurpose.CLAIM, CodePurpose.ACTIVATION) else "other"
    ]
    window = limits["window_seconds"]
    ratelimit.require(f"code-send-{purpose}-phone", phone, limit=limits["per_phone"], window=window)
    ratelimit.require(
        f"code-send-{purpose}-addr", address, limit=limits["per_address"], window=window
    )


@transaction.atomic
def code_issue(
    *,
    phone: str,
    purpose: str,
    payload: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> PhoneCode:
    """Send a new code for ``purpose`` to ``phone`` (replacing an earlier one)."""
    now = clock.now(now)
    PhoneCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).update(used_at=now)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    record = PhoneCode.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=_hash(phone, purpose, code),
        payload=payload or {},
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    send_direct(phone=phone, text=_sms(purpose, code), event_key=f"code:{record.pk}", now=now)
    return record


def code_check(
    *,
    phone: str,
    purpose: str,
    code: str,
    address: str,
    now: dt.datetime | None = None,
) -> PhoneCode:
    """The valid code ``code`` of ``phone`` for ``purpose``, now used; or a refusal.

    A wrong code counts against the code (locked at five) and against the phone and
    the address; the count is kept even though the caller is refused, so this must
    not run inside a transaction that the refusal rolls back."""
    now = clock.now(now)
    limits = settings.CODE_RATE_LIMITS["check"]
    ratelimit.require(
        "code-check-phone", phone, limit=limits["per_phone"], window=limits["window_seconds"]
    )
    ratelimit.require(
        "code-check-addr", address, limit=limits["per_address"], window=limits["window_seconds"]
    )
    refusal = None
    with transaction.atomic():
        record = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        given = "".join((code or "").split())
        if record is None:
            refusal = _(MESSAGE_CODE_INVALID)
        elif record.attempts >= MAX_WRONG_TRIES:
            refusal = _(MESSAGE_CODE_LOCKED)
        elif not hmac.compare_digest(record.code_hash, _hash(phone, purpose, given)):
            record.attempts += 1
            record.save(update_fields=["attempts"])
            if record.attempts >= MAX_WRONG_TRIES:
                audit_log(
                    event_type=AccountEvent.CODE_LOCKED,
                    actor=None,
                    subject=record,
                    new={"purpose": purpose},
                )
                refusal = _(MESSAGE_CODE_LOCKED)
            else:
                refusal = _(MESSAGE_CODE_INVALID)
        else:
            record.used_at = now
            record.save(update_fields=["used_at"])
    if refusal is not None:
        raise ApplicationError(refusal)
    ratelimit.refund("code-check-phone", phone)
    ratelimit.refund("code-check-addr", address)
    assert record is not None  # noqa: S101 - refused above otherwise
    return record
