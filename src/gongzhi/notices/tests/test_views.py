"""Notice pages: the public board, drafts kept back, opinions, the printable PDF."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from gongzhi.core.tests.clients import as_
from gongzhi.demo.images import tiny_png
from gongzhi.notices import services
from gongzhi.notices.models import Notice, NoticeOpinion

from .conftest import draft

pytestmark = pytest.mark.django_db


def test_the_board_shows_what_is_up_now_with_the_time_left(client, area):
    up = services.notice_publish(notice=draft(area, title="正在公示"), actor=area.users["clerk"])
    draft(area, title="尚未发布的草稿")
    ended = draft(area, title="已结束的公示", start=timezone.now() - dt.timedelta(days=20))
    Notice.objects.filter(pk=ended.pk).update(
        status="published", published_at=timezone.now() - dt.timedelta(days=20)
    )
    html = client.get("/notices/").content.decode()
    current = html.split('data-testid="current-notices"')[1].split("</ul>")[0]
    assert "正在公示" in current and "已结束的公示" not in current
    assert "已结束的公示" in html and "尚未发布的草稿" not in html
    assert re.search(r"还剩 9 天 2[0-3] 小时|还剩 10 天 0 小时", current)
    assert f'data-until="{timezone.localtime(up.display_until).isoformat()}"' in current


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 403),
        ("owner", 403),
        ("committee", 403),
        ("other_clerk", 403),
        ("clerk", 200),
        ("official", 200),
    ],
)
def test_a_draft_is_seen_only_by_its_organisers(client, area, who, status):
    notice = draft(area)
    user = area.users[who] if who else None
    assert as_(client, user).get(f"/notices/{notice.pk}/").status_code == status
    assert as_(client, user).get(f"/notices/{notice.pk}/notice.pdf").status_code == status


def test_publishing_from_the_page_refuses_a_short_window_and_changes_nothing(client, area):
    notice = draft(area, kind="ranking", days=2)
    as_(client, area.users["other_clerk"])
    assert client.post(f"/notices/{notice.pk}/act/publish/").status_code == 403
    as_(client, area.users["clerk"])
    html = client.post(f"/notices/{notice.pk}/act/publish/", follow=True).content.decode()
    assert "不少于 3 日" in html or "至少 3 天" in html
    assert Notice.objects.get().status == "draft"
    client.post(f"/notices/{notice.pk}/act/publish/", {"override_reason": "经区房管局同意"})
    assert Notice.objects.get().status == "published"


def test_an_owner_leaves_an_opinion_the_public_sees_it_answered_without_a_name(client, area):
    notice = services.notice_publish(
        notice=draft(area, opinions_open=True), actor=area.users["clerk"]
    )
    as_(client, area.users["owner"])
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert 'data-testid="opinion-form"' in page
    client.post(f"/notices/{notice.pk}/act/opinion/", {"text": "建议夜间免费停车"})
    opinion = NoticeOpinion.objects.get()
    assert opinion.owner.name == "张三"
    public = as_(client, None).get(f"/notices/{notice.pk}/").content.decode()
    assert "建议夜间免费停车" not in public  # not yet answered
    neighbour = as_(client, area.users["neighbour"]).get(f"/notices/{notice.pk}/").content
    assert 'data-testid="opinion-form"' not in neighbour.decode()
    as_(client, area.users["clerk"]).post(
        f"/notices/{notice.pk}/act/answer/", {"opinion": opinion.pk, "answer": "夜间免费试行一个月"}
    )
    clerk_page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "张*" in clerk_page and "张三" not in clerk_page
    public = as_(client, None).get(f"/notices/{notice.pk}/").content.decode()
    assert "建议夜间免费停车" in public and "夜间免费试行一个月" in public
    assert "张" not in public.split('data-testid="opinion"')[1].split("</div>")[0]


def test_opinions_are_rate_limited(client, area):
    notice = services.notice_publish(
        notice=draft(area, opinions_open=True), actor=area.users["clerk"]
    )
    as_(client, area.users["owner"])
    for n in range(12):
        client.post(f"/notices/{notice.pk}/act/opinion/", {"text": f"意见{n}"})
    assert NoticeOpinion.objects.count() == 10


def test_the_printable_pdf_has_the_text_masked_and_a_link_to_the_page(client, area):
    body = (
        "<h2>收费标准</h2><p>住宅 1.80 元</p><ul><li>联系 13812345678</li></ul>"
        "<table><tr><th>项目</th><th>金额</th></tr><tr><td>停车</td><td>200</td></tr></table>"
    )
    notice = services.notice_publish(notice=draft(area, body=body), actor=area.users["clerk"])
    response = client.get(f"/notices/{notice.pk}/notice.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "关于小区停车管理的公示" in text and "住宅 1.80 元" in text and "停车" in text
    assert "138****5678" in text and "13812345678" not in text
    assert f"http://testserver/notices/{notice.pk}/" in text


def test_attachments_are_public_once_published(client, area):
    notice = draft(area)
    item = services.attachment_add(
        notice=notice,
        upload=SimpleUploadedFile("图纸.png", tiny_png("图纸")),
        actor=area.users["clerk"],
    )
    url = f"/notices/{notice.pk}/files/{item.pk}/"
    assert client.get(url).status_code == 403
    services.notice_publish(notice=notice, actor=area.users["clerk"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_clerk_drafts_a_notice_from_the_form(client, area):
    as_(client, area.users["clerk"])
    start = timezone.localtime().replace(second=0, microsecond=0)
    response = client.post(
        "/notices/new/",
        {
            "neighbourhood": area.neighbourhood.pk,
            "compounds": [area.compound.pk],
            "kind": "general",
            "title": "电梯维保公示",
            "body": "维保单位：某公司<script>x</script>",
            "display_from": start.strftime("%Y-%m-%dT%H:%M"),
            "display_until": (start + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            "attachments": [SimpleUploadedFile("合同.pdf", b"%PDF-1.4\n")],
        },
    )
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/notices/{notice.pk}/"
    assert notice.status == "draft" and "<script>" not in notice.body
    assert notice.attachments.get().original_name == "合同.pdf"


def test_opinions_are_paged_awaiting_answers_first_for_the_clerk(area, client):
    import datetime as dt

    from django.utils import timezone

    from gongzhi.core.tests.clients import as_
    from gongzhi.notices import services
    from gongzhi.notices.models import NoticeOpinion
    from gongzhi.notices.tests.conftest import draft

    notice = services.notice_publish(
        notice=draft(area, opinions_open=True), actor=area.users["clerk"]
    )
    owner = area.users["owner"]
    start = timezone.now()
    NoticeOpinion.objects.bulk_create(
        NoticeOpinion(
            notice=notice,
            owner=owner.memberships.get().owner,
            author=owner,
            text=f"意见{n}",
            created_at=start + dt.timedelta(seconds=n),
            answer="已答复" if n < 59 else "",
            answered_at=start if n < 59 else None,
        )
        for n in range(60)
    )
    url = f"/notices/{notice.pk}/"
    public = client.get(url).content.decode()
    assert public.count('data-testid="opinion"') == 50
    assert client.get(url + "?page=2").content.decode().count('data-testid="opinion"') == 9
    clerk_page = as_(client, area.users["clerk"]).get(url).content.decode()
    assert clerk_page.count('data-testid="opinion"') == 50
    first = clerk_page.index('data-testid="opinion"')
    assert "意见59" in clerk_page[first : first + 600]  # the one awaiting an answer leads
