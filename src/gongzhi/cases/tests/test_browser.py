"""End to end in a real Chromium: a clerk is refused a stage with the guard's words,
fixes what is missing, and advances."""

import pytest

from gongzhi.accounts.models import User
from gongzhi.cases import services
from gongzhi.cases.models import ConsolidationCase
from gongzhi.demo.builder import DEMO_PASSWORD
from gongzhi.demo.seed import seed_demo
from gongzhi.registry.models import Compound

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_is_refused_fixes_the_cause_and_advances(live_server, page):
    seed_demo()
    anhong, hongxia = Compound.objects.get(name="安虹小区"), Compound.objects.get(name="虹霞高层")
    case = services.case_open(
        neighbourhood=anhong.neighbourhood,
        title="二期集约化（浏览器测试）",
        compounds=[(anhong, None), (hongxia, None)],
        actor=User.objects.get(username="clerk"),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert page.get_by_test_id("stage").inner_text() == "立项"

    page.get_by_test_id("advance").click()
    error = page.locator(".messages li.error")
    error.wait_for()
    assert "尚未成立工作专班" in error.inner_text()
    missing = page.get_by_test_id("missing").inner_text()
    assert "尚未成立工作专班" in missing

    form = page.get_by_test_id("task-force-form")
    form.locator("input[name=name]").fill("二期工作专班")
    form.locator("input[name=leader]").fill("党总支书记")
    form.locator("input[name=leader_organisation]").fill("水霞居民区党总支")
    form.locator("input[name=formed_on]").fill("2026-11-01")
    form.get_by_role("button", name="成立工作专班").click()
    page.locator(".messages li.success").wait_for()

    page.get_by_test_id("advance").click()
    page.locator(".messages li.error").wait_for()
    assert "工作专班尚无成员" in page.get_by_test_id("missing").inner_text()

    page.locator("summary", has_text="添加成员").click()
    page.fill("input[name=name][maxlength='100']", "居委会 李干事")
    page.fill("input[name=organisation]", "水霞居民区居委会")
    page.fill("input[name=responsibilities]", "会议组织")
    page.locator("form:has(input[name=responsibilities]) button").click()
    page.locator(".messages li.success").wait_for()
    page.locator("summary", has_text="添加任务").click()
    page.fill("input[name=title]", "走访二期小区业委会")
    page.fill("input[name=due_on]", "2026-12-15")
    page.locator("form:has(input[name=due_on]) button").click()
    page.locator(".messages li.success").wait_for()

    page.get_by_test_id("advance").click()
    page.locator(".messages li.success").wait_for()
    assert page.get_by_test_id("stage").inner_text() == "成立工作专班"
    assert ConsolidationCase.objects.get(pk=case.pk).stage == "task_force"
