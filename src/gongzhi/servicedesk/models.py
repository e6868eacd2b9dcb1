"""Residents' service requests (报事报修), the parties that handle them, their
deadlines and history; building-wide incidents; the shared assets (lifts, e-bike
charging points) the requests are about."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongzhi.core.fields import PublicTextField
from gongzhi.core.models import StoredFile


class PartyKind(models.TextChoices):
    """Who is responsible for a request."""

    COMPANY = "company", _("the property company")
    RESIDENTS_COMMITTEE = "residents_committee", _("the residents' committee")
    OWNERS_COMMITTEE = "owners_committee", _("the owners' committee (maintenance fund)")
    SUB_DISTRICT = "sub_district", _("the sub-district")
    ORGANISATION = "organisation", _("a utility or contractor")


class Category(models.Model):
    """What a request is about, per sub-district, and who handles it by default."""

    sub_district = models.ForeignKey(
        "registry.SubDistrict",
        verbose_name=_("sub-district"),
        on_delete=models.CASCADE,
        related_name="service_categories",
    )
    code = models.SlugField(_("service code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=200, blank=True)
    party = models.CharField(
        _("handled by"), max_length=24, choices=PartyKind.choices, default=PartyKind.COMPANY
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("the utility or contractor, when it handles this category"),
    )
    asset_kind = models.CharField(_("about an asset"), max_length=12, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("request category")
        verbose_name_plural = _("request categories")
        ordering = ["sub_district", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sub_district", "code"], name="category_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    EMERGENCY = "emergency", _("emergency")
    WARRANTY = "warranty", _("under warranty")
    PAID = "paid", _("paid service")


class DeadlinePolicy(models.Model):
    """How soon a request is answered and resolved, per sub-district, category (or all)
    and urgency. The most specific row applies; the code's defaults otherwise."""

    sub_district = models.ForeignKey(
        "registry.SubDistrict", on_delete=models.CASCADE, related_name="deadline_policies"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines"
    )
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices)
    response_minutes = models.PositiveIntegerField(_("respond within (minutes)"))
    resolve_minutes = models.PositiveIntegerField(_("resolve within (minutes)"))

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["sub_district", "category", "urgency"], name="deadline_unique"
            ),
            models.UniqueConstraint(
                fields=["sub_district", "urgency"],
                condition=Q(category__isnull=True),
                name="deadline_default_unique",
            ),
            models.CheckConstraint(
                condition=Q(resolve_minutes__gte=models.F("response_minutes")),
                name="deadline_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or '*'} · {self.urgency}"


class AssetKind(models.TextChoices):
    LIFT = "lift", _("lift")
    CHARGER = "charger", _("e-bike charging point")


class Asset(models.Model):
    """A shared asset of a compound: a lift (with its maintenance contractor and
    whether monitoring — 云梯 — is installed) or an e-bike charging point."""

    kind = models.CharField(_("kind"), max_length=12, choices=AssetKind.choices)
    compound = models.ForeignKey(
        "registry.Compound",
        verbose_name=_("compound"),
        on_delete=models.PROTECT,
        related_name="assets",
    )
    building = models.ForeignKey(
        "registry.Building",
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    name = models.CharField(_("name"), max_length=100)
    location = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("maintained or operated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    monitoring_installed_on = models.DateField(_("monitoring installed on"), null=True, blank=True)
    sockets = models.PositiveSmallIntegerField(_("sockets"), default=0)
    in_service = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("shared asset")
        verbose_name_plural = _("shared assets")
        ordering = ["compound", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.compound.name} {self.name}"


class IncidentKind(models.TextChoices):
    LIFT_OUT = "lift_out", _("lift out of service")
    WATER_OFF = "water_off", _("water off")
    POWER_OFF = "power_off", _("power off")
    GAS_OFF = "gas_off", _("gas off")
    OTHER = "other", _("other")


class Incident(models.Model):
    """Something that affects a whole building (or compound): its requests are bundled,
    its owners see it and are told when it ends."""

    compound = models.ForeignKey(
        "registry.Compound", on_delete=models.PROTECT, related_name="incidents"
    )
    building = models.ForeignKey(
        "registry.Building",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=IncidentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = PublicTextField(_("description"), blank=True)
    started_at = models.DateTimeField(_("started"))
    expected_end = models.DateTimeField(_("expected to end"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Place(models.TextChoices):
    UNIT = "unit", _("my home")
    BUILDING = "building", _("building")
    STAIRWELL = "stairwell", _("stairwell")
    LIFT = "lift", _("lift")
    ROOF = "roof", _("roof")
    GARAGE = "garage", _("garage")
    COURTYARD = "courtyard", _("courtyard")
    ROAD = "road", _("road")
    OTHER = "other", _("elsewhere in the compound")


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    PHONE = "phone", _("by phone")
    WALK_IN = "walk_in", _("in person")
    MEETING = "meeting", _("at a meeting")
    OPEN311 = "open311", _("Open311 client")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    DEFERRED = "deferred", _("deferred")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")


OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.DEFERRED,
)


class Outcome(models.TextChoices):
    FIXED = "fixed", _("fixed")
    PARTLY_FIXED = "partly_fixed", _("partly fixed")
    NOT_OURS = "not_ours", _("not our responsibility")
    WONT_FIX = "wont_fix", _("will not be fixed")
    DUPLICATE = "duplicate", _("duplicate")


class ServiceRequest(models.Model):
    """One resident's request, from report to closure, with its deadlines."""

    compound = models.ForeignKey(
        "registry.Compound",
        verbose_name=_("compound"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    building = models.ForeignKey(
        "registry.Building",
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("where"), max_length=12, choices=Place.choices)
    place_note = models.CharField(_("where exactly"), max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="requests"
    )
    asset = models.ForeignKey(
        Asset,
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    description = PublicTextField(_("description"))
    emergency = models.BooleanField(_("emergency"), default=False)
    warranty = models.BooleanField(_("under warranty"), default=False)
    paid = models.BooleanField(_("paid service"), default=False)
    channel = models.CharField(
        _("reported"), max_length=12, choices=Channel.choices, default=Channel.ONLINE
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, blank=True)
    outcome_reason = PublicTextField(_("why"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    party = models.CharField(_("handled by"), max_length=24, choices=PartyKind.choices)
    party_company = models.ForeignKey(
        "registry.PropertyCompany",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    party_organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("executor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_requests",
    )
    created_at = models.DateTimeField(_("reported at"), db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    response_due = models.DateTimeField(_("answer due"))
    resolve_due = models.DateTimeField(_("resolution due"))
    deferred_until = models.DateTimeField(_("deferred until"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    action_item = models.ForeignKey(
        "cases.ActionItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Watcher", related_name="watched_requests", blank=True
    )

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["compound", "status"]),
            models.Index(fields=["party_company", "status"]),
            models.Index(fields=["status", "resolve_due"]),
            models.Index(fields=["category", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_at(self, now) -> bool:
        """Past its due time while open (a deferral moved the due time)."""
        if not self.is_open or self.status == Status.DEFERRED:
            return False
        if self.status == Status.SUBMITTED and now > self.response_due:
            return True
        return now > self.resolve_due


class Watcher(models.Model):
    """A neighbour who said "me too": told of changes, may reopen."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="watcher_links"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "user"], name="watcher_once")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.user_id}"


EVENT_LABELS = {
    "submitted": _("reported"),
    "accepted": _("accepted"),
    "assigned": _("assigned"),
    "started": _("work started"),
    "deferred": _("deferred"),
    "resumed": _("resumed"),
    "resolved": _("resolved"),
    "closed": _("closed"),
    "reopened": _("reopened"),
    "returned": _("returned"),
    "transferred": _("transferred"),
    "me_too": _("a neighbour: me too"),
    "feedback": _("the reporter's feedback"),
    "escalated": _("escalated: overdue"),
    "to_meeting": _("put on the four-party meeting"),
}


class RequestEvent(models.Model):
    """Every step of a request: who, in which role, when, from and to what, and why."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("as"), max_length=60, blank=True)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    from_party = models.CharField(_("from"), max_length=200, blank=True)
    to_party = models.CharField(_("to"), max_length=200, blank=True)
    reason = PublicTextField(_("why"), blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("request step")
        verbose_name_plural = _("request history")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.kind, self.kind))


class PhotoStage(models.TextChoices):
    REPORT = "report", _("as reported")
    BEFORE = "before", _("before the work")
    AFTER = "after", _("after the work")


class RequestPhoto(StoredFile):
    """A photo of a request (EXIF and GPS removed on upload)."""

    upload_folder = "requests"

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("stage"), max_length=8, choices=PhotoStage.choices)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "pk"]


class Feedback(models.Model):
    """The reporter's own answer once the request is resolved: is it fixed, and how
    was it — kept apart from the company's quality check and the committee's visit."""

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="feedback"
    )
    fixed = models.BooleanField(_("fixed?"))
    overall = models.PositiveSmallIntegerField(_("overall"))
    speed = models.PositiveSmallIntegerField(_("speed"))
    attitude = models.PositiveSmallIntegerField(_("attitude"))
    comment = PublicTextField(_("comment"), blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    overall__gte=1,
                    overall__lte=5,
                    speed__gte=1,
                    speed__lte=5,
                    attitude__gte=1,
                    attitude__lte=5,
                ),
                name="feedback_ratings_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.overall}/5"


class CheckKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("residents' committee follow-up (回访)")
    QUALITY = "quality", _("company quality check")


class Check(models.Model):
    """A follow-up visit or call by the residents' committee (回访), or the company's
    own quality check — two different things, kept apart."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(_("kind"), max_length=10, choices=CheckKind.choices)
    method = models.CharField(_("how"), max_length=20, blank=True)
    satisfied = models.BooleanField(_("satisfactory"))
    note = PublicTextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"


class Open311Key(models.Model):
    """A key of an integrator's Open311 client, for one sub-district; only its hash is
    kept."""

    name = models.CharField(_("name"), max_length=100)
    sub_district = models.ForeignKey(
        "registry.SubDistrict", on_delete=models.CASCADE, related_name="+"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 key")
        verbose_name_plural = _("Open311 keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
