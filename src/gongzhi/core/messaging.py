"""Sending an SMS or an e-mail, through the backend the settings choose.

SMS (``GONGZHI_SMS_BACKEND``):

- ``file`` (the default): appends one JSON line ``{"to", "text", "at"}`` per message
  to ``$GONGZHI_DATA_DIR/outbox/sms.jsonl``. Development, the demo and the tests read
  the codes there; an office without a gateway yet can print it.
- ``console``: writes the same line to standard output.
- ``webhook``: POSTs the same JSON to the operator's SMS gateway
  (``GONGZHI_SMS_WEBHOOK_URL``), signed so that the gateway can refuse anything that
  does not come from us: ``X-Gongzhi-Timestamp`` (Unix seconds) and
  ``X-Gongzhi-Signature: sha256=<hex>``, the HMAC-SHA256 with
  ``GONGZHI_SMS_WEBHOOK_SECRET`` of ``"<timestamp>.<body>"``. Any 2xx answer is
  success; anything else, or no answer within 10 seconds, is a failure the caller
  may retry.

E-mail goes through Django's own backends (``GONGZHI_EMAIL_BACKEND``: ``smtp`` for
real, ``console``, or ``file``, which appends ``{"to", "subject", "text", "at"}`` to
``outbox/email.jsonl``).

This module is plumbing: it knows phone numbers and addresses, not people. The
``notifications`` app decides who gets what, and keeps the delivery log.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

SMS_BACKENDS = ("file", "console", "webhook")
WEBHOOK_TIMEOUT = 10


class MessageNotSent(Exception):
    """The message did not go out; the reason is for the delivery log."""


def _line(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def append_line(path: Path, payload: dict[str, Any]) -> None:
    """Append one JSON line, whole, even with several processes writing at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.write(_line(payload) + "\n")
            handle.flush()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sms_outbox() -> Path:
    return Path(settings.OUTBOX_DIR) / "sms.jsonl"


def email_outbox() -> Path:
    return Path(settings.OUTBOX_DIR) / "email.jsonl"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The webhook's signature header value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def send_sms(to: str, text: str, *, at: dt.datetime | None = None) -> None:
    """Send one SMS; raise ``MessageNotSent`` when it did not go out."""
    payload = {"to": to, "text": text, "at": (at or timezone.now()).isoformat()}
    backend = settings.SMS_BACKEND
    if backend == "file":
        try:
            append_line(sms_outbox(), payload)
        except OSError as exc:
            raise MessageNotSent(f"outbox not writable: {exc}") from exc
    elif backend == "console":
        sys.stdout.write(_line(payload) + "\n")
        sys.stdout.flush()
    elif backend == "webhook":
        _post_webhook(payload)
    else:
        raise MessageNotSent(f"unknown SMS backend {backend!r}")


def _post_webhook(payload: dict[str, Any]) -> None:
    url, secret = settings.SMS_WEBHOOK_URL, settings.SMS_WEBHOOK_SECRET
    if not url.startswith(("https://", "http://")) or not secret:
        raise MessageNotSent("GONGZHI_SMS_WEBHOOK_URL and GONGZHI_SMS_WEBHOOK_SECRET are needed")
    body = _line(payload).encode("utf-8")
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the operator's configured gateway
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Gongzhi-Timestamp": timestamp,
            "X-Gongzhi-Signature": signature(secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        raise MessageNotSent(f"gateway answered {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise MessageNotSent(f"gateway unreachable: {exc}") from exc
    if not 200 <= status < 300:
        raise MessageNotSent(f"gateway answered {status}")


def send_email(to: str, subject: str, text: str) -> None:
    """Send one e-mail through Django's configured backend."""
    try:
        sent = EmailMessage(subject=subject, body=text, to=[to]).send()
    except Exception as exc:  # SMTP and socket errors of every kind
        raise MessageNotSent(f"e-mail not sent: {exc}") from exc
    if not sent:
        raise MessageNotSent("e-mail not sent")


class JsonLinesEmailBackend(BaseEmailBackend):
    """Django e-mail backend appending each message to ``outbox/email.jsonl``."""

    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            for recipient in message.recipients():
                append_line(
                    email_outbox(),
                    {
                        "to": recipient,
                        "subject": str(message.subject),
                        "text": str(message.body),
                        "at": timezone.now().isoformat(),
                    },
                )
            count += 1
        return count
