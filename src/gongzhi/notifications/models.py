"""Messages to people: an inbox for everyone, and SMS and e-mail as each person chooses.

A ``Notification`` is one message in one person's inbox, written once per event
(``event_key``): the same event never reaches the same person twice. A ``Delivery``
is one SMS or e-mail on its way out — of a notification, or a code sent to a phone
number before any account exists — with its attempts and the last error: the
delivery log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """Kinds of message; each person chooses the channels of each kind."""

    ACCOUNT = "account", _("invitations and account security")
    VOTE = "vote", _("owners' decisions: votes opening and closing, receipts, objections")
    NOTICE = "notice", _("public notices and answers to opinions")
    MEETING = "meeting", _("meetings and action items")
    SELECTION = "selection", _("custody and provider selection")
    SERVICE = "service", _("service requests")
    BUSINESS = "business", _("agreements, certificates and the foundation's disclosures")


# The channels a kind uses when a person has not chosen: the inbox always; SMS for what
# must not be missed; e-mail wherever a person gave an address.
DEFAULT_SMS = {Kind.ACCOUNT, Kind.VOTE}
DEFAULT_EMAIL = {
    Kind.ACCOUNT,
    Kind.VOTE,
    Kind.NOTICE,
    Kind.MEETING,
    Kind.SELECTION,
    Kind.SERVICE,
    Kind.BUSINESS,
}


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    event_key = models.CharField(_("event"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event_key"], name="notification_once")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("e-mail")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    GIVEN_UP = "given_up", _("not delivered")


class Delivery(models.Model):
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("message"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    to = models.CharField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    event_key = models.CharField(_("event"), max_length=160, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("delivery log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.event_key}"


class Preference(models.Model):
    """A person's channels for one kind of message (the inbox is always on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preferences"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sms = models.BooleanField(_("SMS"), default=False)
    email = models.BooleanField(_("e-mail"), default=False)

    class Meta:
        verbose_name = _("message preference")
        verbose_name_plural = _("message preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"
