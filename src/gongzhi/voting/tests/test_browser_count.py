"""End to end in a real Chromium: a clerk runs a public count."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from gongzhi.demo.builder import DEMO_PASSWORD, OPEN_DECISION
from gongzhi.demo.images import tiny_png
from gongzhi.demo.seed import seed_demo
from gongzhi.voting.models import Ballot, CountSession, Decision, PaperSheet
from gongzhi.voting.services import committee_owner_ids

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def witness_lines(decision, count=10):
    """Units of owners who may witness: on the register, not on a committee."""
    excluded = committee_owner_ids(decision)
    lines = []
    for entry in (
        decision.register.filter(compound__name="水霞小区")
        .prefetch_related("owners")
        .order_by("pk")
    ):
        owners = list(entry.owners.all())
        if owners and owners[0].pk not in excluded and owners[0].kind == "person":
            lines.append(f"水霞小区 {entry.unit_number}")
        if len(lines) == count:
            return "\n".join(lines)
    raise AssertionError("not enough witnesses in the demo")


def test_clerk_seals_a_box_counts_in_public_and_gets_the_tally_sheet(live_server, page):
    seed_demo()
    decision = Decision.objects.get(title=OPEN_DECISION)
    target = (
        decision.register.filter(compound__name="水霞小区")
        .exclude(ballots__isnull=False)
        .order_by("pk")
        .first()
    )
    base = f"{live_server.url}/voting/{decision.pk}"
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/me/$"))

    # A box, sealed before witnesses.
    page.goto(f"{base}/boxes/")
    page.fill("input[name=label]", "一号票箱")
    page.fill("input[name=seal_number]", "SX-2026-001")
    page.get_by_role("button", name="添加票箱").click()
    card = page.locator("section.card").first
    card.locator("select[name=kind]").select_option("sealed")
    sealed_at = timezone.localtime(decision.opens_at) + dt.timedelta(minutes=5)
    card.locator("input[name=at]").fill(sealed_at.strftime("%Y-%m-%dT%H:%M"))
    card.locator("input[name=place]").fill("居委会值班室")
    card.locator("textarea[name=present]").fill("李干事\n周委员")
    card.get_by_role("button", name="记录").click()
    assert "封箱" in page.locator("section.card").first.inner_text()

    # The count: refused with too few witnesses, then started with enough.
    page.goto(f"{base}/")
    page.get_by_test_id("start-count").click()
    form = page.get_by_test_id("count-start")
    form.locator("input[name=place]").fill("水霞居民区党群服务站")
    form.locator("textarea[name=scrutineers]").fill("监票人甲")
    form.locator("textarea[name=counters]").fill("计票人乙")
    form.locator("textarea[name=witnesses]").fill(witness_lines(decision, 3))
    form.get_by_role("button", name="开始计票").click()
    assert (
        "议事规则要求至少 10 名业主见证人；目前只有 3 名。" in page.locator(".errors").inner_text()
    )
    page.get_by_test_id("count-start").locator("textarea[name=witnesses]").fill(
        witness_lines(decision)
    )
    page.get_by_test_id("count-start").get_by_role("button", name="开始计票").click()
    page.wait_for_url(re.compile(r".*/count/\d+/$"))

    page.get_by_test_id("open-box-一号票箱").click()
    sheet = page.get_by_test_id("sheet-form")
    sheet.locator("select[name=compound]").select_option(label="水霞小区")
    sheet.locator("input[name=unit]").fill(target.unit_number)
    sheet.get_by_label("同意", exact=True).check()
    sheet.locator("select[name=signature]").select_option("owner")
    sheet.locator("input[name=signer_name]").fill("业主本人")
    sheet.locator("input[name=scan]").set_input_files(
        files=[{"name": "scan.png", "mimeType": "image/png", "buffer": tiny_png("scan")}]
    )
    sheet.get_by_role("button", name="录入").click()
    assert page.get_by_test_id("sheet-count").inner_text() == "1"
    page.get_by_test_id("close-count").click()

    session = CountSession.objects.get(decision=decision)
    assert session.status == "closed"
    assert page.get_by_test_id("session-hash").inner_text() == session.head_hash
    with page.expect_download() as download:
        page.get_by_test_id("tally-sheet").click()
    assert download.value.suggested_filename.endswith(".pdf")
    ballot = Ballot.objects.get(sheet=PaperSheet.objects.get(session=session))
    assert (ballot.entry_id, ballot.state, ballot.choice) == (target.pk, "effective", "agree")
