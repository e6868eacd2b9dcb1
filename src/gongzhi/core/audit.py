"""Writing audit events. Every service that changes state calls ``audit_log``."""

from __future__ import annotations

import enum
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from .models import AuditEvent, EventType

__all__ = [
    "EventType",
    "audit_event",
    "audit_events_for",
    "audit_log",
    "audit_log_many",
    "event_label",
    "register_events",
]

_labels: dict[int, Any] = {}


def register_events(events: type[models.IntegerChoices]) -> type[models.IntegerChoices]:
    """Make an app's numbered events known (for their labels); a number used twice is
    a configuration error, found when the app loads."""
    for member in events:
        number = int(member.value)
        known = _labels.get(number)
        if known is not None and known is not member.label:
            raise ImproperlyConfigured(f"audit event number {number} is used twice")
        _labels[number] = member.label
    return events


def event_label(number: int) -> str:
    """The label of an event number, in the active language."""
    label = _labels.get(int(number))
    return str(label) if label is not None else str(number)


register_events(EventType)


def audit_log(
    *,
    event_type: enum.IntEnum | int,
    actor: Any | None,
    subject: models.Model | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event; the acting user may be None for system actions."""
    event = AuditEvent(
        event_type=event_type,
        actor=actor if actor is not None and actor.is_authenticated else None,
        old=old or {},
        new=new or {},
    )
    if subject is not None:
        event.subject_type = ContentType.objects.get_for_model(subject)
        event.subject_id = str(subject.pk)
        event.subject_label = str(subject)[:255]
    event.save()
    return event


def audit_events_for(subject: models.Model) -> models.QuerySet[AuditEvent]:
    """The audit trail of one object, newest first."""
    return AuditEvent.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    )


def audit_event(
    *,
    event_type: enum.IntEnum | int,
    actor: Any | None,
    subject_type: ContentType | None = None,
    subject_id: Any = "",
    subject_label: str = "",
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> AuditEvent:
    """An unsaved event, for services that write many at once with ``audit_log_many``."""
    return AuditEvent(
        event_type=event_type,
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject_type=subject_type,
        subject_id=str(subject_id),
        subject_label=subject_label[:255],
        old=old or {},
        new=new or {},
    )


def audit_log_many(events: list[AuditEvent]) -> None:
    """Append many audit events in one statement."""
    AuditEvent.objects.bulk_create(events, batch_size=2000)
