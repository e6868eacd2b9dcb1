"""The featured-merchant certification over JSON: a certificate's public
verification, the revoked ones with their reasons, and the directory of shops with a
valid certificate. No personal data: shops' names and addresses only."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from gongzhi.core import clock
from gongzhi.merchants import selectors
from gongzhi.merchants.models import Category, Certificate, CertificateStatus

from .common import Refusal

certificates_router = Router(tags=["merchants"])
merchants_router = Router(tags=["merchants"])


class MerchantRef(Schema):
    name: str
    address: str


class CertificateOut(Schema):
    number: str
    status: str
    reason: str
    merchant: MerchantRef
    valid_until: dt.date


class CertificateRef(Schema):
    number: str
    valid_until: dt.date


class DirectoryEntry(Schema):
    name: str
    address: str
    category: str
    certificate: CertificateRef


def _certificate(certificate: Certificate, today: dt.date) -> dict:
    return {
        "number": certificate.number,
        "status": certificate.status_on(today),
        "reason": certificate.reason,
        "merchant": {"name": certificate.merchant.name, "address": certificate.merchant.address},
        "valid_until": certificate.valid_until,
    }


@certificates_router.get(
    "/", response=list[CertificateOut], auth=None, summary="Certificates by status"
)
def certificates(request, status: str = CertificateStatus.REVOKED):
    """Certificates with the given status (by default the revoked ones, with reasons)."""
    today = clock.today()
    if status not in CertificateStatus.values:
        return []
    found = Certificate.objects.select_related("merchant").order_by("number")
    if status in (CertificateStatus.REVOKED, CertificateStatus.SUSPENDED):
        found = found.filter(status=status)
    elif status == CertificateStatus.VALID:
        found = found.valid_on(today)
    else:
        found = found.filter(status=CertificateStatus.VALID, valid_until__lt=today)
    return [_certificate(c, today) for c in found[:1000]]


@certificates_router.get(
    "/{number}",
    response={200: CertificateOut, 404: Refusal},
    auth=None,
    summary="Verify a certificate",
)
def certificate(request, number: str):
    found = get_object_or_404(Certificate.objects.select_related("merchant"), number=number[:40])
    return _certificate(found, clock.today())


@merchants_router.get(
    "/", response=list[DirectoryEntry], auth=None, summary="The featured-merchant directory"
)
def directory(request, q: str = "", category: str = ""):
    today = clock.today()
    category = category if category in Category.values else ""
    merchants = list(selectors.directory(today, query=q[:50], category=category)[:1000])
    held = selectors.valid_certificates(merchants, today)
    return [
        {
            "name": m.name,
            "address": m.address,
            "category": m.category,
            "certificate": {"number": held[m.pk].number, "valid_until": held[m.pk].valid_until},
        }
        for m in merchants
        if m.pk in held
    ]
