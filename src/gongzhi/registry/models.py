"""The registry: where the compounds, their units and their owners are.

Areas are exact decimals in m² with two places. On SQLite a decimal column is
stored as a float, so areas are never summed in SQL: the selectors add Decimals
in Python (see ``selectors.compound_totals``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongzhi.core.identifiers import InvalidIdentifier, validate_credit_code


class SubDistrict(models.Model):
    """街道: the sub-district office and its territory."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_demo = models.BooleanField(
        _("invented demo data"),
        default=False,
        help_text=_("Shown with a banner: names, areas and coordinates are invented."),
    )

    class Meta:
        verbose_name = _("sub-district")
        verbose_name_plural = _("sub-districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    """居民区: a residents' area, served by one residents' committee."""

    sub_district = models.ForeignKey(
        SubDistrict,
        verbose_name=_("sub-district"),
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("residents' area")
        verbose_name_plural = _("residents' areas")
        ordering = ["sub_district__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["sub_district", "name"], name="neighbourhood_unique")
        ]

    def __str__(self) -> str:
        return self.name


def validate_credit_code_field(value: str) -> None:
    try:
        validate_credit_code(value)
    except InvalidIdentifier as exc:
        raise ValidationError(gettext(str(exc))) from exc


class PropertyCompany(models.Model):
    """物业服务企业: a property service company."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code_field],
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_demo = models.BooleanField(_("invented demo data"), default=False)

    class Meta:
        verbose_name = _("property company")
        verbose_name_plural = _("property companies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.credit_code = validate_credit_code(self.credit_code)
        super().save(*args, **kwargs)


class Compound(models.Model):
    """小区: a residential compound."""

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("residents' area"),
        on_delete=models.PROTECT,
        related_name="compounds",
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    developer_name = models.CharField(_("developer"), max_length=200, blank=True)
    developer_representative = models.CharField(
        _("developer's authorised representative"),
        max_length=100,
        blank=True,
        help_text=_("Who may sign ballots for the developer's units."),
    )
    property_company = models.ForeignKey(
        PropertyCompany,
        verbose_name=_("current property company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="compounds",
    )

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ["neighbourhood__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "name"], name="compound_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """幢 / 楼: a building of a compound."""

    compound = models.ForeignKey(
        Compound, verbose_name=_("compound"), on_delete=models.PROTECT, related_name="buildings"
    )
    name = models.CharField(_("name"), max_length=50)
    # where its door is, for the desk's coverage of charging points and the maps
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["compound__name", "name"]
        constraints = [models.UniqueConstraint(fields=["compound", "name"], name="building_unique")]

    def __str__(self) -> str:
        return f"{self.compound.name} {self.name}"


class AreaSource(models.TextChoices):
    """Where a unit's area comes from (SPC interpretation Art. 8, in that order of precedence)."""

    REGISTER = "register", _("real-estate register")
    SURVEY = "survey", _("survey")
    CONTRACT = "contract", _("sale contract")


class UnitStatus(models.TextChoices):
    SOLD = "sold", _("sold")
    UNSOLD = "unsold", _("unsold (developer)")
    UNDELIVERED = "undelivered", _("undelivered (developer)")


DEVELOPER_HELD = (UnitStatus.UNSOLD, UnitStatus.UNDELIVERED)


class UnitUse(models.TextChoices):
    RESIDENTIAL = "residential", _("residential")
    COMMERCIAL = "commercial", _("commercial")
    PARKING = "parking", _("parking space")


class Unit(models.Model):
    """房屋 / 专有部分: an exclusive part with its registered area."""

    compound = models.ForeignKey(
        Compound, verbose_name=_("compound"), on_delete=models.PROTECT, related_name="units"
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    number = models.CharField(_("unit number"), max_length=50)
    area = models.DecimalField(_("exclusive area (m²)"), max_digits=12, decimal_places=2)
    area_source = models.CharField(
        _("area source"), max_length=10, choices=AreaSource.choices, default=AreaSource.REGISTER
    )
    status = models.CharField(
        _("status"), max_length=12, choices=UnitStatus.choices, default=UnitStatus.SOLD
    )
    use = models.CharField(
        _("use"), max_length=12, choices=UnitUse.choices, default=UnitUse.RESIDENTIAL
    )
    owners: models.ManyToManyField[Owner, Ownership] = models.ManyToManyField(
        "Owner", through="Ownership", related_name="units", verbose_name=_("owners")
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["compound__name", "building__name", "number"]
        constraints = [
            # rooms are numbered per building (1号楼 101, 2号楼 101)
            models.UniqueConstraint(
                fields=["compound", "building", "number"],
                condition=Q(building__isnull=False),
                name="unit_unique_in_building",
            ),
            models.UniqueConstraint(
                fields=["compound", "number"],
                condition=Q(building__isnull=True),
                name="unit_unique_without_building",
            ),
            models.CheckConstraint(condition=Q(area__gt=0), name="unit_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.compound.name} {self.label}"

    @property
    def label(self) -> str:
        """The unit as people name it within its compound: "1号楼 101", or "101"."""
        return f"{self.building.name} {self.number}" if self.building is not None else self.number

    @property
    def is_developer_held(self) -> bool:
        return self.status in DEVELOPER_HELD


class OwnerKind(models.TextChoices):
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")


class Owner(models.Model):
    """业主: a person or organisation owning one or more units.

    ``identifier`` is the roll's own owner identifier, unique within a sub-district:
    the same identifier on several units is one buyer with several units.
    The ID card number is never stored: only a keyed hash (to recognise the same
    person again) and a masked form for display.
    """

    sub_district = models.ForeignKey(
        SubDistrict, verbose_name=_("sub-district"), on_delete=models.PROTECT, related_name="+"
    )
    identifier = models.CharField(_("owner identifier"), max_length=64)
    kind = models.CharField(
        _("kind"), max_length=12, choices=OwnerKind.choices, default=OwnerKind.PERSON
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    id_number_hash = models.CharField(_("ID number (keyed hash)"), max_length=64, blank=True)
    id_number_masked = models.CharField(_("ID number (masked)"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("owner")
        verbose_name_plural = _("owners")
        ordering = ["identifier"]
        constraints = [
            models.UniqueConstraint(fields=["sub_district", "identifier"], name="owner_unique")
        ]
        indexes = [models.Index(fields=["id_number_hash"])]

    def __str__(self) -> str:
        return self.identifier


class Ownership(models.Model):
    """共有: one owner's part in one unit; several rows make co-owners."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="ownerships"
    )
    owner = models.ForeignKey(
        Owner, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="ownerships"
    )

    class Meta:
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")
        constraints = [models.UniqueConstraint(fields=["unit", "owner"], name="ownership_unique")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.owner}"


class ManagementArea(models.Model):
    """物业管理区域: one or more compounds under one owners' assembly.

    Areas are never deleted: a merger dissolves the old ones (``dissolved_on``,
    ``merged_into``) and their compound memberships end on that day.
    """

    sub_district = models.ForeignKey(
        SubDistrict, verbose_name=_("sub-district"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    established_on = models.DateField(_("established on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    compounds = models.ManyToManyField(
        Compound, through="ManagementAreaCompound", related_name="management_areas"
    )

    class Meta:
        verbose_name = _("management area")
        verbose_name_plural = _("management areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AreaMembershipQuerySet(models.QuerySet):
    def current(self):
        """Memberships in force: not ended."""
        return self.filter(until__isnull=True)


class ManagementAreaCompound(models.Model):
    """A compound's membership of a management area over time."""

    area = models.ForeignKey(ManagementArea, on_delete=models.PROTECT, related_name="memberships")
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="area_memberships"
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    objects = AreaMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("compound in management area")
        verbose_name_plural = _("compounds in management areas")
        constraints = [
            # a compound is in at most one management area at a time
            models.UniqueConstraint(
                fields=["compound"], condition=Q(until__isnull=True), name="one_current_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.compound} · {self.area} ({self.since} – {self.until or ''})"


class CommitteeStatus(models.TextChoices):
    ACTIVE = "active", _("in office")
    DISSOLVED = "dissolved", _("dissolved")


class OwnersCommittee(models.Model):
    """业主委员会: the owners' committee of a management area."""

    management_area = models.ForeignKey(
        ManagementArea,
        verbose_name=_("management area"),
        on_delete=models.PROTECT,
        related_name="committees",
    )
    name = models.CharField(_("name"), max_length=200)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    status = models.CharField(
        _("status"), max_length=12, choices=CommitteeStatus.choices, default=CommitteeStatus.ACTIVE
    )

    class Meta:
        verbose_name = _("owners' committee")
        verbose_name_plural = _("owners' committees")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["management_area"],
                condition=Q(status="active"),
                name="one_active_committee_per_area",
            ),
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")), name="committee_term_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("chair (主任)")
    VICE_CHAIR = "vice_chair", _("vice-chair (副主任)")
    MEMBER = "member", _("member (委员)")


class CommitteeMember(models.Model):
    committee = models.ForeignKey(
        OwnersCommittee,
        verbose_name=_("owners' committee"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    owner = models.ForeignKey(
        Owner, verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=12, choices=CommitteeRole.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee"], condition=Q(role="chair"), name="one_chair_per_committee"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeElection(models.Model):
    """An owners' committee election or re-election under way for some compounds.

    While one is under way no vote to hire or dismiss the property company may open
    (Shanghai 住宅物业管理规定 Art. 28); ``voting`` checks this before opening."""

    compounds = models.ManyToManyField(
        Compound, verbose_name=_("compounds"), related_name="committee_elections"
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("committee election")
        verbose_name_plural = _("committee elections")
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_on} – {self.ended_on or ''}"


class OrganisationKind(models.TextChoices):
    PARTY_BRANCH = "party_branch", _("party branch")
    RESIDENTS_COMMITTEE = "residents_committee", _("residents' committee")
    SUB_DISTRICT_OFFICE = "sub_district_office", _("sub-district office")
    CITY_OPERATIONS_CENTRE = "city_operations_centre", _("city operations centre")
    INDUSTRY_ASSOCIATION = "industry_association", _("industry association")
    HOUSING_AUTHORITY = "housing_authority", _("housing authority")
    WATER_COMPANY = "water_company", _("water company")
    POWER_COMPANY = "power_company", _("power company")
    GAS_COMPANY = "gas_company", _("gas company")
    LIFT_CONTRACTOR = "lift_contractor", _("lift maintenance contractor")
    CHARGING_OPERATOR = "charging_operator", _("e-bike charging operator")
    CHAMBER_OF_COMMERCE = "chamber_of_commerce", _("chamber of commerce")
    ENTERPRISE = "enterprise", _("enterprise")
    FOUNDATION = "foundation", _("foundation")
    GOVERNMENT_OFFICE = "government_office", _("government office")
    MERCHANT = "merchant", _("merchant")


class Organisation(models.Model):
    """The other organisations of the story: party branch, residents' committee, …"""

    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    sub_district = models.ForeignKey(
        SubDistrict,
        verbose_name=_("sub-district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("residents' area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, default=""
    )
    is_demo = models.BooleanField(_("invented demo data"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="organisation_unique")]

    def __str__(self) -> str:
        return self.name
