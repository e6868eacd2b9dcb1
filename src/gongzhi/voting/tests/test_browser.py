"""End to end in a real Chromium: an owner votes on a phone."""

import re

import pytest

from gongzhi.demo.builder import DEMO_PASSWORD, OPEN_DECISION
from gongzhi.demo.seed import seed_demo
from gongzhi.voting.models import Ballot, Decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_votes_on_a_phone_and_checks_the_receipt(live_server, phone_page):
    seed_demo()
    decision = Decision.objects.get(title=OPEN_DECISION)
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "owner")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/me/$"))
    # the owner's page leads to the vote their units still owe
    page.get_by_test_id("go-vote").click()
    page.wait_for_url(re.compile(rf".*/voting/{decision.pk}/vote/$"))

    cards = page.locator("section.card")
    assert cards.count() == 2  # the persona's two units
    first = cards.first
    first.get_by_label("同意", exact=True).check()
    first.get_by_role("button", name="投票").click()
    # a ballot cannot be changed: it is shown once more before it is cast
    assert page.get_by_test_id("chosen-1").inner_text() == "同意"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_test_id("confirm-button").click()
    notice = page.locator(".messages li.success")
    notice.wait_for()
    receipt = re.search(r"[A-Z2-9]{8}", notice.inner_text()).group(0)

    ballot = Ballot.objects.get(receipt=receipt)
    assert (ballot.channel, ballot.state, ballot.choice) == ("online", "effective", "agree")
    # Fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"{live_server.url}/voting/{decision.pk}/results/?receipt={receipt}")
    check = page.get_by_test_id("receipt-check").inner_text()
    assert "网上（登录）" in check and "同意" not in check  # when and how, never the choice
