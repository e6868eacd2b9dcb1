"""Reading what the file backends sent, as a person reads their phone."""

from __future__ import annotations

import json
import re

from gongzhi.core.messaging import sms_outbox
from gongzhi.core.tests.queue import drain


def sms_sent(phone: str | None = None) -> list[dict]:
    """Every SMS in the outbox (to ``phone``), after running the queue."""
    drain()
    path = sms_outbox()
    if not path.exists():
        return []
    messages = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [m for m in messages if phone is None or m["to"] == phone]


def last_code(phone: str) -> str:
    """The six-digit code of the last SMS to ``phone``."""
    texts = [m["text"] for m in sms_sent(phone)]
    assert texts, f"no SMS to {phone}"
    found = re.search(r"\b(\d{6})\b", texts[-1])
    assert found, texts[-1]
    return found.group(1)


def last_link(phone: str) -> str:
    """The path of the last link sent to ``phone``."""
    texts = [m["text"] for m in sms_sent(phone)]
    found = re.search(r"https?://[^/\s]+(/\S+)", texts[-1])
    assert found, texts[-1]
    return found.group(1)
