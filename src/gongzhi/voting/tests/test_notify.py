"""Owners hear of a vote: announced (all on the register), opened and closing within
48 hours (those who have not voted), by inbox and SMS; the receipt of their ballot;
never twice for one event."""

import datetime as dt

import pytest

from gongzhi.accounts.models import Role
from gongzhi.core.tests.outbox import sms_sent
from gongzhi.core.tests.queue import drain
from gongzhi.notifications.models import Notification
from gongzhi.registry.tests.factories import user_with_role
from gongzhi.voting.notify import remind_closing
from gongzhi.voting.services import ballot_cast_online, decision_announce, decision_open

from .conftest import CLOSES, DURING, OPENS, T0

pytestmark = pytest.mark.django_db


def titles(user):
    return sorted(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_owners_hear_of_a_vote_once_per_event(scene):
    owner_user = scene.owner_user
    owner_user.phone = "13800000000"
    owner_user.save()
    neighbour = user_with_role("neighbour", Role.OWNER, owner=scene.owners[3])
    stranger = user_with_role("stranger", Role.OWNER, owner=scene.owners[5])  # other compound
    decision = scene.decision()
    decision_announce(decision=decision, actor=scene.clerk, now=T0)
    drain()
    assert titles(owner_user) == ["业主表决公告：同意由纺原物业提供物业服务"]
    assert titles(stranger) == []
    decision_open(decision=decision, actor=scene.clerk, now=OPENS)
    drain()
    assert "表决已开始：同意由纺原物业提供物业服务" in titles(neighbour)
    (sms,) = sms_sent("13800000000")  # the announcement is inbox only; voting open also by SMS
    assert sms["text"].startswith("【共治】“同意由纺原物业提供物业服务”业主表决已开始")
    assert "http://127.0.0.1:8000/voting/" in sms["text"]
    entry = decision.register.get(unit=scene.units[2])  # owner 3's unit
    item = decision.items.get()
    ballot_cast_online(
        decision=decision, entry=entry, choices={item.pk: "agree"}, user=neighbour, now=DURING
    )
    assert any(t.startswith("您的表决已记录") for t in titles(neighbour))
    receipt = Notification.objects.get(user=neighbour, event_key__startswith="receipt:")
    assert "同意" not in receipt.body.replace(
        "同意由纺原物业", ""
    )  # the receipt never says the choice
    before = Notification.objects.count()
    assert remind_closing(CLOSES - dt.timedelta(hours=49)) == 0  # not yet within 48 hours
    remind_closing(CLOSES - dt.timedelta(hours=47))
    remind_closing(CLOSES - dt.timedelta(hours=46))  # the next check: nobody told twice
    drain()
    closing = Notification.objects.filter(event_key__endswith=":closing")
    assert set(closing.values_list("user__username", flat=True)) == {"owner"}  # neighbour voted
    assert Notification.objects.count() == before + 1
    assert len(sms_sent("13800000000")) == 2


def test_a_refused_opening_tells_nobody(scene):
    decision = scene.decision()
    decision_announce(decision=decision, actor=scene.clerk, now=T0)
    drain()
    count = Notification.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - opening before the announced time
        decision_open(decision=decision, actor=scene.clerk, now=OPENS - dt.timedelta(days=1))
    drain()
    assert Notification.objects.count() == count
