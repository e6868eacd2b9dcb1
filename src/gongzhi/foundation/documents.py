"""The foundation's documents: a donation's acknowledgement as a PDF with a QR code
to its public verification page, and the ledger as a workbook."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from gongzhi.core.money import yuan_text
from gongzhi.core.pdf import QrFooter, paragraph, paragraph_style, pdf_table
from gongzhi.core.spreadsheet import Workbook

from . import selectors
from .models import Disbursement, Donation, Fund, ReceiptKind


def receipt_pdf(donation: Donation, url: str) -> bytes:
    """What the donor is handed: who gave how much to which fund, the 公益事业捐赠票据
    it was booked against (or that they declined one), and a QR code to check it."""
    title = paragraph_style("title", size=16, leading=22, alignment=1)
    body = paragraph_style("body", size=10, leading=15, wordWrap="CJK")
    fund = donation.fund
    if donation.receipt_kind == ReceiptKind.DECLINED:
        receipt = _("The donor declined a donation receipt.")
    else:
        receipt = f"{donation.get_receipt_kind_display()} {donation.receipt_number}"
        if donation.receipt_check_code:
            receipt += " · " + _("check code %(code)s") % {"code": donation.receipt_check_code}
    rows = [
        [_("Donor"), donation.donor_name],
        [_("Amount"), _("%(yuan)s yuan") % {"yuan": yuan_text(donation.amount_fen)}],
        [_("Received on"), donation.received_on.isoformat()],
        [_("Restricted fund"), fund.name],
        [_("Purpose"), fund.purpose],
        [_("Beneficiary"), fund.beneficiary],
        [_("Donation receipt"), receipt],
        [_("Shown in public as"), selectors.donor_shown(donation)],
    ]
    width = landscape(A5)[0] - 30 * mm
    story: list[Flowable] = [
        paragraph(_("Acknowledgement of a donation"), title),
        paragraph(str(fund.foundation), paragraph_style("meta", size=10, leading=14, alignment=1)),
        Spacer(1, 4 * mm),
        pdf_table(rows, [35 * mm, width - 35 * mm]),
        Spacer(1, 3 * mm),
        paragraph(_("Thank you. Every donation and payment of this fund is public."), body),
        Spacer(1, 3 * mm),
        QrFooter(url, 24 * mm, _("Scan to check this donation")),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A5),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=10 * mm,
        title=_("Acknowledgement of a donation"),
    ).build(story)
    return buffer.getvalue()


def _yuan(amount_fen: int) -> Decimal:
    return Decimal(amount_fen) / 100  # exact: a Decimal, never a float


def ledger_workbook(funds: list[Fund]) -> bytes:
    """Funds with their figures, every donation (with the donor's full name: this is
    the clerks' copy) and every disbursement."""
    book = Workbook()
    sums = selectors.figures(funds)
    sheet = book.sheet(_("Funds"))
    sheet.append(
        [_("Fund"), _("Beneficiary"), _("Purpose"), _("Donated"), _("Disbursed"), _("Balance")]
    )
    for fund in funds:
        figures = sums[fund.pk]
        sheet.append(
            [
                fund.name,
                fund.beneficiary,
                fund.purpose,
                _yuan(figures.donated),
                _yuan(figures.disbursed),
                _yuan(figures.balance),
            ]
        )
    sheet.widths([24, 20, 40, 14, 14, 14])
    sheet = book.sheet(_("Donations"))
    sheet.append(
        [
            _("Received on"),
            _("Fund"),
            _("Donor"),
            _("Shown in public as"),
            _("Amount"),
            _("Donation receipt"),
            _("Receipt number"),
            _("Check code"),
            _("Occasion"),
        ]
    )
    donations = (
        Donation.objects.filter(fund__in=funds).select_related("fund").order_by("received_on", "pk")
    )
    for donation in donations:
        sheet.append(
            [
                donation.received_on,
                donation.fund.name,
                donation.donor_name,
                selectors.donor_shown(donation),
                _yuan(donation.amount_fen),
                donation.get_receipt_kind_display(),
                donation.receipt_number,
                donation.receipt_check_code,
                donation.occasion,
            ]
        )
    sheet.widths([12, 24, 24, 16, 14, 16, 22, 16, 30])
    sheet = book.sheet(_("Disbursements"))
    sheet.append(
        [_("Paid on"), _("Fund"), _("Beneficiary"), _("Purpose"), _("Amount"), _("Donor's consent")]
    )
    payments = Disbursement.objects.filter(fund__in=funds).select_related("fund", "consent")
    for payment in payments.order_by("paid_on", "pk"):
        sheet.append(
            [
                payment.paid_on,
                payment.fund.name,
                payment.beneficiary,
                payment.purpose,
                _yuan(payment.amount_fen),
                payment.consent.given_on if payment.consent else "",
            ]
        )
    sheet.widths([12, 24, 24, 36, 14, 14])
    return book.bytes()
