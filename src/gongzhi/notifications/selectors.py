"""Reads for messages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Kind, Notification, Preference


def inbox(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def preferences(user: Any) -> list[tuple[str, Any, bool, bool]]:
    """(kind, label, sms, email) for every kind, with the defaults where not chosen."""
    from .models import DEFAULT_EMAIL, DEFAULT_SMS

    chosen = {p.kind: p for p in Preference.objects.filter(user=user)}
    rows = []
    for kind in Kind:
        preference = chosen.get(kind.value)
        if preference is None:
            rows.append((kind.value, kind.label, kind in DEFAULT_SMS, kind in DEFAULT_EMAIL))
        else:
            rows.append((kind.value, kind.label, preference.sms, preference.email))
    return rows
