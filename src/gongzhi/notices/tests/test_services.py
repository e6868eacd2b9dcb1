"""Notices: the lawful window, withdrawal, opinions and answers, public revenue."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.masking import personal_numbers
from gongzhi.core.models import AuditEvent, EventType
from gongzhi.notices import services
from gongzhi.notices.models import Notice, NoticeOpinion
from gongzhi.registry.services import management_area_establish

from .conftest import draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_stored_text_is_clean_and_masked(area):
    notice = draft(area, body="<p>联系 13812345678</p><script>x()</script>")
    assert notice.body == "<p>联系 138****5678</p>"


def test_a_ranking_posted_for_less_than_three_days_needs_a_reason(area):
    notice = draft(area, kind="ranking", days=2)
    with pytest.raises(ApplicationError, match="at least 3 days"):
        services.notice_publish(notice=notice, actor=area.users["clerk"])
    notice.refresh_from_db()
    assert notice.status == "draft"
    services.notice_publish(
        notice=notice, actor=area.users["clerk"], override_reason="区房管局书面同意缩短公示期"
    )
    notice.refresh_from_db()
    assert (notice.status, notice.window_override) == ("published", "区房管局书面同意缩短公示期")
    event = AuditEvent.objects.get(event_type=EventType.NOTICE_PUBLISHED)
    assert event.new["override"] == "区房管局书面同意缩短公示期"


def test_a_notice_goes_up_when_published_not_before(area):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=2)
    notice = draft(area, kind="ranking", days=4, start=start)
    # Drafted to start two days ago: published now it would be up for only two days.
    with pytest.raises(ApplicationError, match="at least 3 days"):
        services.notice_publish(notice=notice, actor=area.users["clerk"])


def test_a_published_notice_is_not_edited_but_withdrawn_with_a_reason(area):
    notice = services.notice_publish(notice=draft(area), actor=area.users["clerk"])
    with pytest.raises(ApplicationError, match="not edited"):
        services.notice_update(notice=notice, actor=area.users["clerk"], title="改")
    with pytest.raises(ApplicationError, match="Say why"):
        services.notice_withdraw(notice=notice, reason=" ", actor=area.users["clerk"])
    services.notice_withdraw(notice=notice, reason="内容有误，另行公示", actor=area.users["clerk"])
    assert Notice.objects.get().status == "withdrawn"


def test_attachments_by_content_not_name(area):
    notice = draft(area)
    item = services.attachment_add(
        notice=notice,
        upload=SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%x\n"),
        actor=area.users["clerk"],
    )
    assert (item.content_type, item.original_name) == ("application/pdf", "方案.pdf")
    with pytest.raises(ApplicationError, match="JPEG or PNG"):
        services.attachment_add(
            notice=notice,
            upload=SimpleUploadedFile("photo.jpg", b"MZ\x90\x00"),
            actor=area.users["clerk"],
        )
    assert notice.attachments.count() == 1


def test_only_owners_of_its_compounds_leave_opinions_while_it_is_up(area):
    notice = services.notice_publish(
        notice=draft(area, opinions_open=True), actor=area.users["clerk"]
    )
    opinion = services.opinion_leave(notice=notice, user=area.users["owner"], text="建议分时段收费")
    assert opinion.owner.name == "张三"
    for who in ("neighbour", "outsider", "clerk"):
        with pytest.raises(PermissionRefused):
            services.opinion_leave(notice=notice, user=area.users[who], text="x")
    later = notice.display_until + dt.timedelta(seconds=1)
    with pytest.raises(ApplicationError, match="while the notice is up"):
        services.opinion_leave(notice=notice, user=area.users["owner"], text="x", now=later)
    with pytest.raises(ApplicationError, match="at most 2000"):
        services.opinion_leave(notice=notice, user=area.users["owner"], text="长" * 2001)
    services.opinion_answer(opinion=opinion, answer="已采纳，下月起试行", actor=area.users["clerk"])
    assert NoticeOpinion.objects.get().answer == "已采纳，下月起试行"


def test_a_notice_that_does_not_ask_for_opinions_takes_none(area):
    notice = services.notice_publish(notice=draft(area), actor=area.users["clerk"])
    with pytest.raises(ApplicationError, match="does not ask"):
        services.opinion_leave(notice=notice, user=area.users["owner"], text="x")


def test_public_revenue_statement_published_as_a_notice(area):
    management_area = management_area_establish(
        name="水霞区域",
        compounds=[area.compound, area.other_compound],
        on=dt.date(2020, 1, 1),
        actor=None,
    )
    with pytest.raises(ApplicationError, match="line 2"):
        services.statement_create(
            management_area=management_area,
            year=2026,
            quarter=3,
            income="停车费: 12000\n广告 3000",
            expenses="",
            to_maintenance_fund="5000",
            actor=area.users["clerk"],
        )
    statement = services.statement_create(
        management_area=management_area,
        year=2026,
        quarter=3,
        income="停车费: 12,000.00\n广告收入: 3,000.00",
        expenses="保洁补贴: 5,000.00",
        to_maintenance_fund="5000.00",
        actor=area.users["clerk"],
    )
    summary = services.statement_summary(statement)
    assert (summary.net, summary.meets_rule) == (Decimal("10000.00"), False)  # exactly half
    with pytest.raises(ApplicationError, match="already has a statement"):
        services.statement_create(
            management_area=management_area,
            year=2026,
            quarter=3,
            income="x: 1",
            expenses="",
            to_maintenance_fund="1",
            actor=area.users["clerk"],
        )
    now = timezone.now()
    notice = services.statement_publish(
        statement=statement,
        display_from=now,
        display_until=now + dt.timedelta(days=30),
        actor=area.users["clerk"],
    )
    assert notice.kind == "public_revenue" and notice.status == "published"
    assert set(notice.compounds.all()) == {area.compound, area.other_compound}
    assert "停车费" in notice.body and "10000.00" in notice.body
    assert "Art. 51" in notice.body  # the flag: not more than half


def test_opinions_and_answers_are_stored_with_numbers_masked(area):
    notice = services.notice_publish(
        notice=draft(area, opinions_open=True), actor=area.users["clerk"]
    )
    opinion = services.opinion_leave(
        notice=notice,
        user=area.users["owner"],
        text="请回电 13912345678，身份证 110101199003077777",
    )
    services.opinion_answer(
        opinion=opinion, answer="已联系 13912345678 本人", actor=area.users["clerk"]
    )
    stored = NoticeOpinion.objects.get()
    assert "13912345678" not in stored.text and "110101199003077777" not in stored.text
    assert "139****5678" in stored.text
    assert stored.answer == "已联系 139****5678 本人"


def test_disguised_numbers_in_opinions_answers_and_reasons_are_masked_too(area):
    """The review's bypasses: tags, full-width digits, spaces, dashes, a zero-width space."""
    notice = services.notice_publish(
        notice=draft(area, opinions_open=True), actor=area.users["clerk"]
    )
    opinion = services.opinion_leave(
        notice=notice,
        user=area.users["owner"],
        text="<b>138</b>00138000 或 １３９００１３９０００ 或 110101 19900307 002X",
    )
    services.opinion_answer(
        opinion=opinion,
        answer="已回电 136-0013-6000 和 137\u200b0013\u200b7000",
        actor=area.users["clerk"],
    )
    services.notice_withdraw(
        notice=notice, reason="联系人 1380 013 8000 有误", actor=area.users["clerk"]
    )
    stored = NoticeOpinion.objects.get()
    notice.refresh_from_db()
    for text in (stored.text, stored.answer, notice.withdrawn_reason):
        assert personal_numbers(text) == [], text
    assert stored.text.startswith("<b>138****8000</b>")


def test_an_owner_leaves_at_most_ten_opinions_an_hour(area):
    notice = services.notice_publish(
        notice=draft(area, opinions_open=True), actor=area.users["clerk"]
    )
    for n in range(services.OPINIONS_PER_HOUR):
        services.opinion_leave(notice=notice, user=area.users["owner"], text=f"意见 {n}")
    with pytest.raises(ApplicationError, match="Too many opinions"):
        services.opinion_leave(notice=notice, user=area.users["owner"], text="第十一条")
    assert NoticeOpinion.objects.count() == services.OPINIONS_PER_HOUR
