"""Telling people: the inbox, and SMS and e-mail through the delivery log.

``notify`` writes one inbox message per person and event (never two), and queues
the SMS and e-mails each person's preferences ask for. ``send_direct`` queues an SMS
to a phone number that may belong to nobody yet (claims, sign-in and reset codes,
invitations).
Nothing is sent inside the caller's transaction: the deliveries are rows, and the
background worker sends them once it commits, retrying failures after 1, 5, 30
minutes, 2 and 12 hours before giving up (``settings.MESSAGE_RETRY_MINUTES``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from gongzhi.core import clock
from gongzhi.core.errors import ApplicationError
from gongzhi.core.messaging import MessageNotSent, send_email, send_sms

from .models import (
    DEFAULT_EMAIL,
    DEFAULT_SMS,
    Channel,
    Delivery,
    DeliveryStatus,
    Kind,
    Notification,
    Preference,
)

logger = logging.getLogger(__name__)
SMS_MAX_CHARS = 200  # at most three SMS segments of Chinese text, the link included
CHUNK = 1000


@contextlib.contextmanager
def composed() -> Iterator[None]:
    """Compose messages in the platform's language (Chinese unless configured)."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def sms_text(text: str) -> str:
    """An SMS as sent: the signature first (【共治】), short."""
    signed = f"【{settings.SMS_SIGNATURE}】{text}"
    if len(signed) > SMS_MAX_CHARS:
        raise ApplicationError(
            _("The SMS is longer than %(max)d characters.") % {"max": SMS_MAX_CHARS}
        )
    return signed


def absolute(url: str) -> str:
    """A link for a message read outside the site."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.BASE_URL + url


def channels_for(users: list[Any], kind: str) -> dict[int, tuple[bool, bool]]:
    """(sms, email) per user id for a kind: the person's choice, else the default."""
    chosen = {
        user_id: (sms, email)
        for user_id, sms, email in Preference.objects.filter(
            user__in=[user.pk for user in users], kind=kind
        ).values_list("user_id", "sms", "email")
    }
    default = (kind in DEFAULT_SMS, kind in DEFAULT_EMAIL)
    return {user.pk: chosen.get(user.pk, default) for user in users}


def notify(
    *,
    users: Iterable[Any],
    kind: str,
    event_key: str,
    title: str,
    body: str = "",
    url: str = "",
    sms: str = "",
    now: dt.datetime | None = None,
) -> int:
    """Put a message in each person's inbox, once per event, and queue the SMS (when
    ``sms`` is given and the person wants SMS of this kind) and e-mail. Returns how
    many people were told for the first time."""
    now = clock.now(now)
    people = {user.pk: user for user in users if user is not None and user.is_active}
    if not people:
        return 0
    already = set(
        Notification.objects.filter(user__in=list(people), event_key=event_key).values_list(
            "user_id", flat=True
        )
    )
    new = [user for pk, user in people.items() if pk not in already]
    if not new:
        return 0
    Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                kind=kind,
                event_key=event_key,
                title=title[:200],
                body=body,
                url=url[:300],
            )
            for user in new
        ],
        batch_size=CHUNK,
        ignore_conflicts=True,  # a concurrent notify of the same event wrote it first
    )
    created = dict(
        Notification.objects.filter(
            user__in=[user.pk for user in new], event_key=event_key
        ).values_list("user_id", "pk")
    )
    wanted = channels_for(new, kind)
    signed = sms_text(sms) if sms else ""
    link = absolute(url)
    deliveries = []
    for user in new:
        notification_id = created.get(user.pk)
        if notification_id is None:
            continue
        wants_sms, wants_email = wanted[user.pk]
        if signed and wants_sms and user.phone:
            deliveries.append(
                Delivery(
                    notification_id=notification_id,
                    channel=Channel.SMS,
                    to=user.phone,
                    text=signed,
                    event_key=f"n{notification_id}:sms",
                    next_attempt_at=now,
                )
            )
        if wants_email and user.email:
            deliveries.append(
                Delivery(
                    notification_id=notification_id,
                    channel=Channel.EMAIL,
                    to=user.email,
                    subject=title[:200],
                    text="\n\n".join(part for part in (body, link) if part),
                    event_key=f"n{notification_id}:email",
                    next_attempt_at=now,
                )
            )
    if deliveries:
        Delivery.objects.bulk_create(deliveries, batch_size=CHUNK, ignore_conflicts=True)
        _send_after_commit()
    return len(created)


def send_direct(*, phone: str, text: str, event_key: str, now: dt.datetime | None = None) -> None:
    """Queue one SMS to a phone number, whatever anyone's preferences: a claim,
    sign-in or reset code, an invitation."""
    try:
        with transaction.atomic():
            Delivery.objects.create(
                channel=Channel.SMS,
                to=phone,
                text=sms_text(text),
                event_key=event_key,
                next_attempt_at=clock.now(now),
            )
    except IntegrityError:
        return  # this code was queued already
    _send_after_commit()


def _send_after_commit() -> None:
    """Queue the sending in the caller's transaction: the worker sees the task, like the
    deliveries, only once the transaction commits, and never if it rolls back."""
    deliveries_send.enqueue()


@task()
def deliveries_send() -> int:
    """The worker's task: send what is due now. Retries that fall due later are sent by
    the worker's periodic check (``notifications/periodic.py``)."""
    return send_due()


def send_due(now: dt.datetime | None = None, *, limit: int = 5000) -> int:
    """Send every delivery that is due, each claimed first so that two workers never
    send the same one; a failure is tried again later, and given up after the last
    retry. Returns how many were sent."""
    now = clock.now(now)
    retries = settings.MESSAGE_RETRY_MINUTES
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in due:
        claimed = Delivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1
        )
        if not claimed:
            continue  # another worker has it
        delivery = Delivery.objects.get(pk=pk)
        try:
            if delivery.channel == Channel.SMS:
                send_sms(delivery.to, delivery.text)
            else:
                send_email(delivery.to, delivery.subject, delivery.text)
        except MessageNotSent as exc:
            delivery.last_error = str(exc)[:300]
            if delivery.attempts > len(retries):
                delivery.status = DeliveryStatus.GIVEN_UP
            else:
                delivery.status = DeliveryStatus.PENDING
                delivery.next_attempt_at = now + dt.timedelta(
                    minutes=retries[delivery.attempts - 1]
                )
            delivery.save(update_fields=["status", "last_error", "next_attempt_at"])
            logger.warning("delivery %s failed: %s", delivery.pk, delivery.last_error)
            continue
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
        delivery.save(update_fields=["status", "sent_at", "last_error"])
        sent += 1
    return sent


@transaction.atomic
def notification_read(*, notification: Notification, user: Any) -> Notification:
    """Mark one of the user's own messages read."""
    if notification.user_id != user.pk:
        raise ApplicationError(_("This message is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_read_all(*, user: Any) -> int:
    """Mark all of the user's messages read."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_set(*, user: Any, choices: dict[str, tuple[bool, bool]]) -> None:
    """Set the person's (sms, email) choice per kind of message."""
    for kind, (sms, email) in choices.items():
        if kind not in Kind.values:
            raise ApplicationError(_("Unknown kind of message."))
        Preference.objects.update_or_create(
            user=user, kind=kind, defaults={"sms": bool(sms), "email": bool(email)}
        )
