"""In a real Chromium the size of a phone: an owner reports a leak with a photo, the
company's worker accepts, starts and resolves it from their phone, and the owner says
it is fixed and rates the work — the request is closed, its history complete."""

import pytest

from gongzhi.demo.images import tiny_png
from gongzhi.servicedesk.models import Feedback, RequestPhoto, ServiceRequest, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"


def sign_in(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_leak_from_the_owners_phone_to_the_owners_rating(live_server, phone_page, desk, tmp_path):
    page = phone_page
    picture = tmp_path / "漏水.png"
    picture.write_bytes(tiny_png("漏水", size=64))

    # the owner reports from the menu
    sign_in(page, live_server.url, "owner")
    page.click("[data-testid=requests-link]")
    page.click("[data-testid=report-link]")
    assert fits(page)
    page.select_option("select[name=category]", label="房屋渗漏")
    page.fill("textarea[name=description]", "卫生间顶部渗水，已经滴到地上")
    page.set_input_files("input[name=photos]", str(picture))
    page.click("[data-testid=report-form] button[type=submit]")
    page.wait_for_load_state()
    item = ServiceRequest.objects.get()
    assert page.url.endswith(f"/requests/{item.pk}/")
    assert page.inner_text("[data-testid=status]") == "已提交"
    assert item.unit == desk.units["mine"] and RequestPhoto.objects.count() == 1

    # the company's worker: in their queue, accept, start, resolve
    sign_in(page, live_server.url, "provider")
    page.goto(f"{live_server.url}/requests/")
    assert fits(page)
    page.click(f"a[href='/requests/{item.pk}/']")
    assert "13811112222" in page.inner_text("[data-testid=reporter]")  # to call the owner
    page.click("[data-testid=accept]")
    page.click("[data-testid=start]")
    page.click("[data-testid=resolve-form] >> xpath=.. >> summary")
    page.check("input[name=outcome][value=fixed]")
    page.fill("[data-testid=resolve-form] textarea[name=reason]", "楼上防水层破损，已重做")
    page.click("[data-testid=resolve]")
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=status]") == "已办结"
    assert fits(page)

    # the owner is asked, says it is fixed and rates
    sign_in(page, live_server.url, "owner")
    page.goto(f"{live_server.url}/requests/")
    assert "修好了吗" in page.inner_text("[data-testid=my-request]")
    page.click(f"a[href='/requests/{item.pk}/']")
    page.check("input[name=fixed][value=yes]")
    page.check("input[name=overall][value='5']")
    page.check("input[name=speed][value='4']")
    page.check("input[name=attitude][value='5']")
    page.click("[data-testid=send-feedback]")
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=status]") == "已结束"
    item.refresh_from_db()
    assert item.status == Status.CLOSED
    assert (Feedback.objects.get().overall, Feedback.objects.get().speed) == (5, 4)
    history = page.inner_text("[data-testid=history]")
    for step in ("报修", "已受理", "开始处理", "已办结", "报事人评价", "已结束"):
        assert step in history, step
    assert fits(page)
