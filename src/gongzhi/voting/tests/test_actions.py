"""Every guarded transition of a decision posted through its page at least once — the
review found the extension answering 500 because no test posted it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.tests.clients import as_
from gongzhi.voting.models import Decision
from gongzhi.voting.services import decision_announce, decision_open

pytestmark = pytest.mark.django_db


def _post(client, name, decision, data=None):
    response = client.post(reverse(f"voting:{name}", args=[decision.pk]), data or {})
    assert response.status_code == 302 and response.url == f"/voting/{decision.pk}/"
    return Decision.objects.get(pk=decision.pk)


def test_each_action_from_the_decision_page(client, scene):
    now = timezone.now()
    as_(client, scene.clerk)
    draft = scene.decision(
        opens_at=now + dt.timedelta(days=16), closes_at=now + dt.timedelta(days=30)
    )
    _post(client, "add_item", draft, {"question": "是否同意安装充电桩？", "matter": "8"})
    assert draft.items.count() == 2
    announced = _post(client, "announce", draft)
    assert announced.status == "announced"
    closes = timezone.localtime(announced.closes_at) + dt.timedelta(days=3)
    extended = _post(
        client,
        "extend",
        announced,
        {"closes_at": closes.strftime("%Y-%m-%dT%H:%M"), "reason": "春节"},
    )
    assert extended.closes_at > announced.closes_at and extended.extensions.count() == 1
    cancelled = _post(client, "cancel", extended, {"reason": "方案调整"})
    assert cancelled.status == "cancelled" and cancelled.cancel_reason == "方案调整"


def test_open_close_and_finalise_from_the_page(client, scene):
    now = timezone.now()
    decision = scene.decision(
        opens_at=now - dt.timedelta(days=2), closes_at=now - dt.timedelta(days=1)
    )
    decision = decision_announce(
        decision=decision, actor=scene.clerk, now=now - dt.timedelta(days=20)
    )
    as_(client, scene.clerk)
    opened = _post(client, "open", decision)
    assert opened.status == "open"
    closed = _post(client, "close", opened)
    assert closed.status == "preliminary"
    # the objection period has not ended: refused with the reason, nothing changes
    response = client.post(reverse("voting:finalise", args=[closed.pk]), follow=True)
    assert "异议" in response.content.decode()
    assert Decision.objects.get(pk=closed.pk).status == "preliminary"


@pytest.mark.parametrize(
    "name", ["announce", "open", "close", "finalise", "extend", "cancel", "add_item"]
)
@pytest.mark.parametrize(
    "data",
    [{}, {"closes_at": "not a time", "reason": ""}, {"question": "x" * 5, "matter": "99"},
     {"closes_at": "9999-99-99T99:99", "reason": "\x00"}],
)  # fmt: skip
def test_bad_input_to_any_action_is_refused_without_a_server_error(client, scene, name, data):
    now = timezone.now()
    decision = scene.decision(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=9)
    )
    decision = decision_announce(
        decision=decision, actor=scene.clerk, now=now - dt.timedelta(days=20)
    )
    decision = decision_open(decision=decision, actor=scene.clerk, now=now)
    as_(client, scene.clerk)
    before = Decision.objects.filter(pk=decision.pk).values().get()
    response = client.post(reverse(f"voting:{name}", args=[decision.pk]), data, follow=True)
    page = response.content.decode()
    if any("\x00" in value for value in data.values()):
        # refused before the view by core.middleware.RefuseNullCharactersMiddleware
        assert response.status_code == 400 and "NUL" in page
    else:
        assert response.status_code == 200
        assert 'class="messages' in page or "message" in page
    if name != "close":  # closing an open window early is refused too
        assert Decision.objects.filter(pk=decision.pk).values().get() == before


def test_actions_are_posts_only(client, scene):
    decision = scene.decision()
    as_(client, scene.clerk)
    for name in ["announce", "open", "close", "finalise", "extend", "cancel", "add_item"]:
        assert client.get(reverse(f"voting:{name}", args=[decision.pk])).status_code == 405
