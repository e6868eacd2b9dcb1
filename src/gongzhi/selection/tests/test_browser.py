"""End to end in a real Chromium: the sub-district picks a custodian; an expert scores on
a phone."""

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.demo.builder import DEMO_PASSWORD, REFERENCE_DECISION
from gongzhi.demo.seed import seed_demo
from gongzhi.registry.models import Compound, PropertyCompany
from gongzhi.selection import services
from gongzhi.selection.models import Custody, PanelMember
from gongzhi.voting.models import Decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_official_picks_the_nearest_custodian(live_server, page):
    seed_demo()
    compound = Compound.objects.get(name="茅台雅苑")
    request = services.custody_request_create(
        compound=compound,
        requested_by="committee",
        reason="物业服务企业告知退出（浏览器测试）",
        exiting_company=compound.property_company,
        exit_notice_date=timezone.localdate() - dt.timedelta(days=10),
        actor=User.objects.get(username="clerk"),
    )
    login(page, live_server, "official")
    page.goto(f"{live_server.url}/selection/custody/{request.pk}/")
    first_row = page.get_by_test_id("candidates").locator("tbody tr").first
    nearest = first_row.locator("td").nth(1).inner_text()
    assert first_row.locator("td").first.inner_text() == "1"
    assert page.locator(".map-wrap svg").count() == 1

    form = page.get_by_test_id("pick-form")
    form.locator("select[name=company]").select_option(label=nearest)
    form.locator("input[name=starts_on]").fill(timezone.localdate().isoformat())
    form.locator("input[name=months]").fill("6")
    form.get_by_role("button", name="登记选定结果").click()
    page.locator(".messages li.success").wait_for()

    custody = Custody.objects.get(request=request)
    assert (custody.company.name, custody.rank, custody.reason) == (nearest, 1, "")
    assert page.get_by_test_id("custodies").inner_text().count(nearest) == 1
    assert page.get_by_test_id("pick-form").count() == 0  # picked once, not twice


def test_expert_declares_and_scores_on_a_phone(live_server, phone_page):
    seed_demo()
    now = timezone.now()
    clerk = User.objects.get(username="clerk")
    plan = services.plan_create(
        neighbourhood=Compound.objects.get(name="茅台雅苑").neighbourhood,
        title="浏览器测试选聘方案",
        compounds=[Compound.objects.get(name="茅台雅苑")],
        decision=Decision.objects.get(title=REFERENCE_DECISION),
        bids_close_at=now - dt.timedelta(days=1),
        credit_requirements="信用良好",
        staffing_requirements="持证上岗",
        track_record_requirements="老旧小区经验",
        service_content="保洁、秩序维护",
        contract_months=36,
        method="以质论价",
        actor=clerk,
    )
    services.plan_publish(plan=plan, actor=clerk, now=now - dt.timedelta(days=10))
    for name, fee in (("纺原物业", "1.80"), ("天山物业 (虚构)", "1.95")):
        services.bid_submit(
            plan=plan,
            company=PropertyCompany.objects.get(name=name),
            fees={"residential": fee},
            staff=12,
            public_revenue_share="70",
            term_months=36,
            service_items=[{"item": "保洁", "level": "一级"}],
            actor=clerk,
            now=now - dt.timedelta(days=5),
        )
    for username in ("expert", "expert2", "expert3", "expert4", "cityops"):
        user = User.objects.get(username=username)
        member = services.panel_add_member(
            plan=plan,
            user=user,
            name=user.get_full_name() or username,
            affiliation="industry_expert",
            is_expert=True,
            actor=clerk,
        )
        if username != "expert":
            services.panel_declare(member=member, user=user)

    page = phone_page
    login(page, live_server, "expert")
    page.goto(f"{live_server.url}/selection/plans/{plan.pk}/score/")
    page.get_by_test_id("declare").click()
    page.locator(".messages li.success").wait_for()
    member = PanelMember.objects.get(panel__plan=plan, user__username="expert")
    assert member.declared_no_conflict_at is not None

    services.panel_open(plan=plan, actor=clerk)
    page.reload()
    form = page.get_by_test_id("score-form")
    inputs = form.locator("input[type=number]")
    assert inputs.count() == 2 * 4  # two bids, four quality criteria; the fee is not scored
    for index in range(inputs.count()):
        inputs.nth(index).fill("12.5")
    form.get_by_role("button", name="提交评分").click()
    page.get_by_test_id("submitted").wait_for()
    member = PanelMember.objects.get(panel__plan=plan, user__username="expert")
    assert member.submitted_at is not None
    assert sorted({str(s.value) for s in member.scores.all()}) == ["12.5"]
    assert member.scores.count() == 8
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
