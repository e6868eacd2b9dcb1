"""Messages reach people once per event, through the channels they chose, and failed
sends are retried on a schedule, then given up — all in the delivery log."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.utils import timezone

from gongzhi.core.messaging import sms_outbox
from gongzhi.core.tests.queue import drain
from gongzhi.notifications import services
from gongzhi.notifications.models import Delivery, Notification
from gongzhi.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def outbox(settings, tmp_path):
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.SMS_BACKEND = "file"


def sent_sms():
    path = sms_outbox()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def people(n, **fields):
    return [
        UserFactory(username=f"p{i}", phone=f"1390000{i:04d}", email=f"p{i}@example.com", **fields)
        for i in range(n)
    ]


def vote_opened(users):
    return services.notify(
        users=users,
        kind="vote",
        event_key="decision:7:opened",
        title="表决已开始",
        body="请在 12 月 20 日前表决。",
        url="/voting/7/",
        sms="水霞小区的表决已开始，请登录投票：http://x/v/7",
    )


def test_one_event_reaches_each_person_once_whatever_the_number_of_calls():
    users = people(3)
    assert vote_opened(users) == 3
    assert vote_opened(users) == 0  # the same event again: nobody is told twice
    assert Notification.objects.count() == 3
    assert Delivery.objects.count() == 6  # an SMS and an e-mail each
    assert drain() >= 1
    assert sorted(m["to"] for m in sent_sms()) == [u.phone for u in users]
    assert all(m["text"].startswith("【共治】") for m in sent_sms())
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert "http://127.0.0.1:8000/voting/7/" in mail.outbox[0].body
    drain()
    assert len(sent_sms()) == 3  # running the queue again sends nothing again


def test_each_person_chooses_the_channels_of_each_kind():
    quiet, loud, no_phone = people(2) + [UserFactory(username="np", email="np@example.com")]
    services.preferences_set(user=quiet, choices={"vote": (False, False)})
    services.preferences_set(user=loud, choices={"notice": (True, True)})
    vote_opened([quiet, loud, no_phone])
    drain()
    assert [m["to"] for m in sent_sms()] == [loud.phone]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([loud.email, no_phone.email])
    assert Notification.objects.filter(user=quiet).exists()  # the inbox is always on


def test_inactive_people_are_not_told():
    (gone,) = people(1, is_active=False)
    assert vote_opened([gone]) == 0


def test_an_sms_is_short_and_signed():
    from gongzhi.core.errors import ApplicationError

    with pytest.raises(ApplicationError, match="200"):
        services.send_direct(phone="13800138000", text="长" * 200, event_key="code:1")
    assert not Delivery.objects.exists()


def test_a_failing_gateway_is_retried_on_schedule_then_given_up(settings):
    settings.SMS_BACKEND = "webhook"
    settings.SMS_WEBHOOK_URL = "http://127.0.0.1:9/nothing-listens"
    settings.SMS_WEBHOOK_SECRET = "s"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.send_direct(phone="13800138000", text="验证码 123456", event_key="code:1")
    drain()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "unreachable" in delivery.last_error
    waits = []
    now = timezone.now()
    for _ in settings.MESSAGE_RETRY_MINUTES:
        delivery.refresh_from_db()
        waits.append(round((delivery.next_attempt_at - now).total_seconds() / 60))
        now = delivery.next_attempt_at
        assert services.send_due(now - dt.timedelta(seconds=1)) == 0  # not yet due
        services.send_due(now)
    delivery.refresh_from_db()
    assert waits == settings.MESSAGE_RETRY_MINUTES
    assert (delivery.status, delivery.attempts) == ("given_up", 6)
    settings.SMS_BACKEND = "file"
    assert services.send_due(now + dt.timedelta(days=1)) == 0  # given up stays given up


def test_the_same_code_is_queued_once():
    services.send_direct(phone="13800138000", text="验证码 1", event_key="code:9")
    services.send_direct(phone="13800138000", text="验证码 1", event_key="code:9")
    drain()
    assert len(sent_sms()) == 1


def test_a_claimed_delivery_is_not_sent_by_a_second_worker():
    services.send_direct(phone="13800138000", text="验证码 2", event_key="code:10")
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status="sending")  # another worker has it
    assert services.send_due() == 0
    assert sent_sms() == []
