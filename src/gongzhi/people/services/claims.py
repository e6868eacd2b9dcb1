"""Owners' accounts, linked to exactly the units the roll says are theirs.

Three ways, each ending in a membership of the role *owner* for an owner record of
the roll (so the account sees that owner's units, no other):

- **Claim** with compound, building, room, ID number and mobile: when the ID
  number's keyed hash matches an owner of that unit *and* the mobile is that
  owner's on the roll, a code goes to the mobile; confirming it with a password
  creates (or links) the account. The answer is the same whether anything matched
  (no oracle): nothing tells a stranger whether an ID number owns a flat.
- **Activation letter**: a printed one-time code per owner (``letters.py``) for
  owners whose roll has no mobile or ID number, confirmed with an SMS code to the
  mobile the owner gives.
- **In person**: a clerk checks the ID card and the property certificate and links
  the account; the audit trail keeps who checked what.

An owner record already linked to someone else's account is refused (co-owners
are separate owner records, each with their own account).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.accounts.models import CodePurpose, Membership, Role, User
from gongzhi.accounts.services import membership_grant
from gongzhi.accounts.services.codes import code_check, code_issue, mobile, sending_limits
from gongzhi.accounts.services.people import (
    password_checked,
    password_set,
    user_for_phone_or_new,
)
from gongzhi.core import clock, ratelimit
from gongzhi.core.audit import audit_log
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.identifiers import InvalidIdentifier, normalise_mobile, validate_id_number
from gongzhi.core.masking import mask_phone
from gongzhi.registry.models import Compound, Owner, Unit
from gongzhi.registry.services import id_number_hash

from ..events import PeopleEvent
from ..models import ActivationCode
from .grants import tell_new_role

ACTIVATION_LIFETIME = dt.timedelta(days=180)
ACTIVATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper
ACTIVATION_LENGTH = 10

MESSAGE_LINKED_ELSEWHERE = gettext_noop(
    "This owner on the roll is already linked to another account. If that is not "
    "you, come to the residents' committee with your ID card and property certificate."
)


def id_number_checked(value: str) -> str:
    """A valid ID number, or a refusal naming what is wrong (never the number)."""
    try:
        return validate_id_number(value)
    except InvalidIdentifier as exc:
        raise ApplicationError(
            _("ID card number: %(problem)s.") % {"problem": _(str(exc))}
        ) from exc


def unit_at(*, compound: Compound, building: str, room: str) -> Unit | None:
    """The unit a person names: compound, building (empty when the roll has none) and
    room. Without a building, only a room number that is unique in the compound."""
    building, room = (building or "").strip(), (room or "").strip()
    if not room:
        return None
    units = Unit.objects.filter(compound=compound, number=room)
    if building:
        return units.filter(building__name=building).first()
    found = list(units[:2])
    return found[0] if len(found) == 1 else None


def _phone_of(owner: Owner) -> str:
    try:
        return normalise_mobile(owner.phone)
    except InvalidIdentifier:
        return ""


def linked_user(owner: Owner) -> User | None:
    """The account an owner record is linked to now, if any."""
    membership = (
        Membership.objects.current()
        .filter(role=Role.OWNER, owner=owner)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _claimable(owner: Owner, phone: str) -> bool:
    """Not linked yet, or linked to the account of this same mobile (claiming again)."""
    other = linked_user(owner)
    return other is None or other.phone == phone


def claim_request(
    *,
    compound: Compound | None,
    building: str,
    room: str,
    id_number: str,
    phone: str,
    address: str,
    now: dt.datetime | None = None,
) -> None:
    """Send a claim code when the roll agrees; say nothing either way.

    Input that is malformed in itself (not a mobile number, an ID number with a wrong
    check digit) is refused with its reason: that tells nothing about the roll. The
    limits (5 an hour per phone and per address) are counted before the roll is
    looked at."""
    phone = mobile(phone)
    id_number = id_number_checked(id_number)
    if compound is None:
        raise ApplicationError(_("Choose your compound."))
    if not (room or "").strip():
        raise ApplicationError(_("Give your room number."))
    sending_limits(phone=phone, address=address, purpose=CodePurpose.CLAIM)
    unit = unit_at(compound=compound, building=building, room=room)
    if unit is None:
        return
    hashed = id_number_hash(id_number)
    owners = [
        owner for owner in unit.owners.filter(id_number_hash=hashed) if _phone_of(owner) == phone
    ]
    owners = [owner for owner in owners if _claimable(owner, phone)]
    if not owners:
        return
    code_issue(
        phone=phone,
        purpose=CodePurpose.CLAIM,
        payload={"owners": [owner.pk for owner in owners], "unit": unit.pk},
        now=now,
    )


def _link(*, user: User, owners: list[Owner], actor: User | None) -> list[Membership]:
    for owner in owners:
        other = linked_user(owner)
        if other is not None and other.pk != user.pk:
            raise PermissionRefused(_(MESSAGE_LINKED_ELSEWHERE))
    return [
        membership_grant(user=user, role=Role.OWNER, actor=actor, owner=owner) for owner in owners
    ]


def claim_confirm(*, phone: str, code: str, password: str, name: str = "", address: str) -> User:
    """Confirm a claim with the SMS code and a password: the account (new or existing
    with this mobile) is linked to the owners the code was sent for."""
    phone = mobile(phone)
    password_checked(password)
    record = code_check(phone=phone, purpose=CodePurpose.CLAIM, code=code, address=address)
    owners = list(Owner.objects.filter(pk__in=record.payload.get("owners", [])))
    if not owners:
        raise ApplicationError(_("The code is wrong or has expired. Ask for a new one."))
    with transaction.atomic():
        user, _created = user_for_phone_or_new(phone=phone, name=name or owners[0].name, actor=None)
        _link(user=user, owners=owners, actor=user)
        password_set(user=user, password=password, actor=user)
        audit_log(
            event_type=PeopleEvent.OWNER_CLAIMED,
            actor=user,
            subject=user,
            new={
                "owners": [owner.identifier for owner in owners],
                "unit": record.payload.get("unit"),
            },
        )
    return user


# --- activation letters -------------------------------------------------------


def _activation_hash(code: str) -> str:
    normal = "".join(code.split()).upper().replace("-", "")
    return hmac.new(
        settings.SECRET_KEY.encode(), b"activation\x00" + normal.encode(), hashlib.sha256
    ).hexdigest()


def activation_format(code: str) -> str:
    """ABCDE-FGHJK: easier to read aloud and to type."""
    return f"{code[:5]}-{code[5:]}"


@transaction.atomic
def activation_codes_issue(
    *, compound: Compound, owners: list[Owner], actor: User | None, now: dt.datetime | None = None
) -> dict[int, str]:
    """New one-time codes for these owners of the compound (unused earlier ones are
    replaced). Returns owner id -> code; only the hashes are kept."""
    now = clock.now(now)
    owner_ids = [owner.pk for owner in owners]
    ActivationCode.objects.filter(
        compound=compound, owner_id__in=owner_ids, used_at__isnull=True
    ).delete()
    codes: dict[int, str] = {}
    records = []
    for owner in owners:
        code = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_LENGTH))
        codes[owner.pk] = code
        records.append(
            ActivationCode(
                owner=owner,
                compound=compound,
                code_hash=_activation_hash(code),
                created_at=now,
                created_by=actor if actor is not None and actor.is_authenticated else None,
                expires_at=now + ACTIVATION_LIFETIME,
            )
        )
    ActivationCode.objects.bulk_create(records, batch_size=1000)
    audit_log(
        event_type=PeopleEvent.ACTIVATION_LETTERS_ISSUED,
        actor=actor,
        subject=compound,
        new={"owners": len(owners)},
    )
    return codes


def activation_start(
    *, code: str, phone: str, address: str, now: dt.datetime | None = None
) -> None:
    """Send an SMS code to the mobile the owner gives, when the letter's code is valid;
    the answer is the same either way. Letter codes are tried at most 10 times an
    hour per address, counted first."""
    now = clock.now(now)
    phone = mobile(phone)
    ratelimit.require("activation-addr", address, limit=10, window=3600)
    sending_limits(phone=phone, address=address, purpose=CodePurpose.ACTIVATION)
    record = ActivationCode.objects.filter(
        code_hash=_activation_hash(code or ""), used_at__isnull=True, expires_at__gt=now
    ).first()
    if record is None:
        return
    code_issue(
        phone=phone, purpose=CodePurpose.ACTIVATION, payload={"activation": record.pk}, now=now
    )


def activation_confirm(
    *, phone: str, code: str, password: str, name: str = "", address: str
) -> User:
    """With the SMS code: the account of this mobile is linked to the letter's owner."""
    phone = mobile(phone)
    password_checked(password)
    sms = code_check(phone=phone, purpose=CodePurpose.ACTIVATION, code=code, address=address)
    with transaction.atomic():
        record = (
            ActivationCode.objects.select_for_update()
            .select_related("owner")
            .filter(pk=sms.payload.get("activation"), used_at__isnull=True)
            .first()
        )
        if record is None:
            raise ApplicationError(_("This letter's code was used already."))
        user, _created = user_for_phone_or_new(
            phone=phone, name=name or record.owner.name, actor=None
        )
        _link(user=user, owners=[record.owner], actor=user)
        password_set(user=user, password=password, actor=user)
        record.used_at, record.used_by = clock.now(), user
        record.save(update_fields=["used_at", "used_by"])
        audit_log(
            event_type=PeopleEvent.OWNER_ACTIVATED,
            actor=user,
            subject=record,
            new={"owner": record.owner.identifier, "phone": mask_phone(phone)},
        )
    return user


# --- in person ----------------------------------------------------------------

DOCUMENTS = {
    "id_card": "ID card",
    "property_certificate": "property certificate",
}


@transaction.atomic
def owner_link_in_person(
    *,
    actor: User,
    owner: Owner,
    unit: Unit,
    phone: str,
    name: str,
    documents: list[str],
    id_number: str = "",
) -> Membership:
    """A clerk links an owner's account after checking their papers in person.

    Both the ID card and the property certificate must have been checked. Where the
    roll has the owner's ID number, the number on the card must match it."""
    if not actor.has_perm("people.link_owner", unit.compound):
        raise PermissionRefused(
            _("You do not act for %(compound)s.") % {"compound": unit.compound.name}
        )
    if not unit.owners.filter(pk=owner.pk).exists():
        raise ApplicationError(
            _("%(owner)s is not an owner of this unit on the roll.") % {"owner": owner}
        )
    missing = [key for key in DOCUMENTS if key not in documents]
    if missing:
        raise ApplicationError(
            _("Check the ID card and the property certificate in person before linking.")
        )
    if owner.id_number_hash:
        if not id_number:
            raise ApplicationError(
                _("The roll has this owner's ID number: type the number on the card to compare.")
            )
        if id_number_hash(id_number_checked(id_number)) != owner.id_number_hash:
            raise ApplicationError(_("The ID card does not match the owner on the roll."))
    user, _created = user_for_phone_or_new(phone=phone, name=name or owner.name, actor=actor)
    (membership,) = _link(user=user, owners=[owner], actor=actor)
    audit_log(
        event_type=PeopleEvent.OWNER_LINKED_IN_PERSON,
        actor=actor,
        subject=membership,
        new={
            "owner": owner.identifier,
            "unit": f"{unit.compound.name} {unit.number}",
            "checked": sorted(documents),
            "id_number_compared": bool(owner.id_number_hash),
            "phone": mask_phone(user.phone),
        },
    )
    tell_new_role(user, membership)
    return membership
