"""The inbox: an unread count in the header, reading by an explicit action (never by
opening a page), only one's own messages."""

import pytest

from gongzhi.core.tests.clients import as_
from gongzhi.notifications import services
from gongzhi.notifications.models import Notification
from gongzhi.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_unread_messages_show_in_the_header_and_are_read_by_a_post(client):
    owner, other = UserFactory(username="owner"), UserFactory(username="other")
    services.notify(
        users=[owner], kind="notice", event_key="n:1", title="公示：电瓶车充电桩", url="/notices/1/"
    )
    page = as_(client, owner).get("/inbox/")
    html = page.content.decode()
    assert "公示：电瓶车充电桩" in html and 'data-testid="unread-count">1<' in html
    assert Notification.objects.get().read_at is None  # looking changes nothing
    message = Notification.objects.get()
    assert as_(client, other).post(f"/inbox/{message.pk}/open/").status_code == 404
    assert client.get(f"/inbox/{message.pk}/open/").status_code == 405
    answer = as_(client, owner).post(f"/inbox/{message.pk}/open/")
    assert answer.status_code == 302 and answer["Location"] == "/notices/1/"
    message.refresh_from_db()
    assert message.read_at is not None
    assert 'data-testid="unread-count"' not in client.get("/inbox/").content.decode()


def test_a_message_link_never_leaves_the_site(client):
    owner = UserFactory(username="owner")
    services.notify(
        users=[owner], kind="notice", event_key="n:2", title="x", url="https://evil.example/"
    )
    message = Notification.objects.get()
    answer = as_(client, owner).post(f"/inbox/{message.pk}/open/")
    assert answer["Location"] == "/inbox/"


def test_read_all_and_preferences(client):
    owner = UserFactory(username="owner")
    for n in range(3):
        services.notify(users=[owner], kind="vote", event_key=f"v:{n}", title=f"第{n}条")
    as_(client, owner).post("/inbox/read-all/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    client.post("/inbox/settings/", {"vote-sms": "on", "notice-email": "on"})
    from gongzhi.notifications.selectors import preferences

    chosen = {kind: (sms, email) for kind, _label, sms, email in preferences(owner)}
    assert chosen["vote"] == (True, False) and chosen["notice"] == (False, True)
    assert chosen["meeting"] == (False, False)
