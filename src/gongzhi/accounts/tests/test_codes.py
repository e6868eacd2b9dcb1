"""SMS codes: random, stored hashed, ten minutes, once, locked at five wrong tries,
replaced by a newer one, limited per phone and per address before anything else."""

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.accounts.models import CodePurpose, PhoneCode
from gongzhi.accounts.services.codes import code_check, code_issue, mobile, sending_limits
from gongzhi.core.errors import ApplicationError, RateLimited
from gongzhi.core.tests.outbox import last_code, sms_sent

pytestmark = pytest.mark.django_db
PHONE = "13800138000"


def check(code, *, now=None, address="10.0.0.1"):
    return code_check(phone=PHONE, purpose=CodePurpose.SIGN_IN, code=code, address=address, now=now)


def test_a_code_is_sent_by_sms_and_kept_only_as_a_hash():
    record = code_issue(phone=PHONE, purpose=CodePurpose.SIGN_IN)
    code = last_code(PHONE)
    assert len(code) == 6 and code.isdigit()
    assert code not in record.code_hash and len(record.code_hash) == 64
    (sms,) = sms_sent(PHONE)
    assert sms["text"].startswith("【共治】") and "10" in sms["text"]
    assert check(code).pk == record.pk
    with pytest.raises(ApplicationError, match="验证码错误或已过期"):
        check(code)  # once only


def test_a_code_expires_after_ten_minutes_to_the_second():
    sent = timezone.now()
    code_issue(phone=PHONE, purpose=CodePurpose.SIGN_IN, now=sent)
    code = last_code(PHONE)
    with pytest.raises(ApplicationError):
        check(code, now=sent + dt.timedelta(minutes=10))
    assert check(code, now=sent + dt.timedelta(minutes=10) - dt.timedelta(seconds=1))


def test_five_wrong_tries_lock_the_code_even_for_the_right_one():
    code_issue(phone=PHONE, purpose=CodePurpose.SIGN_IN)
    code = last_code(PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        with pytest.raises(ApplicationError, match="验证码错误或已过期"):
            check(wrong)
    with pytest.raises(ApplicationError, match="错误次数过多"):
        check(wrong)  # the fifth
    assert PhoneCode.objects.get().attempts == 5
    with pytest.raises(ApplicationError, match="错误次数过多"):
        check(code)


def test_four_wrong_tries_still_let_the_right_code_in():
    code_issue(phone=PHONE, purpose=CodePurpose.SIGN_IN)
    code = last_code(PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        with pytest.raises(ApplicationError):
            check(wrong)
    assert check(code)


def test_a_new_code_replaces_the_old_one():
    code_issue(phone=PHONE, purpose=CodePurpose.SIGN_IN)
    first = last_code(PHONE)
    code_issue(phone=PHONE, purpose=CodePurpose.SIGN_IN)
    second = last_code(PHONE)
    if first != second:
        with pytest.raises(ApplicationError):
            check(first)
    assert check(second)


def test_a_code_of_one_purpose_does_not_serve_another():
    code_issue(phone=PHONE, purpose=CodePurpose.RESET)
    with pytest.raises(ApplicationError):
        check(last_code(PHONE))


def test_sending_is_limited_per_phone_and_per_address():
    for n in range(5):
        sending_limits(phone=PHONE, address=f"10.0.0.{n}", purpose=CodePurpose.SIGN_IN)
    with pytest.raises(RateLimited, match="分钟后再试"):
        sending_limits(phone=PHONE, address="10.0.0.99", purpose=CodePurpose.SIGN_IN)
    for n in range(5):
        sending_limits(phone=f"1390000000{n}", address="10.9.9.9", purpose=CodePurpose.CLAIM)
    with pytest.raises(RateLimited):  # claims: 5 an hour per address
        sending_limits(phone="13900000009", address="10.9.9.9", purpose=CodePurpose.CLAIM)


def test_checks_are_limited_per_address_before_the_code_is_looked_at(settings):
    settings.CODE_RATE_LIMITS = {
        **settings.CODE_RATE_LIMITS,
        "check": {"per_phone": 100, "per_address": 3, "window_seconds": 3600},
    }
    for _ in range(3):
        with pytest.raises(ApplicationError):
            check("000000")
    code_issue(phone=PHONE, purpose=CodePurpose.SIGN_IN)
    with pytest.raises(RateLimited):
        check(last_code(PHONE))  # right code, but over the address's limit


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 13800138000",
        "008613800138000",
        "１３８００１３８０００",
    ],
)
def test_mobile_numbers_are_read_as_people_type_them(typed):
    assert mobile(typed) == "13800138000"


@pytest.mark.parametrize(
    "typed", ["1380013800", "23800138000", "12800138000", "1380013800a", "", "021-62345678"]
)
def test_what_is_not_a_mainland_mobile_is_refused_in_words(typed):
    with pytest.raises(ApplicationError, match="不是中国大陆手机号"):
        mobile(typed)
