"""Writes of the community foundation's ledger. Each is checked whole before
anything is saved, leaves an audit event, and refuses with a reason in words.

- A donation is a positive whole number of fen; its receipt is a paper or
  electronic 公益事业捐赠票据 with a number unique in the ledger (an electronic one
  also has its check code), or the recorded fact that the donor declined one.
- A disbursement never exceeds the fund's balance (read under the fund's row lock,
  so two clerks cannot both spend the last yuan) and keeps to the fund's purpose
  unless the donor's consent to the new purpose is recorded (慈善法: a change to the
  purpose a donation agreement sets needs the donor's consent).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.audit import audit_log
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.inputs import clean_text as _text
from gongzhi.core.locks import locked
from gongzhi.core.money import fen, yuan_text
from gongzhi.core.uploads import read_upload
from gongzhi.registry.models import Organisation, OrganisationKind

from . import calendar, selectors
from .events import FoundationEvent
from .models import (
    Disbursement,
    DisbursementEvidence,
    Disclosure,
    DisclosureReport,
    Donation,
    Fund,
    PurposeConsent,
    ReceiptKind,
)

if TYPE_CHECKING:
    from gongzhi.accounts.models import User


def _keep(actor: User, obj: Any) -> None:
    if not actor.has_perm("foundation.manage", obj):
        raise PermissionRefused(_("Only the foundation's clerks keep its ledger."))


def _not_future(day: dt.date, *, what: str) -> None:
    if day > clock.today():
        raise ApplicationError(_("The %(what)s is in the future.") % {"what": what})


@transaction.atomic
def fund_create(
    *,
    foundation: Organisation,
    name: str,
    beneficiary: str,
    purpose: str,
    starts_on: dt.date,
    actor: User,
    ends_on: dt.date | None = None,
    published: bool = True,
) -> Fund:
    _keep(actor, foundation)
    if foundation.kind != OrganisationKind.FOUNDATION:
        raise ApplicationError(_("Funds belong to a foundation."))
    name = _text(name, what=_("fund's name"), limit=200)
    if Fund.objects.filter(foundation=foundation, name=name).exists():
        raise ApplicationError(
            _("The foundation already has a fund named %(name)s.") % {"name": name}
        )
    if ends_on is not None and ends_on < starts_on:
        raise ApplicationError(_("A fund's project ends on or after the day it starts."))
    fund = Fund.objects.create(
        foundation=foundation,
        name=name,
        beneficiary=_text(beneficiary, what=_("beneficiary"), limit=200),
        purpose=_text(purpose, what=_("purpose"), limit=1000),
        starts_on=starts_on,
        ends_on=ends_on,
        published=published,
        created_by=actor,
    )
    audit_log(
        event_type=FoundationEvent.FUND_CHANGED,
        actor=actor,
        subject=fund,
        new={"name": fund.name, "beneficiary": fund.beneficiary, "purpose": fund.purpose},
    )
    return fund


def _receipt(kind: str, number: str, check_code: str) -> tuple[str, str]:
    number, check_code = (number or "").strip(), (check_code or "").strip()
    if kind not in ReceiptKind.values:
        raise ApplicationError(_("Say whether a receipt was issued, and which kind."))
    if kind == ReceiptKind.DECLINED:
        if number or check_code:
            raise ApplicationError(
                _("The donor declined a receipt, so there is no receipt number to record.")
            )
        return "", ""
    if not number:
        raise ApplicationError(
            _("Give the receipt's number, or record that the donor declined one.")
        )
    if len(number) > 40 or len(check_code) > 40:
        raise ApplicationError(_("A receipt number or check code has at most 40 characters."))
    if kind == ReceiptKind.ELECTRONIC and not check_code:
        raise ApplicationError(_("An electronic receipt has a check code; give it."))
    if Donation.objects.filter(receipt_number=number).exists():
        raise ApplicationError(
            _("Receipt number %(number)s is already in the ledger.") % {"number": number}
        )
    return number, check_code


@transaction.atomic
def donation_record(
    *,
    fund: Fund,
    donor_name: str,
    amount: object,
    received_on: dt.date,
    receipt_kind: str,
    actor: User,
    disclosure: str = Disclosure.MASKED,
    receipt_number: str = "",
    receipt_check_code: str = "",
    occasion: str = "",
    donor_organisation: Organisation | None = None,
    agreement: Any = None,
) -> Donation:
    _keep(actor, fund)
    amount_fen = fen(amount, what=_("The amount"), positive=True)
    if disclosure not in Disclosure.values:
        raise ApplicationError(_("Say how the donor agreed to be shown in public."))
    _not_future(received_on, what=_("day the donation was received"))
    if received_on < fund.starts_on:
        raise ApplicationError(_("The fund did not exist yet on that day."))
    number, check_code = _receipt(receipt_kind, receipt_number, receipt_check_code)
    if agreement is not None and agreement.kind != "donation":
        raise ApplicationError(_("Link a donation agreement, or none."))
    try:
        with transaction.atomic():
            donation = Donation.objects.create(
                fund=fund,
                donor_name=_text(donor_name, what=_("donor"), limit=200),
                donor_organisation=donor_organisation,
                amount_fen=amount_fen,
                received_on=received_on,
                occasion=_text(occasion, what=_("occasion"), limit=200, required=False),
                agreement=agreement,
                disclosure=disclosure,
                receipt_kind=receipt_kind,
                receipt_number=number,
                receipt_check_code=check_code,
                recorded_by=actor,
            )
    except IntegrityError:  # the same receipt number recorded at the same moment
        raise ApplicationError(
            _("Receipt number %(number)s is already in the ledger.") % {"number": number}
        ) from None
    audit_log(
        event_type=FoundationEvent.DONATION_RECORDED,
        actor=actor,
        subject=fund,
        new={
            "donation": donation.pk,
            "amount": yuan_text(amount_fen),
            "receipt": number or receipt_kind,
            "disclosure": disclosure,
        },
    )
    return donation


@transaction.atomic
def consent_record(
    *,
    fund: Fund,
    donor_name: str,
    purpose: str,
    given_on: dt.date,
    note: str,
    actor: User,
) -> PurposeConsent:
    _keep(actor, fund)
    purpose = _text(purpose, what=_("new purpose"), limit=300)
    if purpose == fund.purpose.strip():
        raise ApplicationError(_("That is the fund's own purpose; no consent is needed."))
    _not_future(given_on, what=_("day the consent was given"))
    consent = PurposeConsent.objects.create(
        fund=fund,
        donor_name=_text(donor_name, what=_("donor"), limit=200),
        purpose=purpose,
        given_on=given_on,
        note=_text(note, what=_("how the consent was given"), limit=1000),
        recorded_by=actor,
    )
    audit_log(
        event_type=FoundationEvent.CONSENT_RECORDED,
        actor=actor,
        subject=fund,
        new={"consent": consent.pk, "purpose": purpose, "given_on": given_on.isoformat()},
    )
    return consent


@transaction.atomic
def disbursement_record(
    *,
    fund: Fund,
    amount: object,
    paid_on: dt.date,
    beneficiary: str,
    purpose: str,
    actor: User,
    note: str = "",
    evidence: Any = None,
) -> Disbursement:
    _keep(actor, fund)
    amount_fen = fen(amount, what=_("The amount"), positive=True)
    _not_future(paid_on, what=_("day of payment"))
    if paid_on < fund.starts_on:
        raise ApplicationError(_("The fund did not exist yet on that day."))
    purpose = _text(purpose, what=_("purpose"), limit=300)
    consent = None
    if purpose != fund.purpose.strip():
        consent = (
            PurposeConsent.objects.filter(fund=fund, purpose=purpose, given_on__lte=paid_on)
            .order_by("given_on")
            .first()
        )
        if consent is None:
            raise ApplicationError(
                _(
                    "The fund's purpose is “%(purpose)s”. Spending it on anything else needs "
                    "the donor's consent to the change, recorded first."
                )
                % {"purpose": fund.purpose}
            )
    stored = read_upload(evidence) if evidence is not None else None
    fund = locked(fund)
    balance = selectors.fund_figures(fund).balance
    if amount_fen > balance:
        raise ApplicationError(
            _("The fund holds %(balance)s yuan; %(amount)s yuan cannot be paid out of it.")
            % {"balance": yuan_text(balance), "amount": yuan_text(amount_fen)}
        )
    disbursement = Disbursement.objects.create(
        fund=fund,
        amount_fen=amount_fen,
        paid_on=paid_on,
        beneficiary=_text(beneficiary, what=_("beneficiary"), limit=200),
        purpose=purpose,
        consent=consent,
        note=_text(note, what=_("note"), limit=2000, required=False),
        recorded_by=actor,
    )
    if stored is not None:
        stored.save_into(DisbursementEvidence(disbursement=disbursement, uploaded_by=actor))
    audit_log(
        event_type=FoundationEvent.DISBURSEMENT_RECORDED,
        actor=actor,
        subject=fund,
        new={
            "disbursement": disbursement.pk,
            "amount": yuan_text(amount_fen),
            "balance": yuan_text(balance - amount_fen),
            "purpose": purpose,
        },
    )
    return disbursement


@transaction.atomic
def disclosure_publish(
    *,
    foundation: Organisation,
    key: str,
    title: str,
    summary: str,
    actor: User,
) -> DisclosureReport:
    """Publish the report that meets one obligation of the disclosure calendar."""
    _keep(actor, foundation)
    today = clock.today()
    owed = {due.obligation.key: due for due in selectors.disclosure_calendar(foundation, today)}
    due = owed.get(key)
    if due is None:
        raise ApplicationError(_("No disclosure of that kind is owed yet."))
    if due.report is not None:
        raise ApplicationError(_("That disclosure was already published."))
    report = DisclosureReport.objects.create(
        foundation=foundation,
        fund=due.fund,
        key=key,
        title=_text(title, what=_("title"), limit=200),
        summary=_text(summary, what=_("summary"), limit=5000),
        published_on=today,
        published_by=actor,
    )
    audit_log(
        event_type=FoundationEvent.DISCLOSURE_PUBLISHED,
        actor=actor,
        subject=report,
        new={"key": key, "due_on": due.obligation.due_on.isoformat()},
    )
    return report


__all__ = [
    "calendar",
    "consent_record",
    "disbursement_record",
    "disclosure_publish",
    "donation_record",
    "fund_create",
]
