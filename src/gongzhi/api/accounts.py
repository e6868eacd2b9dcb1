"""Accounts for mobile clients (a WeChat mini-program, an app): claiming one's units,
tokens, password reset. The same services as the pages; the answers to claims and
code requests are the same whether anything matched."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Router, Schema, Status

from gongzhi.accounts.services import people, tokens
from gongzhi.core.errors import ApplicationError
from gongzhi.core.net import client_address
from gongzhi.people.services import claims
from gongzhi.registry.models import Compound

from .auth import BearerToken
from .common import Refusal

router = Router(tags=["accounts"])


class DetailOut(Schema):
    detail: str


class ClaimIn(Schema):
    compound: int = Field(description="the compound's id (GET /api/accounts/compounds)")
    building: str = Field(
        "", max_length=50, description="as on the property certificate; empty if none"
    )
    unit: str = Field(max_length=50, description="the room number")
    id_number: str = Field(max_length=30)
    phone: str = Field(max_length=30)


class ConfirmIn(Schema):
    phone: str = Field(max_length=30)
    code: str = Field(max_length=10)
    password: str = Field(max_length=128)


class TokenIn(Schema):
    phone: str = Field(max_length=100, description="mobile number (or user name)")
    password: str | None = Field(None, max_length=128)
    code: str | None = Field(
        None, max_length=10, description="a sign-in code instead of the password"
    )
    name: str = Field(
        "", max_length=60, description="what the client calls itself, shown in the profile"
    )


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class PhoneIn(Schema):
    phone: str = Field(max_length=30)


class ClaimableCompoundOut(Schema):
    id: int
    name: str
    area: str
    sub_district: str


class MeOut(Schema):
    phone: str
    name: str
    roles: list[str]


SENT = gettext_noop(
    "If the roll agrees with what you gave, a code was sent to that mobile. "
    "It is valid for 10 minutes."
)
CODE_SENT = gettext_noop("If an account has this mobile number, a code was sent to it.")


@router.get(
    "/compounds",
    response=list[ClaimableCompoundOut],
    auth=None,
    summary="Compounds one may claim a unit in",
)
def compounds(request):
    rows = Compound.objects.select_related("neighbourhood__sub_district").order_by(
        "neighbourhood__sub_district__name", "neighbourhood__name", "name"
    )
    return [
        {
            "id": c.pk,
            "name": c.name,
            "area": c.neighbourhood.name,
            "sub_district": c.neighbourhood.sub_district.name,
        }
        for c in rows
    ]


@router.post(
    "/claim",
    response={202: DetailOut, 400: Refusal},
    auth=None,
    summary="Claim one's units: a code goes to the mobile when the roll agrees "
    "(the same answer either way)",
)
def claim(request, payload: ClaimIn):
    compound = Compound.objects.filter(pk=payload.compound).first()
    claims.claim_request(
        compound=compound,
        building=payload.building,
        room=payload.unit,
        id_number=payload.id_number,
        phone=payload.phone,
        address=client_address(request),
    )
    return Status(202, {"detail": _(SENT)})


@router.post(
    "/claim/confirm",
    response={201: DetailOut, 400: Refusal, 403: Refusal},
    auth=None,
    summary="Confirm a claim with the SMS code and a password",
)
def claim_confirm(request, payload: ConfirmIn):
    claims.claim_confirm(
        phone=payload.phone,
        code=payload.code,
        password=payload.password,
        address=client_address(request),
    )
    return Status(201, {"detail": _("Your account is ready and linked to your home.")})


@router.post(
    "/sign-in-code",
    response={202: DetailOut, 400: Refusal},
    auth=None,
    summary="Send a sign-in code to an account's mobile (same answer either way)",
)
def sign_in_code(request, payload: PhoneIn):
    people.sign_in_code_request(phone=payload.phone, address=client_address(request))
    return Status(202, {"detail": _(CODE_SENT)})


@router.post(
    "/token",
    response={200: TokenOut, 400: Refusal},
    auth=None,
    summary="A bearer token, for a mobile number with its password or a sign-in code",
)
def token(request, payload: TokenIn):
    address = client_address(request)
    if payload.code:
        user = people.sign_in_with_code(phone=payload.phone, code=payload.code, address=address)
    elif payload.password:
        user = people.password_sign_in(
            login=payload.phone, password=payload.password, address=address
        )
    else:
        raise ApplicationError(_("Give the password or a sign-in code."))
    issued, raw = tokens.token_issue(user=user, name=payload.name)
    return {"token": raw, "expires_at": issued.expires_at}


@router.post(
    "/token/revoke",
    response={204: None},
    auth=BearerToken(),
    summary="Revoke the token this request came with (a client signing out)",
)
def token_revoke(request):
    header = request.headers.get("Authorization", "")
    tokens.token_revoke_raw(raw=header.partition(" ")[2].strip(), actor=request.user)
    return Status(204, None)


@router.post(
    "/password-reset",
    response={202: DetailOut, 400: Refusal},
    auth=None,
    summary="Send a reset code to an account's mobile (same answer either way)",
)
def password_reset(request, payload: PhoneIn):
    people.password_reset_request(phone=payload.phone, address=client_address(request))
    return Status(202, {"detail": _(CODE_SENT)})


@router.post(
    "/password-reset/confirm",
    response={200: DetailOut, 400: Refusal},
    auth=None,
    summary="Set a new password with the reset code",
)
def password_reset_confirm(request, payload: ConfirmIn):
    people.password_reset_confirm(
        phone=payload.phone,
        code=payload.code,
        password=payload.password,
        address=client_address(request),
    )
    return {"detail": _("Your new password is set.")}


@router.get("/me", response=MeOut, summary="The signed-in person")
def me(request):
    from gongzhi.accounts.selectors import memberships_of

    user = request.user
    return {
        "phone": user.phone,
        "name": user.display_name,
        "roles": sorted({m.role for m in memberships_of(user)}),
    }
