"""Writes of partners, agreements and the enterprise pipeline. Each is checked whole
before anything is saved, leaves an audit event, and refuses in words.

An agreement goes draft → signed → in force → expired, or is terminated with a
reason from signed or in force; expiry is the worker's (``periodic``), which also
reminds the officers a month before. Commitments name the party that answers for
them and are closed with evidence; an open one past its date is overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.accounts.models import Membership, Role
from gongzhi.core import clock
from gongzhi.core.audit import audit_log
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.inputs import clean_text as _text
from gongzhi.core.inputs import credit_code
from gongzhi.core.locks import locked
from gongzhi.core.uploads import read_upload
from gongzhi.registry.models import Organisation, OrganisationKind, SubDistrict

from .events import PartnerEvent
from .models import (
    STAGE_ORDER,
    Agreement,
    AgreementDocument,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Booth,
    Commitment,
    Contact,
    Enterprise,
    EnterpriseService,
    Event,
    EventKind,
    ServiceKind,
    Stage,
)

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

PARTNER_KINDS = {
    OrganisationKind.CHAMBER_OF_COMMERCE,
    OrganisationKind.ENTERPRISE,
    OrganisationKind.FOUNDATION,
    OrganisationKind.GOVERNMENT_OFFICE,
    OrganisationKind.SUB_DISTRICT_OFFICE,
    OrganisationKind.PARTY_BRANCH,
    OrganisationKind.MERCHANT,
}


def _manage(actor: User, obj: Any) -> None:
    if not actor.has_perm("partners.manage", obj):
        raise PermissionRefused(
            _("Only the sub-district's economic-development officers manage its partners.")
        )


@transaction.atomic
def organisation_save(
    *,
    sub_district: SubDistrict,
    kind: str,
    name: str,
    actor: User,
    code: str = "",
    contact_name: str = "",
    contact_title: str = "",
    contact_phone: str = "",
) -> Organisation:
    """A partner organisation (found by kind and name, or created) with a contact."""
    _manage(actor, sub_district)
    if kind not in PARTNER_KINDS:
        raise ApplicationError(_("Choose the kind of organisation."))
    name = _text(name, what=_("organisation's name"), limit=200)
    checked = credit_code(code)
    organisation, created = Organisation.objects.get_or_create(
        kind=kind, name=name, defaults={"credit_code": checked}
    )
    if not created and checked and organisation.credit_code != checked:
        organisation.credit_code = checked
        organisation.save(update_fields=["credit_code"])
    if contact_name.strip():
        Contact.objects.create(
            organisation=organisation,
            name=_text(contact_name, what=_("contact's name"), limit=100),
            title=_text(contact_title, what=_("position"), limit=100, required=False),
            phone=_text(contact_phone, what=_("phone"), limit=40, required=False),
        )
    audit_log(
        event_type=PartnerEvent.ORGANISATION_CHANGED,
        actor=actor,
        subject=organisation,
        new={"kind": kind, "name": name, "credit_code": checked},
    )
    return organisation


def _dates(
    signed_on: dt.date | None, effective_on: dt.date | None, expires_on: dt.date | None
) -> None:
    if signed_on and expires_on and expires_on <= signed_on:
        raise ApplicationError(_("An agreement expires after the day it is signed."))
    if effective_on and expires_on and expires_on <= effective_on:
        raise ApplicationError(_("An agreement expires after the day it comes into force."))
    if signed_on and effective_on and effective_on < signed_on:
        raise ApplicationError(_("An agreement comes into force on or after the day it is signed."))


@transaction.atomic
def agreement_create(
    *,
    sub_district: SubDistrict,
    kind: str,
    title: str,
    parties: Sequence[tuple[Organisation, str, str]],
    actor: User,
    summary: str = "",
    signed_on: dt.date | None = None,
    effective_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    event: Event | None = None,
) -> Agreement:
    """A draft agreement between two or more parties (organisation, signatory, role)."""
    _manage(actor, sub_district)
    if kind not in AgreementKind.values:
        raise ApplicationError(_("Choose the kind of agreement."))
    if len(parties) < 2:
        raise ApplicationError(_("An agreement has at least two parties."))
    if len({organisation.pk for organisation, _s, _r in parties}) != len(parties):
        raise ApplicationError(_("Each party is named once."))
    _dates(signed_on, effective_on, expires_on)
    if event is not None and event.sub_district_id != sub_district.pk:
        raise ApplicationError(_("The event is another sub-district's."))
    agreement = Agreement.objects.create(
        sub_district=sub_district,
        kind=kind,
        title=_text(title, what=_("title"), limit=200),
        summary=_text(summary, what=_("summary"), limit=5000, required=False),
        event=event,
        signed_on=signed_on,
        effective_on=effective_on,
        expires_on=expires_on,
        created_by=actor,
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(
            agreement=agreement,
            organisation=organisation,
            signatory=_text(signatory, what=_("signatory"), limit=100, required=False),
            role=_text(role, what=_("role"), limit=50, required=False),
        )
        for organisation, signatory, role in parties
    )
    audit_log(
        event_type=PartnerEvent.AGREEMENT_CHANGED,
        actor=actor,
        subject=agreement,
        new={"kind": kind, "title": agreement.title, "parties": [str(p[0]) for p in parties]},
    )
    return agreement


TRANSITIONS = {
    "sign": ({AgreementStatus.DRAFT}, AgreementStatus.SIGNED),
    "bring_into_force": ({AgreementStatus.SIGNED}, AgreementStatus.IN_FORCE),
    "terminate": ({AgreementStatus.SIGNED, AgreementStatus.IN_FORCE}, AgreementStatus.TERMINATED),
}


@transaction.atomic
def agreement_step(
    *,
    agreement: Agreement,
    step: str,
    actor: User,
    reason: str = "",
    signed_on: dt.date | None = None,
    document: Any = None,
) -> Agreement:
    """Sign (with the day and, where kept, the signed PDF), bring into force, or
    terminate (with a reason)."""
    _manage(actor, agreement)
    if step not in TRANSITIONS:
        raise ApplicationError(_("Unknown step."))
    agreement = locked(agreement)
    allowed, to = TRANSITIONS[step]
    if agreement.status not in allowed:
        raise ApplicationError(
            _("An agreement that is %(status)s cannot take this step.")
            % {"status": AgreementStatus(agreement.status).label}
        )
    today = clock.today()
    old = agreement.status
    stored = None
    if step == "sign":
        day = signed_on or agreement.signed_on
        if day is None:
            raise ApplicationError(_("Give the day it was signed."))
        if day > today:
            raise ApplicationError(_("The day it was signed is in the future."))
        _dates(day, agreement.effective_on, agreement.expires_on)
        agreement.signed_on = day
        if document is not None:
            stored = read_upload(document, kinds=("pdf",))
    elif step == "bring_into_force":
        start = agreement.effective_on or agreement.signed_on
        if start is None or start > today:
            raise ApplicationError(_("The agreement does not come into force before its day."))
        agreement.effective_on = start
    else:
        agreement.ended_reason = _text(reason, what=_("reason"), limit=500)
    agreement.status = to
    agreement.save()
    if stored is not None:
        AgreementDocument.objects.filter(agreement=agreement).delete()
        stored.save_into(AgreementDocument(agreement=agreement, uploaded_by=actor))
    audit_log(
        event_type=PartnerEvent.AGREEMENT_STATUS,
        actor=actor,
        subject=agreement,
        old={"status": old},
        new={"status": to, "reason": agreement.ended_reason},
    )
    return agreement


def agreements_expire(today: dt.date) -> int:
    """In force past its expiry → expired (the worker's daily round)."""
    count = 0
    for agreement in Agreement.objects.filter(
        status=AgreementStatus.IN_FORCE, expires_on__lt=today
    ):
        agreement.status = AgreementStatus.EXPIRED
        agreement.save(update_fields=["status"])
        audit_log(
            event_type=PartnerEvent.AGREEMENT_STATUS,
            actor=None,
            subject=agreement,
            old={"status": AgreementStatus.IN_FORCE},
            new={"status": AgreementStatus.EXPIRED},
        )
        count += 1
    return count


def expiry_reminders(today: dt.date, *, days: int = 30) -> int:
    """Tell the sub-district's economic-development officers, once, of an agreement
    in force that expires within ``days``."""
    from django.urls import reverse

    from gongzhi.notifications.models import Kind
    from gongzhi.notifications.services import notify

    told = 0
    soon = Agreement.objects.filter(
        status=AgreementStatus.IN_FORCE,
        expires_on__gte=today,
        expires_on__lte=today + dt.timedelta(days=days),
        reminded_on__isnull=True,
    )
    for agreement in soon:
        officers = [
            m.user
            for m in Membership.objects.current()
            .filter(role=Role.ECONOMIC_OFFICER, sub_district_id=agreement.sub_district_id)
            .select_related("user")
        ]
        title = _("Agreement expires on %(day)s: %(title)s") % {
            "day": agreement.expires_on.isoformat() if agreement.expires_on else "",
            "title": agreement.title,
        }
        told += notify(
            users=officers,
            kind=Kind.BUSINESS,
            event_key=f"agreement-expiry:{agreement.pk}",
            title=title,
            url=reverse("partners:agreement", args=[agreement.pk]),
        )
        agreement.reminded_on = today
        agreement.save(update_fields=["reminded_on"])
    return told


@transaction.atomic
def commitment_add(
    *,
    agreement: Agreement,
    title: str,
    owner: Organisation | None,
    due_on: dt.date | None,
    actor: User,
    owner_person: str = "",
) -> Commitment:
    _manage(actor, agreement)
    if owner is None:
        raise ApplicationError(_("A commitment names the party that answers for it."))
    if not agreement.parties.filter(organisation=owner).exists():
        raise ApplicationError(
            _("The party that answers for a commitment is one of the agreement's.")
        )
    if due_on is None:
        raise ApplicationError(_("Give the day the commitment is due."))
    commitment = Commitment.objects.create(
        agreement=agreement,
        title=_text(title, what=_("commitment"), limit=300),
        owner=owner,
        owner_person=_text(owner_person, what=_("responsible person"), limit=100, required=False),
        due_on=due_on,
    )
    audit_log(
        event_type=PartnerEvent.COMMITMENT_CHANGED,
        actor=actor,
        subject=agreement,
        new={"commitment": commitment.title, "owner": str(owner), "due_on": due_on.isoformat()},
    )
    return commitment


@transaction.atomic
def commitment_done(
    *,
    commitment: Commitment,
    done_on: dt.date,
    evidence: str,
    actor: User,
    event: Event | None = None,
) -> Commitment:
    _manage(actor, commitment.agreement)
    commitment = locked(commitment)
    if commitment.done_on is not None:
        raise ApplicationError(_("This commitment is already done."))
    if done_on > clock.today():
        raise ApplicationError(_("The day it was done is in the future."))
    commitment.done_on = done_on
    commitment.evidence = _text(evidence, what=_("evidence"), limit=2000)
    commitment.event = event
    commitment.save()
    audit_log(
        event_type=PartnerEvent.COMMITMENT_CHANGED,
        actor=actor,
        subject=commitment.agreement,
        new={"commitment": commitment.title, "done_on": done_on.isoformat()},
    )
    return commitment


@transaction.atomic
def enterprise_add(
    *,
    sub_district: SubDistrict,
    name: str,
    actor: User,
    code: str = "",
    recommended_by: Organisation | None = None,
    agreement: Agreement | None = None,
    business: str = "",
    stage: str = Stage.INTENT,
    since: dt.date | None = None,
) -> Enterprise:
    _manage(actor, sub_district)
    if stage not in Stage.values:
        raise ApplicationError(_("Choose the enterprise's stage."))
    name = _text(name, what=_("enterprise's name"), limit=200)
    organisation, _created = Organisation.objects.get_or_create(
        kind=OrganisationKind.ENTERPRISE, name=name, defaults={"credit_code": credit_code(code)}
    )
    if hasattr(organisation, "enterprise"):
        raise ApplicationError(_("%(name)s is already in the pipeline.") % {"name": name})
    enterprise = Enterprise.objects.create(
        organisation=organisation,
        sub_district=sub_district,
        recommended_by=recommended_by,
        agreement=agreement,
        business=_text(business, what=_("business"), limit=200, required=False),
        stage=stage,
        stage_since=since or clock.today(),
    )
    audit_log(
        event_type=PartnerEvent.ENTERPRISE_CHANGED,
        actor=actor,
        subject=enterprise,
        new={"stage": stage, "recommended_by": str(recommended_by or "")},
    )
    return enterprise


@transaction.atomic
def enterprise_stage(*, enterprise: Enterprise, stage: str, on: dt.date, actor: User) -> Enterprise:
    """Move an enterprise on (intent → registered → settled → in service); never back."""
    _manage(actor, enterprise)
    enterprise = locked(enterprise)
    if stage not in Stage.values:
        raise ApplicationError(_("Choose the enterprise's stage."))
    if STAGE_ORDER.index(Stage(stage)) <= STAGE_ORDER.index(Stage(enterprise.stage)):
        raise ApplicationError(_("An enterprise only moves on to a later stage."))
    if on > clock.today() or on < enterprise.stage_since:
        raise ApplicationError(_("The day is before its current stage or in the future."))
    old = enterprise.stage
    enterprise.stage, enterprise.stage_since = stage, on
    enterprise.save(update_fields=["stage", "stage_since"])
    audit_log(
        event_type=PartnerEvent.ENTERPRISE_CHANGED,
        actor=actor,
        subject=enterprise,
        old={"stage": old},
        new={"stage": stage, "on": on.isoformat()},
    )
    return enterprise


@transaction.atomic
def service_record(
    *,
    enterprise: Enterprise,
    kind: str,
    on: dt.date,
    summary: str,
    actor: User,
    problem: str = "",
    solved_on: dt.date | None = None,
) -> EnterpriseService:
    _manage(actor, enterprise)
    if kind not in ServiceKind.values:
        raise ApplicationError(_("Choose the kind of service."))
    if on > clock.today() or (
        solved_on is not None and (solved_on < on or solved_on > clock.today())
    ):
        raise ApplicationError(_("The days must not be in the future, nor solved before raised."))
    service = EnterpriseService.objects.create(
        enterprise=enterprise,
        kind=kind,
        on=on,
        summary=_text(summary, what=_("what was done"), limit=500),
        problem=_text(problem, what=_("problem raised"), limit=500, required=False),
        solved_on=solved_on,
        recorded_by=actor,
    )
    audit_log(
        event_type=PartnerEvent.SERVICE_RECORDED,
        actor=actor,
        subject=enterprise,
        new={"kind": kind, "on": on.isoformat(), "solved": solved_on is not None},
    )
    return service


@transaction.atomic
def event_create(
    *,
    sub_district: SubDistrict,
    kind: str,
    title: str,
    held_on: dt.date,
    actor: User,
    place: str = "",
    summary: str = "",
    booths: Sequence[tuple[str, str, bool, Any]] = (),
) -> Event:
    """An event, with a market's stalls (name, business format, new format?, merchant)."""
    _manage(actor, sub_district)
    if kind not in EventKind.values:
        raise ApplicationError(_("Choose the kind of event."))
    event = Event.objects.create(
        sub_district=sub_district,
        kind=kind,
        title=_text(title, what=_("title"), limit=200),
        held_on=held_on,
        place=_text(place, what=_("place"), limit=200, required=False),
        summary=_text(summary, what=_("summary"), limit=5000, required=False),
        created_by=actor,
    )
    Booth.objects.bulk_create(
        Booth(
            event=event,
            name=_text(name, what=_("stall"), limit=200),
            business_format=_text(
                business_format, what=_("business format"), limit=100, required=False
            ),
            is_new_format=new,
            merchant=merchant,
        )
        for name, business_format, new, merchant in booths
    )
    audit_log(
        event_type=PartnerEvent.EVENT_CHANGED,
        actor=actor,
        subject=event,
        new={"title": event.title, "kind": kind, "stalls": len(booths)},
    )
    return event
