"""A notice published reaches the owners of its compounds; an answer reaches the
owner who left the opinion."""

import pytest

from gongzhi.core.tests.queue import drain
from gongzhi.notices import services
from gongzhi.notifications.models import Notification

from .conftest import draft

pytestmark = pytest.mark.django_db


def test_publishing_and_answering_tell_the_owners_concerned(area):
    owner, neighbour = area.users["owner"], area.users["neighbour"]  # 水霞小区, 安虹小区
    notice = draft(area, title="电瓶车充电桩选址", opinions_open=True)
    assert list(notice.compounds.all()) == [area.compound]
    notice = services.notice_publish(notice=notice, actor=area.users["clerk"])
    drain()
    assert Notification.objects.filter(user=owner, title="新公示：电瓶车充电桩选址").exists()
    assert not Notification.objects.filter(user=neighbour).exists()
    opinion = services.opinion_leave(notice=notice, user=owner, text="建议放在3号楼旁")
    services.opinion_answer(opinion=opinion, answer="已采纳", actor=area.users["clerk"])
    answered = Notification.objects.get(user=owner, event_key=f"opinion:{opinion.pk}:answered")
    assert answered.body == "已采纳" and answered.title == "您的意见已答复：电瓶车充电桩选址"
