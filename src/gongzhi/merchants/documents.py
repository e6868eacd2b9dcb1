"""A certificate as an A4 sheet to hang in the shop, with a QR code to its public
verification page, and the directory's map."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from gongzhi.core.pdf import QrFooter, paragraph, paragraph_style, pdf_table
from gongzhi.core.svg import MapPoint, numbered_map

from .models import Category, Certificate, Merchant

COLOURS = {
    Category.BAKERY: "#b26b00",
    Category.CAFE: "#6d4c41",
    Category.FOOD: "#b3261e",
    Category.RETAIL: "#0b57d0",
    Category.CREATIVE: "#7b1fa2",
    Category.SERVICES: "#1a7f37",
}


def certificate_pdf(certificate: Certificate, url: str) -> bytes:
    merchant = certificate.merchant
    scheme = certificate.version.scheme
    title = paragraph_style("title", size=24, leading=32, alignment=1)
    big = paragraph_style("big", size=20, leading=28, alignment=1)
    meta = paragraph_style("meta", size=11, leading=16, alignment=1)
    width = A4[0] - 40 * mm
    story: list[Flowable] = [
        Spacer(1, 20 * mm),
        paragraph(scheme.name, title),
        Spacer(1, 12 * mm),
        paragraph(merchant.name, big),
        paragraph(merchant.address, meta),
        Spacer(1, 14 * mm),
        pdf_table(
            [
                [_("Certificate number"), certificate.number],
                [_("Criteria"), _("version %(n)d") % {"n": certificate.version.number}],
                [_("Valid from"), certificate.valid_from.isoformat()],
                [_("Valid until"), certificate.valid_until.isoformat()],
                [_("Issued by"), scheme.run_by.name],
            ],
            [45 * mm, width - 45 * mm],
        ),
        Spacer(1, 12 * mm),
        paragraph(
            _("Scan the code to see whether this certificate is valid today."),
            paragraph_style("body", size=11, leading=16, wordWrap="CJK"),
        ),
        Spacer(1, 6 * mm),
        QrFooter(url, 34 * mm, _("Check this certificate")),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"{scheme.name} {certificate.number}",
    ).build(story)
    return buffer.getvalue()


def directory_map(merchants: Sequence[Merchant], *, title: str) -> SafeString | None:
    points = [
        MapPoint(
            label=m.name,
            tooltip=f"{m.name} · {m.address}",
            colour=COLOURS.get(Category(m.category), "#5f6368"),
            latitude=float(m.latitude),
            longitude=float(m.longitude),
            number=number,
        )
        for number, m in enumerate(merchants, start=1)
        if m.latitude is not None and m.longitude is not None
    ]
    svg = numbered_map(points, title=title)
    return mark_safe(svg) if svg else None  # noqa: S308 — numbered_map escapes every value
