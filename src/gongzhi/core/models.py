from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventType(models.IntegerChoices):
    """Numbered audit event types. A number, once used, is never reused or renumbered.

    1xx registry, 2xx accounts, 3xx voting, 4xx selection, 5xx notices, 6xx cases,
    7xx notifications; later apps take the next hundreds. The events below were listed
    here before apps kept their own: new ones go in the app's ``events.py``, registered
    with ``core.audit.register_events`` (the column has no ``choices``, so a new event
    needs no migration).
    """

    ROLL_IMPORTED = 101, _("Owners' roll imported")
    UNIT_CHANGED = 102, _("Unit changed by an import")
    OWNER_CHANGED = 103, _("Owner changed by an import")
    MANAGEMENT_AREAS_MERGED = 104, _("Management areas merged")
    COMPOUND_CREATED = 105, _("Compound created")
    COMPOUND_PROVIDER_CHANGED = 106, _("Property company of a compound changed")
    DECISION_CREATED = 301, _("Decision created")
    DECISION_STATUS_CHANGED = 302, _("Decision status changed")
    DECISION_EXTENDED = 303, _("Voting window extended")
    BALLOT_CORRECTED = 304, _("Ballot corrected")
    BALLOT_EXCLUDED = 305, _("Ballot excluded after re-verification")
    POOL_ENTRY_CHANGED = 401, _("Pool entry status changed")
    CUSTODY_REQUESTED = 402, _("Custody requested")
    CUSTODY_ASSIGNED = 403, _("Custodian assigned")
    CUSTODY_EXTENDED = 404, _("Custody extended")
    SELECTION_PLAN_PUBLISHED = 405, _("Selection plan published")
    BID_SUBMITTED = 406, _("Bid submitted")
    RANKING_PUBLISHED = 407, _("Ranking of candidates published")
    CONTRACT_RECORDED = 408, _("Service contract recorded")
    NOTICE_PUBLISHED = 501, _("Notice published")
    NOTICE_WITHDRAWN = 502, _("Notice withdrawn")
    NOTICE_OPINION_ANSWERED = 503, _("Opinion on a notice answered")
    CASE_OPENED = 601, _("Consolidation case opened")
    CASE_ADVANCED = 602, _("Consolidation case advanced a stage")
    CASE_STAGE_WAIVED = 603, _("Stage marked not applicable for a compound")
    CASE_LINKED = 604, _("Record linked to a consolidation case")
    LEGAL_OPINION_SIGNED = 605, _("Legal opinion signed off")
    MEETING_RECORDED = 606, _("Meeting recorded")
    ACTION_ITEM_CLOSED = 607, _("Action item closed")
    COMMITTEE_REELECTION_STARTED = 608, _("Owners' committee re-election started")
    COMMITTEES_MERGED = 609, _("Owners' committees merged")
    COMMITTEE_FILING_RECORDED = 610, _("Committee filing recorded")
    MEMBERSHIP_GRANTED = 201, _("Membership granted")
    MEMBERSHIP_ENDED = 202, _("Membership ended")
    SIGN_IN_LOCKED = 203, _("Sign-in locked after repeated failures")


class AuditEvent(models.Model):
    """One state change: who did what to which object, with old and new values."""

    event_type = models.PositiveIntegerField(_("event type"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True)
    subject_label = models.CharField(_("subject"), max_length=255, blank=True)
    old = models.JSONField(_("old values"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    new = models.JSONField(_("new values"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        from .audit import event_label

        return f"{event_label(self.event_type)} · {self.subject_label}"


class RateCounter(models.Model):
    """Attempts counted for one key (a user name, an address, a phone) in a window.

    The key is stored hashed: counters are kept for people who failed to sign in and
    their addresses, and nothing here needs them readable. ``core.ratelimit`` changes
    a counter only under a row lock, so concurrent attempts are counted one by one.
    """

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    strikes = models.PositiveSmallIntegerField(default=0)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key_hash"], name="rate_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_hash[:8]} {self.count}"


def stored_file_path(instance: "StoredFile", filename: str) -> str:
    """Where a stored file goes: its model's folder, the month, a name from its hash."""
    return f"{instance.upload_folder}/{timezone.now():%Y/%m}/{filename}"


class StoredFile(models.Model):
    """The base of every uploaded file the platform keeps: evidence, notice attachments,
    legal opinions, selection documents — and those to come.

    The file is recognised by its first bytes (``core.uploads``), stored under a name
    derived from its SHA-256 outside the web root, served only through views that
    check permission, and never changed (``file_intact`` recomputes the hash).
    """

    upload_folder = "files"

    file = models.FileField(_("file"), upload_to=stored_file_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        abstract = True

    def response(self, *, attachment: bool = False):
        """The file for a view that has checked permission: its recorded type, its
        original name, never sniffed by the browser, never kept by a shared cache."""
        from django.http import FileResponse

        answer = FileResponse(
            self.file.open("rb"),
            content_type=self.content_type,
            as_attachment=attachment,
            filename=self.original_name,
        )
        answer["X-Content-Type-Options"] = "nosniff"
        answer["Cache-Control"] = "private, max-age=3600"
        return answer


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


def job_result_path(instance: "Job", filename: str) -> str:
    return f"jobs/{timezone.now():%Y/%m}/{instance.pk}-{filename}"


class Job(models.Model):
    """A piece of long work done by the background worker (printing, bundles, sending
    to hundreds of owners, large imports), with its progress and, when it makes a
    file, the file. Whoever started it follows it at ``/jobs/<id>/``.
    """

    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("steps"), default=0)
    done = models.PositiveIntegerField(_("steps done"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    arguments = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    result = models.FileField(upload_to=job_result_path, max_length=255, blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)
