"""Users and memberships: who acts for which organisation or compound; the codes
sent to mobiles, and the tokens of mobile clients."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: by mobile number (or user name) and password, or by a
    code sent to the mobile. ``phone`` is a normalised mainland mobile number, unique
    among accounts that have one."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("mobile number"), max_length=40, blank=True)
    is_demo = models.BooleanField(_("demo persona"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="user_phone_unique"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    """The roles of docs/permissions.md. The public needs no membership."""

    SUB_DISTRICT_OFFICIAL = "sub_district_official", _("sub-district official")
    CLERK = "clerk", _("residents' committee clerk")
    COMMITTEE_MEMBER = "committee_member", _("owners' committee member")
    OWNER = "owner", _("owner")
    COMPANY_STAFF = "company_staff", _("property company staff")
    EXPERT = "expert", _("evaluation expert")
    ECONOMIC_OFFICER = "economic_officer", _("economic-development officer")
    FOUNDATION_CLERK = "foundation_clerk", _("community foundation clerk")
    DISTRICT_OFFICER = "district_officer", _("district certification officer")
    MERCHANT = "merchant", _("merchant")


# Which scope field each role must carry.
ROLE_SCOPE = {
    Role.SUB_DISTRICT_OFFICIAL: "sub_district",
    Role.CLERK: "neighbourhood",
    Role.COMMITTEE_MEMBER: "compound",
    Role.OWNER: "owner",
    Role.COMPANY_STAFF: "company",
    Role.EXPERT: "organisation",
    Role.ECONOMIC_OFFICER: "sub_district",
    Role.FOUNDATION_CLERK: "organisation",
    Role.DISTRICT_OFFICER: "organisation",
    Role.MERCHANT: "organisation",
}


# Roles held for a term (a committee member is elected for the committee's term);
# the membership lapses by itself after ``term_ends_on``.
ROLES_WITH_TERM = {Role.COMMITTEE_MEMBER}


class MembershipQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        """Memberships in force on ``on`` (today): not ended, term not over."""
        on = on or timezone.localdate()
        return self.filter(ended_at__isnull=True).filter(
            Q(term_ends_on__isnull=True) | Q(term_ends_on__gte=on)
        )


class Membership(models.Model):
    """A user acting in one role for one scope: a sub-district, a residents' area,
    a compound, an owner record, a company or an organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    sub_district = models.ForeignKey(
        "registry.SubDistrict",
        verbose_name=_("sub-district"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    neighbourhood = models.ForeignKey(
        "registry.Neighbourhood",
        verbose_name=_("residents' area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    compound = models.ForeignKey(
        "registry.Compound",
        verbose_name=_("compound"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    owner = models.ForeignKey(
        "registry.Owner",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    company = models.ForeignKey(
        "registry.PropertyCompany",
        verbose_name=_("property company"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    term_ends_on = models.DateField(_("term ends"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role="sub_district_official", sub_district__isnull=False)
                    | Q(role="clerk", neighbourhood__isnull=False)
                    | Q(role="committee_member", compound__isnull=False)
                    | Q(role="owner", owner__isnull=False)
                    | Q(role="company_staff", company__isnull=False)
                    | Q(role="expert")
                    | Q(role="economic_officer", sub_district__isnull=False)
                    | Q(
                        role__in=["foundation_clerk", "district_officer", "merchant"],
                        organisation__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        scope = (
            self.sub_district
            or self.neighbourhood
            or self.compound
            or self.owner
            or self.company
            or self.organisation
        )
        return f"{self.user} · {self.get_role_display()} · {scope or '-'}"


class CodePurpose(models.TextChoices):
    CLAIM = "claim", _("claiming one's units")
    ACTIVATION = "activation", _("activating with a letter")
    SIGN_IN = "sign_in", _("signing in")
    RESET = "reset", _("resetting the password")
    PHONE_CHANGE = "phone_change", _("changing the mobile number")


class PhoneCode(models.Model):
    """A six-digit code sent by SMS, kept only as a keyed hash. Valid for ten minutes,
    once, and locked after five wrong tries; a newer code of the same purpose for the
    same phone replaces it. ``payload`` says what confirming it does (which owners a
    claim links, which account a new phone belongs to)."""

    phone = models.CharField(_("mobile number"), max_length=20)
    purpose = models.CharField(_("purpose"), max_length=20, choices=CodePurpose.choices)
    code_hash = models.CharField(max_length=64)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A bearer token of a mobile client (a mini-program, an app). Only its SHA-256 is
    kept; the person sees its first characters, when it was last used, and revokes it
    from their profile."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=60, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("starts with"), max_length=12)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def active(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
