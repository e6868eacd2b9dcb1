"""Users and memberships: who acts for which organisation or compound."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    """The roles of DESIGN.md §2. The public needs no membership."""

    SUB_DISTRICT_OFFICIAL = "sub_district_official", _("sub-district official")
    CLERK = "clerk", _("residents' committee clerk")
    COMMITTEE_MEMBER = "committee_member", _("owners' committee member")
    OWNER = "owner", _("owner")
    COMPANY_STAFF = "company_staff", _("property company staff")
    EXPERT = "expert", _("evaluation expert")


# Which scope field each role must carry.
ROLE_SCOPE = {
    Role.SUB_DISTRICT_OFFICIAL: "sub_district",
    Role.CLERK: "neighbourhood",
    Role.COMMITTEE_MEMBER: "compound",
    Role.OWNER: "owner",
    Role.COMPANY_STAFF: "company",
    Role.EXPERT: "organisation",
}


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


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
