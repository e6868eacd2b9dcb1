"""End to end in a real Chromium on a phone: an owner reads the board, opens a notice,
leaves an opinion with a phone number in it, sees it masked and awaiting an answer;
the clerk answers; a visitor then sees the answer without the owner's name."""

import pytest

from gongzhi.demo.builder import DEMO_PASSWORD
from gongzhi.demo.seed import seed_demo
from gongzhi.notices.models import Notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLE = "电梯监控及电瓶车充电桩安装进度公示"


def sign_in(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_owner_leaves_an_opinion_on_a_phone_and_the_answer_is_public(live_server, phone_page):
    seed_demo()
    page, url = phone_page, live_server.url
    notice = Notice.objects.get(title=TITLE)

    sign_in(page, url, "owner")
    page.goto(f"{url}/notices/")
    board = page.get_by_test_id("current-notices")
    assert "还剩" in board.inner_text()
    board.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/notices/{notice.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    form = page.get_by_test_id("opinion-form")
    form.locator("textarea").fill("3号楼充电桩能否加装雨棚？联系 13912345678")
    form.get_by_role("button", name="提交").click()
    page.locator(".messages li.success").wait_for()
    mine = page.get_by_test_id("opinion").last.inner_text()
    assert "139****5678" in mine and "13912345678" not in mine
    assert "待答复" in mine

    page.context.clear_cookies()
    sign_in(page, url, "clerk")
    page.goto(f"{url}/notices/{notice.pk}/")
    waiting = page.get_by_test_id("opinion").filter(has_text="3号楼充电桩")
    waiting.locator("textarea").fill("已列入二期施工，雨棚随充电桩一并安装。")
    waiting.get_by_role("button", name="答复").click()
    page.locator(".messages li.success").wait_for()

    page.context.clear_cookies()
    page.goto(f"{url}/notices/{notice.pk}/")
    answered = page.get_by_test_id("opinion").filter(has_text="3号楼充电桩").inner_text()
    assert "已列入二期施工" in answered
    owner_name = notice.opinions.get(text__contains="3号楼充电桩").owner.name
    assert owner_name not in page.content()
