"""In a real Chromium the size of a phone: the foundation's clerk records a donation
with its electronic receipt and then a payment from the fund; a visitor sees the
fund's figures add up to the fen, and checks the donation from its QR link."""

import datetime as dt

import pytest

from gongzhi.accounts.models import Role
from gongzhi.core import clock
from gongzhi.foundation import services
from gongzhi.foundation.models import Disbursement, Donation
from gongzhi.registry.models import Organisation, OrganisationKind
from gongzhi.registry.tests.factories import SubDistrictFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-1"


def go(page, selector):
    """Click what leads to another page, and wait until that page has loaded."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_donation_and_a_payment_from_the_clerks_phone(live_server, phone_page):
    page, url = phone_page, live_server.url
    sd = SubDistrictFactory(name="仙霞新村街道")
    body = Organisation.objects.create(
        kind=OrganisationKind.FOUNDATION, name="仙霞社区基金会", sub_district=sd
    )
    clerk = user_with_role("fclerk", Role.FOUNDATION_CLERK, organisation=body)
    clerk.set_password(PASSWORD)
    clerk.save()
    fund = services.fund_create(
        foundation=body, name="金平县帮扶", beneficiary="云南省金平县",
        purpose="金平县乡村学校助学", starts_on=clock.today() - dt.timedelta(days=30), actor=clerk,
    )  # fmt: skip
    day = (clock.today() - dt.timedelta(days=2)).isoformat()

    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", "fclerk")
    page.fill("input[name=password]", PASSWORD)
    go(page, "main form button[type=submit]")
    go(page, "[data-testid=business-desk] >> text=账簿")
    assert fits(page)
    go(page, f"a[href='/foundation/funds/{fund.pk}/']")
    go(page, "text=登记捐赠")
    assert fits(page)
    page.fill("input[name=donor_name]", "王小明")
    page.fill("input[name=amount]", "50,000.00")
    page.fill("input[name=received_on]", day)
    page.check("input[name=disclosure][value=masked]")
    page.check("input[name=receipt_kind][value=electronic]")
    page.fill("input[name=receipt_number]", "3102012600001")
    page.fill("input[name=receipt_check_code]", "8f3a2c")
    go(page, "main form button[type=submit]")
    assert Donation.objects.get().amount_fen == 5_000_000

    go(page, "text=登记支出")
    page.fill("input[name=amount]", "50000.01")  # one fen too many: refused, nothing written
    page.fill("input[name=paid_on]", day)
    go(page, "main form button[type=submit]")
    assert "50000.00" in page.inner_text("main") and not Disbursement.objects.exists()
    page.fill("input[name=amount]", "12,000.50")
    go(page, "main form button[type=submit]")
    assert Disbursement.objects.get().amount_fen == 1_200_050

    page.context.clear_cookies()
    page.goto(f"{url}/foundation/funds/{fund.pk}/")
    assert page.inner_text("[data-testid=balance]") == "37,999.50"
    assert "王*明" in page.inner_text("[data-testid=donations]")
    assert "王小明" not in page.content()
    assert fits(page)
    go(page, "[data-testid=donations] a[href^='/foundation/receipts/']")
    assert page.inner_text("[data-testid=amount]") == "50,000.00"
