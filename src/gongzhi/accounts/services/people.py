"""Accounts of people: created by mobile number, passwords set by invitation link or
SMS code, signing in with a code, a new mobile number, the profile."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.core.audit import audit_log
from gongzhi.core.errors import ApplicationError
from gongzhi.core.masking import mask_phone

from ..events import AccountEvent
from ..models import CodePurpose, User
from .codes import code_check, code_issue, mobile, sending_limits

MESSAGE_PHONE_TAKEN = gettext_noop("This mobile number already belongs to another account.")


def user_for_phone(phone: str) -> User | None:
    return User.objects.filter(phone=phone).first()


@transaction.atomic
def user_for_phone_or_new(*, phone: str, name: str, actor: User | None) -> tuple[User, bool]:
    """The account with this mobile number, or a new one without a password (its
    owner sets one from the invitation, or with an SMS code)."""
    phone = mobile(phone)
    user = user_for_phone(phone)
    if user is not None:
        if name and not user.display_name:
            user.display_name = name[:100]
            user.save(update_fields=["display_name"])
        return user, False
    username = phone
    while User.objects.filter(username=username).exists():  # a user name someone chose
        username = f"{phone}-{User.objects.count()}"
    user = User(username=username, phone=phone, display_name=(name or "")[:100])
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # created meanwhile by another request
        return User.objects.get(phone=phone), False
    audit_log(
        event_type=AccountEvent.ACCOUNT_CREATED,
        actor=actor,
        subject=user,
        new={"phone": mask_phone(phone), "name": user.display_name},
    )
    return user, True


def password_checked(password: str, user: User | None = None) -> str:
    """The password, or a refusal listing what Django's validators found."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages)) from exc
    return password


@transaction.atomic
def password_set(*, user: User, password: str, actor: User | None) -> User:
    """Set the password (checked by the validators)."""
    user.set_password(password_checked(password, user))
    user.save(update_fields=["password"])
    audit_log(event_type=AccountEvent.PASSWORD_SET, actor=actor or user, subject=user)
    return user


def invitation_url(user: User) -> str:
    """An absolute link where the person sets their password; it stops working once a
    password is set, and after ``PASSWORD_RESET_TIMEOUT``."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.BASE_URL + reverse("accounts:welcome", args=[uid, token])


def invited_user(uidb64: str, token: str) -> User:
    """The person an invitation link is for, or a refusal."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist) as exc:
        raise ApplicationError(_("This link is not valid.")) from exc
    if not default_token_generator.check_token(user, token):
        raise ApplicationError(
            _(
                "This link has expired or was used already. Sign in, or reset your "
                "password with an SMS code."
            )
        )
    return user


@transaction.atomic
def invitation_accept(*, uidb64: str, token: str, password: str) -> User:
    """Set the invited person's password from their link."""
    user = invited_user(uidb64, token)
    return password_set(user=user, password=password, actor=user)


def sign_in_code_request(*, phone: str, address: str) -> None:
    """Send a sign-in code to an account's mobile. The answer does not say whether an
    account has that number."""
    phone = mobile(phone)
    sending_limits(phone=phone, address=address, purpose=CodePurpose.SIGN_IN)
    user = user_for_phone(phone)
    if user is not None and user.is_active:
        code_issue(phone=phone, purpose=CodePurpose.SIGN_IN)


def sign_in_with_code(*, phone: str, code: str, address: str) -> User:
    """The account whose mobile received this sign-in code."""
    phone = mobile(phone)
    code_check(phone=phone, purpose=CodePurpose.SIGN_IN, code=code, address=address)
    user = user_for_phone(phone)
    if user is None or not user.is_active:
        raise ApplicationError(_("No active account has this mobile number."))
    audit_log(event_type=AccountEvent.SIGNED_IN_BY_CODE, actor=user, subject=user)
    return user


def password_reset_request(*, phone: str, address: str) -> None:
    """Send a reset code to an account's mobile (an invited person without a password
    too). The answer does not say whether an account has that number."""
    phone = mobile(phone)
    sending_limits(phone=phone, address=address, purpose=CodePurpose.RESET)
    user = user_for_phone(phone)
    if user is not None and user.is_active:
        code_issue(phone=phone, purpose=CodePurpose.RESET)


def password_reset_confirm(*, phone: str, code: str, password: str, address: str) -> User:
    """Set a new password with the code sent to the account's mobile."""
    phone = mobile(phone)
    user = user_for_phone(phone)
    password_checked(password, user)  # a weak password is refused before the code is used
    code_check(phone=phone, purpose=CodePurpose.RESET, code=code, address=address)
    if user is None or not user.is_active:
        raise ApplicationError(_("No active account has this mobile number."))
    return password_set(user=user, password=password, actor=user)


def phone_change_request(*, user: User, phone: str, address: str) -> None:
    """Send a code to the new mobile number; it becomes the account's when confirmed."""
    phone = mobile(phone)
    if phone == user.phone:
        raise ApplicationError(_("This is already your mobile number."))
    sending_limits(phone=phone, address=address, purpose=CodePurpose.PHONE_CHANGE)
    code_issue(phone=phone, purpose=CodePurpose.PHONE_CHANGE, payload={"user": user.pk})


@transaction.atomic
def _phone_set(*, user: User, phone: str) -> User:
    if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        raise ApplicationError(_(MESSAGE_PHONE_TAKEN))
    old = user.phone
    user.phone = phone
    user.save(update_fields=["phone"])
    audit_log(
        event_type=AccountEvent.PHONE_CHANGED,
        actor=user,
        subject=user,
        old={"phone": mask_phone(old)},
        new={"phone": mask_phone(phone)},
    )
    return user


def phone_change_confirm(*, user: User, phone: str, code: str, address: str) -> User:
    """Make the new mobile number the account's, with the code it received."""
    phone = mobile(phone)
    record = code_check(phone=phone, purpose=CodePurpose.PHONE_CHANGE, code=code, address=address)
    if record.payload.get("user") != user.pk:
        raise ApplicationError(_("The code is wrong or has expired. Ask for a new one."))
    return _phone_set(user=user, phone=phone)


@transaction.atomic
def profile_update(*, user: User, display_name: str, email: str) -> User:
    """The name others see and an e-mail address for messages."""
    from django.core.validators import validate_email

    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ApplicationError(
                _("“%(value)s” is not an e-mail address.") % {"value": email[:60]}
            ) from exc
    user.display_name = (display_name or "").strip()[:100]
    user.email = email
    user.save(update_fields=["display_name", "email"])
    return user


SCOPE_LOGIN_NAME = "login-user"  # shared with the sign-in page (accounts.views)
SCOPE_LOGIN_ADDRESS = "login-addr"


def password_sign_in(*, login: str, password: str, address: str) -> User:
    """The account of this mobile number (or user name) and password, for a mobile
    client. Counted against the same limits as the sign-in page, before the password
    is checked; a success gives its attempt back."""
    from django.contrib.auth import authenticate

    from gongzhi.core import ratelimit
    from gongzhi.core.errors import RateLimited

    from ..backends import login_key

    limits = settings.LOGIN_RATE_LIMIT
    key = login_key(login)
    window, max_block = limits["window_seconds"], limits.get("max_block_seconds")
    by_name = ratelimit.hit(
        SCOPE_LOGIN_NAME, key, limit=limits["per_username"], window=window, max_block=max_block
    )
    verdict = by_name
    if by_name.allowed:
        verdict = ratelimit.hit(
            SCOPE_LOGIN_ADDRESS,
            address,
            limit=limits["per_address"],
            window=window,
            max_block=max_block,
        )
        if not verdict.allowed:
            ratelimit.refund(SCOPE_LOGIN_NAME, key)
    if not verdict.allowed:
        raise RateLimited(
            _("Too many failed sign-ins. Try again in %(minutes)d minutes.")
            % {"minutes": verdict.retry_minutes},
            retry_after=verdict.retry_after,
        )
    user = authenticate(username=login, password=password)
    if user is None:
        raise ApplicationError(_("The mobile number (or user name) or the password is wrong."))
    ratelimit.reset(SCOPE_LOGIN_NAME, key)
    ratelimit.refund(SCOPE_LOGIN_ADDRESS, address)
    return user
