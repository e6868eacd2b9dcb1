"""Writes of the featured-merchant certification: shops, scheme versions,
applications and nominations, blind review by a panel, decisions, certificates and
their suspension or revocation, and residents' reports of outdated entries. Each
write is checked whole first, leaves an audit event, and refuses in words.

The panel's composition and the scores reuse the provider selection's pure checks
(``selection.scoring``): an odd panel of at least the scheme's minimum, two thirds
experts, every member declaring no conflict of interest; scores in range with one
decimal at most; the mean per criterion as an exact fraction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import Membership, Role
from gongzhi.core import clock, ratelimit
from gongzhi.core.audit import audit_log
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.inputs import clean_text as _text
from gongzhi.core.inputs import credit_code as checked_credit_code
from gongzhi.core.locks import locked
from gongzhi.core.uploads import read_upload
from gongzhi.registry.models import Organisation, OrganisationKind, SubDistrict
from gongzhi.selection import scoring

from . import selectors
from .events import MerchantEvent
from .models import (
    Application,
    ApplicationEvidence,
    ApplicationStatus,
    Category,
    Certificate,
    CertificateStatus,
    Merchant,
    MerchantPhoto,
    OutdatedReport,
    ReviewSheet,
    Scheme,
    SchemeCriterion,
    SchemeVersion,
)

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

OUTDATED_LIMITS = {"per_address": 5, "per_user": 10, "window": 3600}
MAX_PHOTOS = 6


def _coordinate(value: Any, low: int, high: int, what: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = Decimal("NaN")
    if not number.is_finite() or not low <= number <= high:
        raise ApplicationError(_("The %(what)s is not a valid coordinate.") % {"what": what})
    return number.quantize(Decimal("0.000001"))


@transaction.atomic
def merchant_save(
    *,
    actor: User,
    sub_district: SubDistrict,
    name: str,
    address: str,
    category: str,
    merchant: Merchant | None = None,
    story: str = "",
    opening_hours: str = "",
    credit_code: str = "",
    latitude: Any = None,
    longitude: Any = None,
    photos: Iterable[Any] = (),
) -> Merchant:
    """A new shop (nominated by the sub-district's officers) or a change to one (its
    merchant or those officers)."""
    if merchant is None:
        probe = Merchant(sub_district=sub_district)
        if not actor.has_perm("merchants.nominate", probe):
            raise PermissionRefused(
                _("Only the sub-district's economic-development officers add a shop.")
            )
    elif not (
        actor.has_perm("merchants.keep", merchant) or actor.has_perm("merchants.nominate", merchant)
    ):
        raise PermissionRefused(_("This is not your shop."))
    if category not in Category.values:
        raise ApplicationError(_("Choose the shop's category."))
    name = _text(name, what=_("shop's name"), limit=200)
    code = checked_credit_code(credit_code)
    fields = {
        "name": name,
        "address": _text(address, what=_("address"), limit=200),
        "category": category,
        "story": _text(story, what=_("story"), limit=3000, required=False),
        "opening_hours": _text(opening_hours, what=_("opening hours"), limit=200, required=False),
        "latitude": _coordinate(latitude, -90, 90, _("latitude")),
        "longitude": _coordinate(longitude, -180, 180, _("longitude")),
    }
    uploads = [read_upload(p, kinds=("jpeg", "png")) for p in photos]
    kept = merchant.photos.count() if merchant else 0
    if kept + len(uploads) > MAX_PHOTOS:
        raise ApplicationError(_("At most %(n)d photos per shop.") % {"n": MAX_PHOTOS})
    if merchant is None:
        organisation = Organisation.objects.filter(
            kind=OrganisationKind.MERCHANT, name=name
        ).first()
        if organisation is not None and hasattr(organisation, "merchant"):
            raise ApplicationError(_("A shop named %(name)s is already listed.") % {"name": name})
        if organisation is None:
            organisation = Organisation.objects.create(
                kind=OrganisationKind.MERCHANT,
                name=name,
                sub_district=sub_district,
                credit_code=code,
            )
        merchant = Merchant.objects.create(
            organisation=organisation, sub_district=sub_district, **fields
        )
    else:
        for key, value in fields.items():
            setattr(merchant, key, value)
        merchant.save()
        if code and merchant.organisation.credit_code != code:
            merchant.organisation.credit_code = code
            merchant.organisation.save(update_fields=["credit_code"])
    for upload in uploads:
        upload.save_into(MerchantPhoto(merchant=merchant, uploaded_by=actor))
    audit_log(
        event_type=MerchantEvent.MERCHANT_CHANGED,
        actor=actor,
        subject=merchant,
        new={"name": merchant.name, "address": merchant.address, "category": category},
    )
    return merchant


@transaction.atomic
def version_create(
    *,
    scheme: Scheme,
    criteria: Sequence[tuple[str, str, int]],
    pass_mark: int,
    valid_months: int,
    actor: User,
    panel_minimum: int = 3,
    published_on: dt.date | None = None,
) -> SchemeVersion:
    """A new edition of the criteria (key, label, weight in points)."""
    if not actor.has_perm("merchants.run", scheme):
        raise PermissionRefused(_("Only the office that runs the scheme changes it."))
    if not criteria:
        raise ApplicationError(_("A scheme needs at least one criterion."))
    keys = [key for key, _label, _weight in criteria]
    if len(set(keys)) != len(keys):
        raise ApplicationError(_("Each criterion needs its own key."))
    if any(weight < 1 for _key, _label, weight in criteria):
        raise ApplicationError(_("Every criterion weighs at least one point."))
    total = sum(weight for _key, _label, weight in criteria)
    if not 0 < pass_mark <= total:
        raise ApplicationError(
            _("The pass mark must be between 1 and the criteria's %(total)d points.")
            % {"total": total}
        )
    if not 1 <= valid_months <= 60:
        raise ApplicationError(_("A certificate is valid for 1 to 60 months."))
    if panel_minimum < 1 or panel_minimum % 2 == 0:
        raise ApplicationError(_("The smallest panel is an odd number of members."))
    number = (scheme.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = SchemeVersion.objects.create(
        scheme=scheme,
        number=number,
        pass_mark=pass_mark,
        valid_months=valid_months,
        panel_minimum=panel_minimum,
        published_on=published_on or clock.today(),
    )
    SchemeCriterion.objects.bulk_create(
        SchemeCriterion(version=version, key=key, label=label, weight=weight, position=i)
        for i, (key, label, weight) in enumerate(criteria)
    )
    audit_log(
        event_type=MerchantEvent.SCHEME_CHANGED,
        actor=actor,
        subject=scheme,
        new={"version": number, "criteria": list(keys), "pass_mark": pass_mark},
    )
    return version


@transaction.atomic
def application_submit(
    *,
    merchant: Merchant,
    version: SchemeVersion,
    statement: str,
    actor: User,
    evidence: Iterable[Any] = (),
) -> Application:
    """The merchant applies, or the sub-district's officer nominates (推送) it."""
    keeps = actor.has_perm("merchants.keep", merchant)
    nominates = actor.has_perm("merchants.nominate", merchant)
    if not (keeps or nominates):
        raise PermissionRefused(_("A shop applies for itself, or its sub-district nominates it."))
    if version.scheme.district and merchant.sub_district.district != version.scheme.district:
        raise ApplicationError(_("The shop is not in the district this scheme covers."))
    latest = version.scheme.versions.order_by("-number").first()
    if latest is None or latest.pk != version.pk:
        raise ApplicationError(_("Apply under the scheme's current version."))
    open_states = [ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]
    if merchant.applications.filter(status__in=open_states).exists():
        raise ApplicationError(_("The shop already has an application under way."))
    today = clock.today()
    current = selectors.current_certificate(merchant, today)
    if current is not None and current.valid_until > clock.add_months(today, 3):
        raise ApplicationError(
            _(
                "The shop's certificate is valid until %(day)s; "
                "re-apply within three months of that."
            )
            % {"day": current.valid_until.isoformat()}
        )
    uploads = [read_upload(e) for e in evidence]
    application = Application.objects.create(
        merchant=merchant,
        version=version,
        nominated_by=merchant.sub_district if nominates and not keeps else None,
        statement=_text(statement, what=_("statement"), limit=5000),
        submitted_by=actor,
    )
    for upload in uploads:
        upload.save_into(ApplicationEvidence(application=application, uploaded_by=actor))
    audit_log(
        event_type=MerchantEvent.APPLICATION_SUBMITTED,
        actor=actor,
        subject=application,
        new={"merchant": merchant.name, "nominated": application.nominated_by_id is not None},
    )
    return application


def _run(actor: User, application: Application) -> None:
    if not actor.has_perm("merchants.run", application):
        raise PermissionRefused(_("Only the office that runs the scheme does this."))


def _is_expert(user: Any) -> bool:
    return Membership.objects.current().filter(user=user, role=Role.EXPERT).exists()


@transaction.atomic
def panel_set(*, application: Application, reviewers: Sequence[Any], actor: User) -> None:
    """Name the panel (checked like a tender's panel, with the scheme's own minimum);
    reviewing starts."""
    _run(actor, application)
    application = locked(application)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ApplicationError(_("The panel is named once, before reviewing starts."))
    members = [(str(r), _is_expert(r), True) for r in reviewers]
    if len({r.pk for r in reviewers}) != len(reviewers):
        raise ApplicationError(_("Each reviewer sits on the panel once."))
    problems = scoring.panel_problems(members, minimum=application.version.panel_minimum)
    if problems:
        raise ApplicationError("；".join(_(template) % params for template, params in problems))
    if any(r.pk == application.submitted_by_id for r in reviewers):
        raise ApplicationError(_("Whoever submitted the application cannot review it."))
    application.panel.set(reviewers)
    ReviewSheet.objects.bulk_create(
        ReviewSheet(application=application, reviewer=r) for r in reviewers
    )
    application.status = ApplicationStatus.UNDER_REVIEW
    application.save(update_fields=["status"])
    audit_log(
        event_type=MerchantEvent.PANEL_SET,
        actor=actor,
        subject=application,
        new={"panel": [str(r) for r in reviewers]},
    )


@transaction.atomic
def scores_submit(
    *,
    application: Application,
    scores: Mapping[str, Any],
    declared_no_conflict: bool,
    actor: User,
) -> ReviewSheet:
    """A reviewer's scores, all at once and final; nobody sees another member's
    scores until every member has submitted."""
    if not actor.has_perm("merchants.review", application):
        raise PermissionRefused(_("Only the application's panel scores it."))
    application = locked(application)
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise ApplicationError(_("The application is not under review."))
    sheet = locked(ReviewSheet.objects.get(application=application, reviewer=actor))
    if sheet.submitted_at is not None:
        raise ApplicationError(_("Your scores are already submitted; they cannot change."))
    if not declared_no_conflict:
        raise ApplicationError(
            _("Declare that you have no conflict of interest with this shop before scoring.")
        )
    parsed: dict[str, str] = {}
    errors = []
    for criterion in selectors.criteria(application.version):
        try:
            parsed[criterion.key] = str(
                scoring.parse_score(str(scores.get(criterion.key, "")).strip(), criterion)
            )
        except scoring.ScoreError as exc:
            errors.append(exc.text(_))
    if errors:
        raise ApplicationError("；".join(errors))
    sheet.scores = parsed
    sheet.declared_no_conflict = True
    sheet.submitted_at = timezone.now()
    sheet.save()
    audit_log(
        event_type=MerchantEvent.SCORES_SUBMITTED,
        actor=actor,
        subject=application,
        new={"reviewer": str(actor)},
    )
    return sheet


@transaction.atomic
def application_decide(
    *, application: Application, certify: bool, reasons: str, actor: User
) -> Certificate | None:
    """Certify (only at or above the pass mark) or refuse, with reasons either way."""
    _run(actor, application)
    application = locked(application)
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise ApplicationError(_("Only an application under review is decided."))
    result = selectors.result(application)
    if result is None:
        raise ApplicationError(_("Every member of the panel must submit scores first."))
    reasons = _text(reasons, what=_("reasons"), limit=3000)
    if certify and not result.passed:
        raise ApplicationError(
            _("The panel's %(total)s points are below the pass mark of %(mark)d.")
            % {"total": result.total_text, "mark": application.version.pass_mark}
        )
    today = clock.today()
    application.status = ApplicationStatus.CERTIFIED if certify else ApplicationStatus.REFUSED
    application.decided_on = today
    application.reasons = reasons
    application.save(update_fields=["status", "decided_on", "reasons"])
    certificate = None
    if certify:
        scheme = locked(application.version.scheme)
        year = today.year
        prefix = f"{scheme.number_prefix}-{year}-"
        count = Certificate.objects.filter(number__startswith=prefix).count()
        certificate = Certificate.objects.create(
            number=f"{prefix}{count + 1:04d}",
            merchant=application.merchant,
            application=application,
            version=application.version,
            valid_from=today,
            valid_until=clock.add_months(today, application.version.valid_months)
            - dt.timedelta(days=1),
        )
        merchant = application.merchant
        merchant.verified_on = today
        merchant.save(update_fields=["verified_on"])
    audit_log(
        event_type=MerchantEvent.APPLICATION_DECIDED,
        actor=actor,
        subject=application,
        new={
            "certified": certify,
            "total": result.total_text,
            "certificate": certificate.number if certificate else None,
        },
    )
    return certificate


STATUS_CHANGES = {
    # action: (allowed from, to, needs a reason)
    "suspend": ({CertificateStatus.VALID}, CertificateStatus.SUSPENDED, True),
    "reinstate": ({CertificateStatus.SUSPENDED}, CertificateStatus.VALID, False),
    "revoke": (
        {CertificateStatus.VALID, CertificateStatus.SUSPENDED},
        CertificateStatus.REVOKED,
        True,
    ),
}


@transaction.atomic
def certificate_change(
    *, certificate: Certificate, action: str, reason: str, actor: User
) -> Certificate:
    """Suspend (with a reason), reinstate, or revoke (with a reason; final)."""
    if action not in STATUS_CHANGES:
        raise ApplicationError(_("Unknown change to a certificate."))
    certificate = locked(certificate)
    if not actor.has_perm("merchants.run", certificate.application):
        raise PermissionRefused(_("Only the office that runs the scheme does this."))
    allowed, to, needs_reason = STATUS_CHANGES[action]
    today = clock.today()
    if certificate.status_on(today) not in allowed:
        raise ApplicationError(
            _("A certificate that is %(status)s cannot be changed this way.")
            % {"status": CertificateStatus(certificate.status_on(today)).label}
        )
    reason = _text(reason, what=_("reason"), limit=500, required=needs_reason)
    old = certificate.status
    certificate.status = to
    certificate.reason = reason if to != CertificateStatus.VALID else ""
    certificate.changed_on = today
    certificate.save(update_fields=["status", "reason", "changed_on"])
    audit_log(
        event_type=MerchantEvent.CERTIFICATE_CHANGED,
        actor=actor,
        subject=certificate,
        old={"status": old},
        new={"status": to, "reason": reason},
    )
    return certificate


@transaction.atomic
def outdated_report(
    *, merchant: Merchant, reason: str, actor: User | None, address: str = ""
) -> OutdatedReport:
    """A resident says a directory entry is out of date; it goes to the scheme's queue."""
    user = actor if actor is not None and actor.is_authenticated else None
    window = OUTDATED_LIMITS["window"]
    if user is not None:
        ratelimit.require(
            "outdated-user", str(user.pk), limit=OUTDATED_LIMITS["per_user"], window=window
        )
    if address:
        ratelimit.require(
            "outdated-addr", address, limit=OUTDATED_LIMITS["per_address"], window=window
        )
    reason = _text(reason, what=_("what is out of date"), limit=1000)
    report = OutdatedReport.objects.create(merchant=merchant, reason=reason, reported_by=user)
    audit_log(
        event_type=MerchantEvent.OUTDATED_REPORTED,
        actor=user,
        subject=merchant,
        new={"report": report.pk},
    )
    return report


@transaction.atomic
def outdated_resolve(
    *, report: OutdatedReport, resolution: str, verified: bool, actor: User
) -> OutdatedReport:
    """Handle a report; ``verified`` when the entry was checked and is now right."""
    certificate = selectors.latest_certificate(report.merchant)
    if certificate is None or not actor.has_perm("merchants.run", certificate.application):
        raise PermissionRefused(_("Only the office that runs the scheme does this."))
    report = locked(report)
    if report.resolved_at is not None:
        raise ApplicationError(_("This report was already handled."))
    report.resolution = _text(resolution, what=_("what was done"), limit=500)
    report.resolved_at = timezone.now()
    report.resolved_by = actor
    report.save()
    if verified:
        merchant = report.merchant
        merchant.verified_on = clock.today()
        merchant.save(update_fields=["verified_on"])
    audit_log(
        event_type=MerchantEvent.OUTDATED_RESOLVED,
        actor=actor,
        subject=report.merchant,
        new={"report": report.pk, "verified": verified},
    )
    return report
