"""Reads of the featured-merchant certification: the directory (only shops holding
a valid certificate), a shop's current certificate, the panel's exact result once
every member has scored, and what each person has to do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Exists, OuterRef, Q, QuerySet

from gongzhi.accounts.scopes import scopes_for
from gongzhi.selection import scoring

from .models import (
    Application,
    ApplicationStatus,
    Certificate,
    CertificateStatus,
    Merchant,
    OutdatedReport,
    SchemeVersion,
)


def criteria(version: SchemeVersion) -> list[scoring.Criterion]:
    return [scoring.Criterion(c.key, c.label, Decimal(c.weight)) for c in version.criteria.all()]


def current_certificate(merchant: Merchant, today: dt.date) -> Certificate | None:
    return (
        Certificate.objects.valid_on(today)
        .filter(merchant=merchant)
        .order_by("-valid_until")
        .first()
    )


def latest_certificate(merchant: Merchant) -> Certificate | None:
    return (
        Certificate.objects.filter(merchant=merchant)
        .select_related("application__version__scheme")
        .order_by("-valid_from", "-pk")
        .first()
    )


def directory(
    today: dt.date, *, query: str = "", category: str = "", sub_district: int | None = None
) -> QuerySet[Merchant]:
    """Shops with a certificate valid today, matching a search in any language
    (name, address, story, category label) and the filters."""
    valid = Certificate.objects.valid_on(today).filter(merchant=OuterRef("pk"))
    found = Merchant.objects.filter(Exists(valid)).select_related("sub_district")
    if query:
        words = query.split()[:5]
        for word in words:
            found = found.filter(
                Q(name__icontains=word) | Q(address__icontains=word) | Q(story__icontains=word)
            )
    if category:
        found = found.filter(category=category)
    if sub_district:
        found = found.filter(sub_district_id=sub_district)
    return found.order_by("name", "pk")


def valid_certificates(merchants: list[Merchant], today: dt.date) -> dict[int, Certificate]:
    """The certificate each listed shop holds today, in one query."""
    found: dict[int, Certificate] = {}
    for certificate in (
        Certificate.objects.valid_on(today).filter(merchant__in=merchants).order_by("valid_until")
    ):
        found[certificate.merchant_id] = certificate
    return found


@dataclass(frozen=True)
class Result:
    per_criterion: list[tuple[scoring.Criterion, Fraction]]
    total: Fraction
    pass_mark: int

    @property
    def passed(self) -> bool:
        return self.total >= self.pass_mark

    @property
    def total_text(self) -> str:
        return hundredths(self.total)

    @property
    def rows(self) -> list[tuple[scoring.Criterion, str]]:
        return [(criterion, hundredths(mean)) for criterion, mean in self.per_criterion]


def hundredths(value: Fraction) -> str:
    """An exact fraction shown with two decimals, rounded half up."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def result(application: Application) -> Result | None:
    """The mean of the panel's scores per criterion and their sum, exactly; None until
    every member has submitted."""
    sheets = list(application.sheets.all())
    if not sheets or any(s.submitted_at is None for s in sheets):
        return None
    rows = []
    for criterion in criteria(application.version):
        values = [Decimal(s.scores[criterion.key]) for s in sheets]
        rows.append((criterion, scoring.aggregate(values, "mean")))
    total = sum((value for _c, value in rows), Fraction(0))
    return Result(rows, total, application.version.pass_mark)


def applications_for(user) -> QuerySet[Application]:
    """Applications the user may open: their shop's, their sub-district's nominations,
    their scheme's, their panel's."""
    scopes = scopes_for(user)
    base = Application.objects.select_related("merchant", "version__scheme")
    if scopes.superuser:
        return base
    condition = (
        Q(merchant__organisation_id__in=scopes.merchant_organisations)
        | Q(merchant__sub_district_id__in=scopes.economic_sub_districts | scopes.sub_districts)
        | Q(version__scheme__run_by_id__in=scopes.schemes_run_by)
        | Q(
            pk__in=Application.panel.through.objects.filter(user_id=user.pk).values(
                "application_id"
            )
        )
    )
    return base.filter(condition)


def open_reports_for(user) -> QuerySet[OutdatedReport]:
    """Outdated reports on the queue of the office that runs the shop's scheme."""
    scopes = scopes_for(user)
    reports = OutdatedReport.objects.filter(resolved_at__isnull=True).select_related("merchant")
    if scopes.superuser:
        return reports
    offices = scopes.schemes_run_by
    return reports.filter(
        merchant__certificates__application__version__scheme__run_by_id__in=offices
    ).distinct()


def to_review(user) -> QuerySet[Application]:
    """Applications whose panel the user sits on and has not scored yet."""
    return Application.objects.filter(
        status=ApplicationStatus.UNDER_REVIEW,
        sheets__reviewer=user,
        sheets__submitted_at__isnull=True,
    ).select_related("merchant")


def revoked(today: dt.date) -> QuerySet[Certificate]:
    return Certificate.objects.filter(status=CertificateStatus.REVOKED).select_related("merchant")
