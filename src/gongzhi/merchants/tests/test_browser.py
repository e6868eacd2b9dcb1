"""In a real Chromium the size of a phone: a shop applies for the featured-merchant
certification, the district office names the panel, three experts score alone, the
office certifies, and a visitor finds the shop in the directory and checks its
certificate."""

import pytest

from gongzhi.merchants.models import Application, ApplicationStatus, Certificate

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def go(page, selector):
    """Click what leads to another page, and wait until that page has loaded."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()


def sign_in(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    go(page, "main form button[type=submit]")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_shop_from_application_to_the_directory(live_server, phone_page, scheme):
    page, url = phone_page, live_server.url
    sign_in(page, url, "keeper")
    page.goto(f"{url}/me/")
    go(page, "[data-testid=my-shop] >> text=申请认证")
    assert fits(page)
    page.fill("textarea[name=statement]", "社区蛋糕店，青年店主手作，常参加市集")
    go(page, "main form button[type=submit]")
    application = Application.objects.get()
    assert application.nominated_by is None
    assert page.inner_text("[data-testid=status]") == "已提交"

    sign_in(page, url, "district")
    page.goto(f"{url}/merchants/applications/{application.pk}/")
    for reviewer in scheme["reviewers"]:
        page.check(f"input[name=reviewers][value='{reviewer.pk}']")
    go(page, "text=开始评审")
    assert page.inner_text("[data-testid=status]") == "评审中"

    for reviewer, youth in zip(scheme["reviewers"], ("35", "36", "34.5"), strict=True):
        sign_in(page, url, reviewer.username)
        page.goto(f"{url}/me/")
        go(page, f"a[href='/merchants/applications/{application.pk}/']")
        assert fits(page)
        page.fill("input[name=score-youth]", youth)
        page.fill("input[name=score-quality]", "33")
        page.fill("input[name=score-community]", "16")
        page.check("input[name=declared]")
        go(page, "[data-testid=score-form] button[type=submit]")
        assert "已提交" in page.content()

    sign_in(page, url, "district")
    page.goto(f"{url}/merchants/applications/{application.pk}/")
    assert page.inner_text("[data-testid=total]") == "84.17"  # 35.17 + 33 + 16
    page.check("input[name=certify][value='1']")
    page.fill("[data-testid=decide-form] textarea[name=reasons]", "三项标准均达到要求")
    go(page, "[data-testid=decide-form] button[type=submit]")
    assert Application.objects.get().status == ApplicationStatus.CERTIFIED
    number = Certificate.objects.get().number

    page.context.clear_cookies()
    page.goto(f"{url}/merchants/")
    page.wait_for_load_state()
    assert fits(page)
    assert "向野制果" in page.inner_text("[data-testid=directory]")
    page.fill("input[name=q]", "茅台路")
    go(page, "form[role=search] button")
    go(page, f"text={number}")
    assert page.inner_text("[data-testid=status]").startswith("有效")
    assert fits(page)
