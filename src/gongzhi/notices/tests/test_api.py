"""The notice board over JSON: the same rules as the pages."""

import pytest
from django.test import Client

from gongzhi.notices import services
from gongzhi.notices.models import NoticeOpinion

from .conftest import draft

pytestmark = pytest.mark.django_db


def test_schema_lists_the_notice_endpoints(client):
    paths = set(client.get("/api/openapi.json").json()["paths"])
    assert {
        "/api/notices/current",
        "/api/notices/{notice_id}",
        "/api/notices/{notice_id}/opinions",
    } <= paths


def test_the_board_lists_only_what_is_up_with_numbers_masked(client, area):
    up = services.notice_publish(notice=draft(area, title="正在公示"), actor=area.users["clerk"])
    hidden = draft(area, title="草稿")
    body = client.get("/api/notices/current").json()
    assert [n["title"] for n in body] == ["正在公示"]
    assert body[0]["compounds"] == ["水霞小区"] and body[0]["kind_label"] == "一般公示"
    assert 9 * 86400 < body[0]["seconds_left"] <= 10 * 86400
    assert body[0]["pdf"] == f"/notices/{up.pk}/notice.pdf"
    detail = client.get(f"/api/notices/{up.pk}").json()
    assert "138****5678" in detail["body_html"] and "13812345678" not in detail["body_html"]
    refused = client.get(f"/api/notices/{hidden.pk}")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "该公示尚未发布。"


def test_an_owner_leaves_an_opinion_and_the_public_sees_it_once_answered(client, area):
    notice = services.notice_publish(
        notice=draft(area, opinions_open=True), actor=area.users["clerk"]
    )
    url = f"/api/notices/{notice.pk}/opinions"
    assert client.post(url, {"text": "x"}, content_type="application/json").status_code == 401
    client.force_login(area.users["neighbour"])  # owns a unit in another compound
    refused = client.post(url, {"text": "我也有意见"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "只有公示所涉小区的业主可以提出意见。"
    client.force_login(area.users["owner"])
    left = client.post(url, {"text": "建议夜间免费 13912345678"}, content_type="application/json")
    assert left.status_code == 201, left.content
    assert left.json()["text"] == "建议夜间免费 139****5678"
    assert client.post(url, {"text": "  "}, content_type="application/json").status_code == 400
    assert NoticeOpinion.objects.count() == 1
    # The owner sees their own unanswered opinion; the public sees none yet.
    mine = client.get(f"/api/notices/{notice.pk}").json()["opinions"]
    assert [(o["text"], o["mine"]) for o in mine] == [("建议夜间免费 139****5678", True)]
    client.logout()
    assert client.get(f"/api/notices/{notice.pk}").json()["opinions"] == []
    services.opinion_answer(
        opinion=NoticeOpinion.objects.get(), answer="已采纳", actor=area.users["clerk"]
    )
    public = client.get(f"/api/notices/{notice.pk}").json()["opinions"]
    assert [(o["answer"], o["mine"]) for o in public] == [("已采纳", False)]
    assert "张三" not in client.get(f"/api/notices/{notice.pk}").content.decode()


def test_an_opinion_without_the_csrf_token_is_refused(area):
    notice = services.notice_publish(
        notice=draft(area, opinions_open=True), actor=area.users["clerk"]
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(area.users["owner"])
    response = client.post(
        f"/api/notices/{notice.pk}/opinions", {"text": "意见"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert NoticeOpinion.objects.count() == 0
